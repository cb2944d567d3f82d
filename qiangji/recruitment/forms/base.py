"""Shared form plumbing: Chinese error messages naming the field, service errors on their field, and the
query parameters every recruitment list reads (`?days=`), shared by the pages and the API."""

from django import forms

from qiangji.core.views import add_service_errors
from qiangji.members.forms import DateInput, _label_errors, date_field  # noqa: F401  (re-exported)
from qiangji.recruitment.rules import RuleViolation

MAX_HORIZON = 366


def label_errors(form) -> None:
    _label_errors(form)


def violation_message(exc) -> str:
    """A `RuleViolation` as the form shows it: its detail, which already names the rule once with its title
    and source (`rules.refusal_text`); the id is not printed a second time."""
    return exc.detail


def add_errors(form, error) -> None:
    """A service's ValidationError on its fields (`core.views.add_service_errors`); a RuleViolation as a
    non-field error with the rule id."""
    if isinstance(error, RuleViolation):
        form.add_error(None, violation_message(error))
        return
    add_service_errors(form, error)


def horizon(request, default: int = 30) -> int:
    """`?days=N` for "falls due within N days", bounded so that a typo cannot ask for a century."""
    try:
        value = int(request.GET.get("days", default))
    except ValueError:
        return default
    return max(0, min(value, MAX_HORIZON))


class PhoneForm(forms.Form):
    """Base: labels without a colon and Chinese messages (fields stack on a 375 px screen via core CSS)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_errors(self)
