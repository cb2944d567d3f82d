"""What every life view shares: scoped look-ups (404 outside the subtree), service errors onto forms.

Views are thin: they read through `.visible_to(user, action)` and write through `life.services`; a
refusal from a service (ValidationError, Chinese, naming the field) is shown on the form and saves nothing.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.life.models import Meeting
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

NOT_FOUND = "未找到该记录，或您无权查看"


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def staff_allows(user, action: str, path: str) -> bool:
    """A grant (not the member's own-branch view) covering `path` for `action`."""
    return scope_of(user).allows(action, path)


def org_for(user, pk, action: str = Action.VIEW, *, staff: bool = False) -> Organisation:
    """The organisation through the user's scope; `staff=True` ignores the member's own-branch view
    (lists of other people's records need a grant)."""
    org = Organisation.objects.visible_to(user, action).filter(pk=pk).first()
    if org is None or (staff and not staff_allows(user, action, org.path)):
        raise Http404(NOT_FOUND)
    return org


def branch_for(user, pk, action: str = Action.VIEW) -> Organisation:
    org = org_for(user, pk, action)
    if org.kind not in BRANCH_KINDS:
        raise Http404("该页面只适用于党支部")
    return org


def committee_for(user, pk, action: str = Action.VIEW) -> Organisation:
    org = org_for(user, pk, action, staff=True)
    if org.kind in BRANCH_KINDS:
        raise Http404("该页面只适用于党委、党工委或党总支")
    return org


def meeting_for(user, pk, action: str = Action.VIEW) -> Meeting:
    meeting = (Meeting.objects.visible_to(user, action).select_related("organisation", "meeting_type", "theme")
               .filter(pk=pk).first())
    if meeting is None:
        raise Http404(NOT_FOUND)
    return meeting


def error_text(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "；".join(message for messages_ in error.message_dict.values() for message in messages_)
    return "；".join(error.messages)


def add_service_errors(form, error: ValidationError) -> None:
    """Each service message on its field when the form has it, else at the top of the form."""
    if not hasattr(error, "message_dict"):
        form.add_error(None, error.messages)
        return
    for field, texts in error.message_dict.items():
        form.add_error(field if field in form.fields else None, texts)


def refuse(request, error: ValidationError, to: str, **kwargs):
    """For buttons without a form of their own: the refusal as a message, back to the page."""
    messages.error(request, error_text(error))
    return redirect(to, **kwargs)


def may_change(user, path: str) -> bool:
    return staff_allows(user, Action.CHANGE, path)


def is_higher(user, path: str) -> bool:
    """Holds CHANGE on a strict ancestor of `path` (the reviewer of a branch's records)."""
    scope = scope_of(user)
    if scope.is_superuser:
        return True
    return any(path.startswith(root) and len(root) < len(path) for root in scope.paths_for(Action.CHANGE))
