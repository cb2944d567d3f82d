"""Scoped reads: every model that holds organisation data is read through `.visible_to(user)`.

A grant binds (user, organisation node, role) and covers the node's whole subtree.  Because the
organisation tree is a materialised path and every scoped row carries the owning organisation's
path, "the subtree" is a prefix range on an indexed column on SQLite and PostgreSQL alike.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.http import Http404

from qiangji.core.choices import ROLE_ACTIONS, Action, Role

# Characters per level of the organisation tree's materialised path (treebeard `steplen`; the
# organisation model takes its `steplen` from here, so the kernel never imports the tree's app).
PATH_STEP = 4
NOT_FOUND = "未找到该记录，或您无权查看"
ORG_NOT_FOUND = "未找到该党组织，或不在您的管理范围内"


def parent_path(path: str) -> str:
    """The path one level up; a root is its own parent (nothing is above it)."""
    return path[:-PATH_STEP] if len(path) > PATH_STEP else path


def ancestor_paths(path: str) -> list[str]:
    """Strict ancestors of `path`, root first."""
    return [path[:end] for end in range(PATH_STEP, len(path), PATH_STEP)]


@dataclass(frozen=True)
class Scope:
    grants: tuple[tuple[str, str], ...] = ()  # (org path, role)
    is_superuser: bool = False
    member_ids: tuple[int, ...] = field(default=())

    def paths_for(self, action: str) -> list[str]:
        """Subtree roots where the user may do `action`, with nested roots folded away."""
        roots = sorted({path for path, role in self.grants if action in ROLE_ACTIONS.get(role, ())})
        folded: list[str] = []
        for path in roots:
            if not any(path.startswith(parent) for parent in folded):
                folded.append(path)
        return folded

    def member_org_paths(self) -> list[str]:
        return [path for path, role in self.grants if role == Role.MEMBER]

    def allows(self, action: str, path: str) -> bool:
        return self.is_superuser or any(path.startswith(root) for root in self.paths_for(action))

    def allows_above(self, action: str, path: str) -> bool:
        """`action` is granted on a strict ancestor of `path`: the committee above decides, never the node
        itself (a branch never reviews or approves its own records)."""
        if self.is_superuser:
            return True
        return bool(path) and any(
            path.startswith(root) and len(root) < len(path) for root in self.paths_for(action)
        )

    @property
    def has_any_grant(self) -> bool:
        return self.is_superuser or bool(self.grants)


def scope_of(user) -> Scope:
    """The user's scope, computed once per request and cached on the user object."""
    if user is None or not user.is_authenticated:
        return Scope()
    cached = getattr(user, "_qiangji_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(is_superuser=True)
    else:
        grants = tuple(user.grants.values_list("org_path", "role"))
        member_ids = tuple(user.member_records.values_list("pk", flat=True))
        scope = Scope(grants=grants, member_ids=member_ids)
    user._qiangji_scope = scope
    return scope


def forget_scope(user) -> None:
    if hasattr(user, "_qiangji_scope"):
        del user._qiangji_scope


def prefix_q(field_name: str, paths: list[str]) -> Q | None:
    q = None
    for path in paths:
        term = Q(**{f"{field_name}__startswith": path})
        q = term if q is None else q | term
    return q


class ScopedQuerySet(models.QuerySet):
    """Base queryset for every model that belongs to an organisation.

    Subclasses set `scope_path_field` (the column holding the owning organisation's path) and may
    override `self_scope` to let a member see rows about themselves.
    """

    scope_path_field = "org_path"

    def visible_to(self, user, action: str = Action.VIEW):
        scope = scope_of(user)
        if scope.is_superuser:
            return self
        if not scope.has_any_grant:
            return self.none()
        q = prefix_q(self.scope_path_field, scope.paths_for(action))
        own = self.self_scope(user, scope, action)
        if own is not None:
            q = own if q is None else q | own
        return self.filter(q) if q is not None else self.none()

    def self_scope(self, user, scope: Scope, action: str) -> Q | None:
        return None


def get_in_scope_or_404(model, user, pk, action: str = Action.VIEW, *, lock: bool = False, queryset=None):
    """The row `pk` of `model` read through the user's scope for `action`; 404 when it is unknown, outside
    the scope or the id is malformed (the answer leaks nothing).  `lock=True` takes a row lock
    (`SELECT … FOR UPDATE`) inside the caller's transaction.  `queryset` narrows the base further
    (select_related, a kind filter) and must be a queryset of `model`."""
    base = model.objects if queryset is None else queryset
    rows = base.visible_to(user, action)
    if lock:
        rows = rows.select_for_update()
    pk = getattr(pk, "pk", pk)
    try:
        found = rows.filter(pk=pk).first() if pk not in (None, "") else None
    except (ValueError, TypeError, OverflowError):
        found = None
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def org_in_scope(user, wanted, action: str = Action.VIEW, *, default_to_scope: bool = False):
    """The organisation `wanted` (an id, as typed in `?org=`) read through the user's scope for `action`:
    404 outside it or for a malformed id.  Nothing wanted: None, or with `default_to_scope=True` the top
    of the user's scope (404 when the user manages no organisation).  Pages reach it through
    `core.views.org_from_request`; API modules call it directly.  The tree's model is looked up by label:
    the kernel does not import the organisation app."""
    Organisation = apps.get_model("orgs", "Organisation")
    wanted = str(wanted or "").strip()
    if wanted:
        if not wanted.isdigit():
            raise Http404(ORG_NOT_FOUND)
        return get_in_scope_or_404(Organisation, user, wanted, action)
    if not default_to_scope:
        return None
    visible = Organisation.objects.visible_to(user, action)
    paths = scope_of(user).paths_for(action)
    found = (visible.filter(path__in=paths) if paths else visible.filter(depth=1)).order_by("path").first()
    if found is None:
        raise Http404("您的账号没有管理的党组织")
    return found
