"""Scope-walk cases for the notification centre: a notification belongs to its recipient only."""

from qiangji.core.models import Notification


def foreign_notification(world) -> Notification:
    return Notification.objects.create(
        recipient=world.users["foreign"],
        org_path=world.foreign_branch.path,
        kind="test",
        title="外县党员的发展对象待审",
        body="另一县某村党支部",
    )


def with_foreign_notification(world) -> dict:
    foreign_notification(world)
    return {}


CASES = {
    "notifications": with_foreign_notification,
    "notifications-read-all": with_foreign_notification,
    "notification-read": lambda world: {"pk": foreign_notification(world).pk},
}
