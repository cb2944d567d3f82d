"""The in-app notification centre: `notify()` is how jobs and services reach people.

Notifications are messages about domain actions, not domain actions themselves: the job or service
that sends them writes the audit entry (one per run), not one per message.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mass_mail
from django.db import transaction

from qiangji.core.models import Notification


def notify(*, recipients, kind: str, title: str, body: str = "", url: str = "", org_path: str = "") -> int:
    """Create one notification per recipient; e-mail them after commit when e-mail is configured."""
    recipients = [user for user in recipients if user is not None and user.is_active]
    Notification.objects.bulk_create(
        Notification(
            recipient=user, kind=kind, title=title[:200], body=body, url=url[:500], org_path=org_path
        )
        for user in recipients
    )
    forget_unread_counts([user.pk for user in recipients])
    addresses = [user.email for user in recipients if user.email]
    if addresses and getattr(settings, "QIANGJI_NOTIFY_BY_EMAIL", False):
        sender = settings.DEFAULT_FROM_EMAIL
        messages = [(title, f"{body}\n{url}".strip(), sender, [address]) for address in addresses]
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return len(recipients)


UNREAD_CACHE_SECONDS = 300


def _unread_key(user_id) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user) -> int:
    """The top bar's badge: cached per user, cleared whenever the inbox changes through this module."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.visible_to(user).unread().count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def forget_unread_counts(user_ids) -> None:
    """Clear now and again after commit (a reader between the two would cache the old count)."""
    keys = [_unread_key(user_id) for user_id in user_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
