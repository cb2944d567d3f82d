"""What the recruitment pages share: forms whose service may refuse with a rule, the subtree picker,
and whether the user may change anything at all (to show the buttons).

The subtree a page looks at (`?org=`) is `core.views.org_from_request`; `?days=` is `forms.base.horizon`.
"""

from qiangji.core import views as core_views
from qiangji.core.choices import Action
from qiangji.core.navigation import ManagerRequiredMixin
from qiangji.core.scoping import scope_of
from qiangji.recruitment.forms.base import add_errors
from qiangji.recruitment.rules import RuleViolation
from qiangji.recruitment.selectors.cases import org_choices


class ServiceFormView(ManagerRequiredMixin, core_views.ServiceFormView):
    """The kernel's ServiceFormView, and a gate's `RuleViolation` shown on the form with the rule id
    (the service has rolled back; nothing is saved)."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except RuleViolation as error:
            add_errors(form, error)
            return self.form_invalid(form)


def may_change_somewhere(user) -> bool:
    """The user holds a grant that allows changes somewhere (the page shows its write buttons)."""
    scope = scope_of(user)
    return scope.is_superuser or bool(scope.paths_for(Action.CHANGE))


def org_picker(request, current) -> list[tuple[int, str, bool]]:
    """(pk, indented name, selected) for the subtree picker (`_org_picker.html`)."""
    return org_choices(request.user, current)
