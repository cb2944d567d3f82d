"""Shared form plumbing: Chinese error messages naming the field, service errors on their field."""

from django import forms
from django.core.exceptions import ValidationError

from qiangji.members.forms import DateInput, _label_errors, date_field  # noqa: F401  (re-exported)
from qiangji.recruitment.views.common import violation_message


def label_errors(form) -> None:
    _label_errors(form)


def add_errors(form, error) -> None:
    """A service's ValidationError on its fields; a RuleViolation as a non-field error with the rule id."""
    from qiangji.recruitment.rules import RuleViolation

    if isinstance(error, RuleViolation):
        form.add_error(None, violation_message(error))
        return
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return
    form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))


class PhoneForm(forms.Form):
    """Base: labels without a colon and Chinese messages (fields stack on a 375 px screen via core CSS)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_errors(self)
