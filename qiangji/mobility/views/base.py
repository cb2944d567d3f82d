"""Shared view plumbing: a form page that calls one service, on an object read through the user's scope."""

from django.http import Http404

from qiangji.core import views as core_views
from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.core.views import ScopedMixin
from qiangji.members.models import Member


def may_change_somewhere(user) -> bool:
    return user.is_superuser or bool(scope_of(user).paths_for(Action.CHANGE))


class ServiceFormView(core_views.ServiceFormView):
    """The kernel's form page in the mobility layout: `perform(form)` returns (message, url to go to)."""

    template_name = "mobility/form.html"
    title = ""
    intro = ""
    submit_label = "提交"
    form_user = False  # pass user= to the form

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return kwargs | {"user": self.request.user} if self.form_user else kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": self.title,
            "intro": self.intro,
            "submit_label": self.submit_label,
        }

    def get_success_message(self, result) -> str:
        return result[0]

    def get_success_redirect(self, result) -> str:
        return result[1]


class ObjectFormView(ScopedMixin, ServiceFormView):
    """A form about one scoped object: outside the user's (CHANGE) scope it is a 404 for GET and POST."""

    scope_action = Action.CHANGE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"object": self.object}


class MemberFormView(ObjectFormView):
    model = Member

    def get_queryset(self):
        return super().get_queryset().select_related("organisation")


def require_change_scope(user):
    if not may_change_somewhere(user):
        raise Http404("您无权办理该业务")
