"""Core writes: the few that belong to no domain app (a user's own password)."""

from django.db import transaction

from qiangji.core import audit


def _home_org_path(user) -> str:
    """Where the entry is filed: the user's first grant, so the administrators above them can audit it."""
    path = user.grants.order_by("org_path").values_list("org_path", flat=True).first()
    return path or ""


@transaction.atomic
def change_password(*, actor, user, new_password: str) -> None:
    """Set a new password (already checked by AUTH_PASSWORD_VALIDATORS) and record it; never the password itself."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionError("只能修改自己的密码")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(
        actor=actor,
        action="core.password.changed",
        target=user,
        org_path=_home_org_path(user),
        target_repr=user.get_username(),
    )


@transaction.atomic
def issue_token(*, actor):
    """The user's API token (created on first request, then reused); issuing one is recorded."""
    from rest_framework.authtoken.models import Token

    token, created = Token.objects.get_or_create(user=actor)
    if created:
        audit.record(
            actor=actor,
            action="core.token.issued",
            target=actor,
            org_path=_home_org_path(actor),
            target_repr=actor.get_username(),
        )
    return token


@transaction.atomic
def mark_notifications_read(*, actor, notification_ids=None) -> int:
    """Mark the actor's own notifications read (all unread ones when `notification_ids` is None).

    Only the recipient's inbox is touched (another user's id is simply not in it); one audit entry per
    call, with the count, so that "marked all read" is one line in the log, not hundreds.
    """
    from django.utils import timezone

    from qiangji.core import notifications
    from qiangji.core.models import Notification

    inbox = Notification.objects.visible_to(actor).unread()
    if notification_ids is not None:
        inbox = inbox.filter(pk__in=list(notification_ids))
    ids = list(inbox.values_list("pk", flat=True))
    if not ids:
        return 0
    Notification.objects.filter(pk__in=ids).update(read_at=timezone.now())
    notifications.forget_unread_counts([actor.pk])
    audit.record(
        actor=actor,
        action="core.notification.read",
        target=actor,
        org_path=_home_org_path(actor),
        target_repr=actor.get_username(),
        after={"count": len(ids), "ids": ids[:50]},
    )
    return len(ids)
