"""Scope-walk cases for /api/v1/notifications/: an inbox is its recipient's alone (a list without others')."""


def foreign_notification(world):
    from qiangji.core.models import Notification

    return {
        "pk": Notification.objects.create(
            recipient=world.users["foreign"], kind="digest", title="外县党员"
        ).pk
    }


CASES = {
    "api-notification-list": lambda world: {},
    "api-notification-read": foreign_notification,
    "api-notification-read-all": lambda world: {},
}
