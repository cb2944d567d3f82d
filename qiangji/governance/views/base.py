"""Shared view plumbing: a form page that calls one service, on an object read through the user's scope."""

from django.http import Http404

from qiangji.core import views as core_views
from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.core.views import ScopedMixin


def may_change_somewhere(user) -> bool:
    return user.is_superuser or bool(scope_of(user).paths_for(Action.CHANGE))


class StaffOnlyMixin:
    """Pages for those who manage some organisation; a member without grants gets a 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_change_somewhere(request.user):
            raise Http404("您的账号没有管理的党组织")
        return super().dispatch(request, *args, **kwargs)


class FormView(core_views.ServiceFormView):
    """The kernel's form page: `perform(form)` returns (message, url to go to)."""

    template_name = "governance/form.html"
    title = ""
    intro = ""
    submit_label = "提交"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": self.get_title(),
            "intro": self.intro,
            "submit_label": self.submit_label,
            "back": getattr(self, "back_url", ""),
        }

    def get_title(self) -> str:
        return self.title

    def get_success_message(self, result) -> str:
        return result[0]

    def get_success_redirect(self, result) -> str:
        return result[1]


class ObjectFormView(ScopedMixin, FormView):
    """A form about one scoped object: outside the user's scope (for `scope_action`) a 404 for GET and POST."""

    scope_action = Action.CHANGE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"object": self.object}
