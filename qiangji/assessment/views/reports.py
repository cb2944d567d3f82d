"""Secretaries' annual report and appraisal pages (述职评议)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from qiangji.assessment import selectors, services
from qiangji.assessment.forms import CloseFollowUpForm, FollowUpForm, GradeForm, ReportForm, ReviewForm
from qiangji.assessment.models import FollowUp, SecretaryReport
from qiangji.assessment.views.base import ServiceFormView
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.core.views import org_from_request


class ReportListView(LoginRequiredMixin, TemplateView):
    template_name = "assessment/report_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "reports": selectors.reports_of(user).order_by("-year", "org_path")[:500],
            "may_submit": user.is_superuser or bool(scope_of(user).paths_for(Action.CHANGE)),
        }


class ReportDetailView(LoginRequiredMixin, TemplateView):
    template_name = "assessment/report_detail.html"

    def get_context_data(self, **kwargs):
        report = get_in_scope_or_404(SecretaryReport, self.request.user, self.kwargs["pk"])
        above = scope_of(self.request.user).allows_above(Action.CHANGE, report.org_path)
        return super().get_context_data(**kwargs) | {
            "report": report,
            "scores": report.review_scores.order_by("pk"),
            "follow_ups": report.follow_ups.order_by("deadline", "pk"),
            "may_review": above and report.status != "graded",
            "may_grade": above and report.status == "reviewed",
            "may_follow_up": above and report.status != "submitted",
            "may_close": scope_of(self.request.user).allows(Action.CHANGE, report.org_path),
        }


class ReportSubmitView(ServiceFormView):
    form_class = ReportForm
    title = _("书记述职")
    submit_label = _("提交述职报告")

    def get_initial(self):
        return {"year": today().year}

    def perform(self, form):
        organisation = org_from_request(self.request, Action.CHANGE, default_to_scope=True)
        report = services.submit_report(
            actor=self.request.user, organisation=organisation, **form.cleaned_data
        )
        return _("已提交述职报告。"), reverse("assessment:report", kwargs={"pk": report.pk})


class ReportFormView(ServiceFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = get_in_scope_or_404(SecretaryReport, request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def done(self) -> str:
        return reverse("assessment:report", kwargs={"pk": self.object.pk})


class ReportReviewView(ReportFormView):
    form_class = ReviewForm
    title = _("述职评议评分")
    submit_label = _("保存评分")

    def perform(self, form):
        services.record_review(actor=self.request.user, report=self.object, **form.cleaned_data)
        return _("已保存评议评分。"), self.done()


class ReportGradeView(ReportFormView):
    form_class = GradeForm
    title = _("述职评议定等")
    submit_label = _("定等")

    def perform(self, form):
        services.grade_report(
            actor=self.request.user,
            report=self.object,
            grade=form.cleaned_data["grade"],
            note=form.cleaned_data["note"],
        )
        return _("已定等次。"), self.done()


class FollowUpAddView(ReportFormView):
    form_class = FollowUpForm
    title = _("列入问题清单")
    submit_label = _("列入")

    def perform(self, form):
        services.add_follow_up(actor=self.request.user, report=self.object, **form.cleaned_data)
        return _("已列入问题清单。"), self.done()


class FollowUpCloseView(ServiceFormView):
    form_class = CloseFollowUpForm
    title = _("问题清单事项完成")
    submit_label = _("完成")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = get_in_scope_or_404(FollowUp, request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        if self.object.done_on is not None:
            raise Http404(_("该事项已完成"))
        services.close_follow_up(
            actor=self.request.user, follow_up=self.object, note=form.cleaned_data["note"]
        )
        return _("已完成。"), reverse("assessment:report", kwargs={"pk": self.object.report_id})
