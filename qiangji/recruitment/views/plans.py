"""Annual development plans versus actual, by quarter and group, with a chart (issue item 9)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.recruitment.forms import add_errors
from qiangji.recruitment.forms.plans import PlanForm
from qiangji.recruitment.selectors import plans
from qiangji.recruitment.services import forms as form_services
from qiangji.recruitment.views.common import subtree


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


class PlanView(LoginRequiredMixin, FormView):
    template_name = "recruitment/plans.html"
    form_class = PlanForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        org, year = subtree(self.request), _year(self.request)
        report = plans.plan_report(self.request.user, org.path if org else None, year)
        scope = scope_of(self.request.user)
        return {**super().get_context_data(**kwargs), "org": org, "report": report,
                "ratio": plans.ratio_text(report["pipeline"]), "years": range(year - 2, year + 2),
                "may_change": scope.is_superuser or bool(scope.paths_for(Action.CHANGE))}

    def form_valid(self, form):
        try:
            form_services.save_plan(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "已保存发展计划。")
        return redirect(f"{self.request.path}?year={form.cleaned_data['year']}")
