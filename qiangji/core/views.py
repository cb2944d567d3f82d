"""Base views: every object view reads through `.visible_to(user, action)`, so an id outside the
user's subtree is a 404 and nothing is changed."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView

from qiangji.core.choices import Action


class ScopedMixin(LoginRequiredMixin):
    """Apply the user's scope to `model` for `scope_action`; subclasses never build their own base queryset."""

    model = None
    scope_action = Action.VIEW

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user, self.scope_action)

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        try:
            return queryset.get(pk=self.kwargs[getattr(self, "pk_url_kwarg", "pk")])
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404("未找到该记录，或您无权查看")


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"
