"""What every life view shares: refusals from a service shown as a message, the pages' base mixin.

Views are thin: they read through the scoped selectors (`life.selectors`: one record through
`get_in_scope_or_404`, the rest from an object read that way) and write through `life.services`; a
refusal from a service (ValidationError, Chinese, naming the field) is shown on the form and saves nothing.
`is_htmx` and `add_service_errors` are the kernel's (`core.views`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views import View

from qiangji.core.views import ScopedMixin
from qiangji.orgs.models import Organisation


class LifeView(ScopedMixin, View):
    """A life page: signed in, every read through the user's scope.  `model` is what the page is about
    (an organisation unless a view says otherwise); the page reads it with the scoped selectors, which
    add the page's kind check (a branch page, a committee page) and its related rows."""

    model = Organisation


def error_text(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "；".join(message for messages_ in error.message_dict.values() for message in messages_)
    return "；".join(error.messages)


def form_errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


def refuse(request, error: ValidationError, to: str, **kwargs):
    """For buttons without a form of their own: the refusal as a message, back to the page."""
    messages.error(request, error_text(error))
    return redirect(to, **kwargs)
