"""Scope checks and refusals shared by the organisation services."""

from django.core.exceptions import ValidationError
from django.http import Http404

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of

NOT_FOUND = "未找到该组织，或您无权操作"


def require(actor, action: str, org) -> None:
    """The actor must hold `action` over the node; otherwise the node does not exist for them (404)."""
    if org is None or not scope_of(actor).allows(action, org.path):
        raise Http404(NOT_FOUND)


def require_below_grant(actor, action: str, org) -> None:
    """Structural changes to a node are decided one level up: the actor needs `action` on its parent's subtree.

    A county may restructure the townships under it, but a township cannot dissolve or move itself.
    """
    if action != Action.MANAGE_TREE or org is None or not scope_of(actor).allows_above(action, org.path):
        raise Http404(NOT_FOUND)


def refuse(message: str, field: str | None = None):
    raise ValidationError({field: [message]} if field else message)


def region_from_division(division_code: str) -> str:
    """The county-level code (GB/T 2260, first 6 digits) of a county or lower division; '' for a province or city."""
    code = (division_code or "").strip()
    if len(code) >= 6 and code[:6].isdigit() and (len(code) > 6 or code[4:6] != "00"):
        return code[:6]
    return ""
