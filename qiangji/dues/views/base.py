"""Helpers shared by the dues pages: who counts as staff.  The organisation a page is about is the
kernel's `org_from_request(..., default_to_scope=True)`; the month is `months.from_request`."""

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of


def is_staff(user) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or bool(scope.paths_for(Action.VIEW))
