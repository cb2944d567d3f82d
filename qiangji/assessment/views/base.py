"""Shared view plumbing of the assessment pages: the form page that calls one service."""

from qiangji.core import views as core_views


class ServiceFormView(core_views.ServiceFormView):
    """The kernel's form page in the assessment layout: `perform(form)` returns (message, url to go to)."""

    template_name = "assessment/form.html"
    title = ""
    intro = ""
    submit_label = "提交"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": self.title,
            "intro": self.intro,
            "submit_label": self.submit_label,
            "object": getattr(self, "object", None),
        }

    def get_success_message(self, result) -> str:
        return result[0]

    def get_success_redirect(self, result) -> str:
        return result[1]
