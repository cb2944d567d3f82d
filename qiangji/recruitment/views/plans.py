"""Annual development plans versus actual, by quarter and group, with a chart (issue item 9)."""

from qiangji.core.dates import today
from qiangji.core.exporting import ExportMixin
from qiangji.core.views import org_from_request
from qiangji.recruitment.forms.plans import PlanForm
from qiangji.recruitment.selectors import plans
from qiangji.recruitment.services import forms as form_services
from qiangji.recruitment.views.base import ServiceFormView, may_change_somewhere


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return today().year
    return year if 2000 <= year <= 2100 else today().year


class PlanView(ExportMixin, ServiceFormView):
    """Plan versus actual over the user's subtree (scoped selector `plans.plan_report`); save a plan."""

    template_name = "recruitment/plans.html"
    form_class = PlanForm
    success_message = "已保存发展计划。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        org, year = org_from_request(self.request), _year(self.request)
        report = plans.plan_report(self.request.user, org.path if org else None, year)
        return {
            **super().get_context_data(**kwargs),
            "org": org,
            "report": report,
            "ratio": plans.ratio_text(report["pipeline"]),
            "years": range(year - 2, year + 2),
            "may_change": may_change_somewhere(self.request.user),
        }

    def perform(self, form):
        self.saved_year = form.cleaned_data["year"]
        return form_services.save_plan(actor=self.request.user, **form.cleaned_data)

    def get_success_redirect(self, result) -> str:
        return f"{self.request.path}?year={self.saved_year}"
