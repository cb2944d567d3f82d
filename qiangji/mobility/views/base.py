"""Shared view plumbing: a form that calls one service, on an object read through the user's scope."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.core.views import ScopedMixin
from qiangji.members.models import Member


def add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def may_change_somewhere(user) -> bool:
    return user.is_superuser or bool(scope_of(user).paths_for(Action.CHANGE))


class ServiceFormView(LoginRequiredMixin, FormView):
    """GET shows the form, POST calls `call_service`; a refusal re-shows the form with the message."""

    template_name = "mobility/form.html"
    title = ""
    intro = ""
    submit_label = "提交"
    form_user = False  # pass user= to the form

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return kwargs | {"user": self.request.user} if self.form_user else kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.title, "intro": self.intro,
                                                     "submit_label": self.submit_label}

    def call_service(self, form):
        """Do the write; return (message, url to go to)."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            message, url = self.call_service(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(url)


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
