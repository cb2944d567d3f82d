"""The main navigation: each app registers its entries, the kernel imports none of them (as core.workbench).

An app calls, from its `AppConfig.ready()`::

    navigation.register(NavEntry("service", _("接诉即办"), "service:home", icon="headset", order=70,
                                 section="work", visible=navigation.is_manager))

`visible(user_scope, user)` decides per request whether the entry is shown (the default shows it to every
signed-in account).  `section` groups entries in the shell's sidebar: "mine" (a member's own things),
"work" (the modules), "oversee" (department screens), "system" (import, audit, API).  `icon` names an icon
of the shell's vendored icon set.  Registering a key again replaces it (`ready()` may run more than once).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

__all__ = [
    "ManagerRequiredMixin",
    "NavEntry",
    "entries_for",
    "everyone",
    "has_member_record",
    "is_manager",
    "may_audit",
    "may_import",
    "register",
    "unregister",
]

SECTIONS = ("mine", "work", "oversee", "system")


def everyone(user_scope, user) -> bool:
    return True


def is_manager(user_scope, user) -> bool:
    """Holds a role over some organisation other than plain membership (a plain member holds none)."""
    from qiangji.core.choices import Role

    if getattr(user_scope, "is_superuser", False):
        return True
    return any(role != Role.MEMBER for _path, role in getattr(user_scope, "grants", ()))


def has_member_record(user_scope, user) -> bool:
    """The account is bound to a member record of its own (the "mine" entries: my record, dues, meetings)."""
    return bool(getattr(user_scope, "member_ids", ()))


class ManagerRequiredMixin:
    """A management page: a signed-in account that holds no role beyond membership is refused (403), so
    hiding the link (`visible=is_manager`) is not the only guard.  Put it before LoginRequiredMixin."""

    def dispatch(self, request, *args, **kwargs):
        from django.core.exceptions import PermissionDenied
        from django.utils.translation import gettext as _

        from qiangji.core.scoping import scope_of

        user = request.user
        if user.is_authenticated and not is_manager(scope_of(user), user):
            raise PermissionDenied(
                _("这是党组织管理页面，您的账号没有管理职责。本人的档案、党费和组织生活请从“我的”进入。")
            )
        return super().dispatch(request, *args, **kwargs)


def may_import(user_scope, user) -> bool:
    """Staff roles: the set that may import (also the department screens)."""
    from qiangji.core.choices import Action

    return bool(user_scope.is_superuser or user_scope.paths_for(Action.IMPORT))


def may_audit(user_scope, user) -> bool:
    from qiangji.core.choices import Action

    return bool(user_scope.is_superuser or user_scope.paths_for(Action.AUDIT))


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    url_name: str
    icon: str = "circle"
    order: int = 100
    section: str = "work"
    visible: Callable = field(default=everyone)
    prefix: str = ""  # the path prefix that marks the entry active (default: its URL)


_ENTRIES: dict[str, NavEntry] = {}


def register(entry: NavEntry) -> None:
    if entry.section not in SECTIONS:
        raise ValueError(f"unknown nav section {entry.section!r}")
    _ENTRIES[entry.key] = entry


def unregister(key: str) -> None:
    _ENTRIES.pop(key, None)


def entries() -> list[NavEntry]:
    return sorted(_ENTRIES.values(), key=lambda e: (SECTIONS.index(e.section), e.order, e.key))


def entries_for(user_scope, user, path: str = "") -> list[dict]:
    """The entries `user` may see, in order, with their URL and whether `path` is inside them.  An entry
    whose URL does not resolve (its app not installed) is left out."""
    shown = []
    for entry in entries():
        if not entry.visible(user_scope, user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        root = entry.prefix or url
        active = path == url if root == "/" else path.startswith(root)
        shown.append(
            {
                "key": entry.key,
                "label": entry.label,
                "url": url,
                "icon": entry.icon,
                "section": entry.section,
                "active": active,
            }
        )
    return shown
