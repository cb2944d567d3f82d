"""Reads of the audit trail, always scoped to what the user may audit."""

from django.db.models import Q

from qiangji.core.choices import Action
from qiangji.core.models import AuditEntry
from qiangji.core.scoping import scope_of

MEMBER_TARGET = "members.member"


def _object_path(obj) -> str | None:
    """The organisation path that governs who may read an object's history."""
    path = getattr(obj, "org_path", None)
    if path is None and obj._meta.label_lower == "orgs.organisation":
        path = obj.path
    return path


def _is_own_record(obj, user) -> bool:
    if obj._meta.label_lower == "auth.user":
        return obj.pk == user.pk
    return getattr(obj, "user_id", None) is not None and obj.user_id == user.pk


def may_read_history(obj, user) -> bool:
    if not user.is_authenticated:
        return False
    path = _object_path(obj)
    if path is not None and scope_of(user).allows(Action.AUDIT, path):
        return True
    return _is_own_record(obj, user)


def history_for(obj, user):
    """Entries about `obj`, newest first; empty unless the user may audit the object's org or it is theirs.

    Entries are matched by target rather than by their frozen org path, so a member's history stays
    complete after a transfer; the permission follows where the object is now.
    """
    if not may_read_history(obj, user):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk)).order_by(
        "-created_at", "-id"
    )


def audit_log(user, filters=None):
    """The entries in the user's audit subtree, narrowed by `AuditEntryFilter` data (a dict or QueryDict)."""
    from qiangji.core.filters import AuditEntryFilter

    base = AuditEntry.objects.visible_to(user, Action.AUDIT)
    filterset = AuditEntryFilter(filters or {}, queryset=base, user=user)
    return filterset.qs if filterset.is_valid() else base.none()


def entry_for(user, pk):
    """One entry the user may audit, or one about their own member record; None otherwise."""
    scope = scope_of(user)
    own = Q(target_type=MEMBER_TARGET, target_id__in=[str(i) for i in scope.member_ids])
    audited = AuditEntry.objects.visible_to(user, Action.AUDIT)
    queryset = audited | AuditEntry.objects.filter(own) if scope.member_ids else audited
    return queryset.filter(pk=pk).first()


def may_audit(user) -> bool:
    """Whether the user has the audit action anywhere (controls the nav link and the log page)."""
    scope = scope_of(user)
    return scope.is_superuser or bool(scope.paths_for(Action.AUDIT))
