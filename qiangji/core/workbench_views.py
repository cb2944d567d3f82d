"""The work bench's "all to-dos" page (查看全部): every line every app's provider gives the user, grouped by
module (core.workbench; each provider reads through the user's scope)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from qiangji.core import workbench


class TodoListView(LoginRequiredMixin, TemplateView):
    template_name = "core/todos.html"

    def get_context_data(self, **kwargs):
        lines = workbench.todos_for(self.request.user)
        return {**super().get_context_data(**kwargs), "lines": lines, "groups": workbench.by_module(lines)}
