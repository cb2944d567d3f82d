"""File audits (issue item 11): draw a sample, record findings per file, track their correction."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.exporting import ExportMixin
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.recruitment.forms.plans import CorrectionForm, FileAuditForm, FindingForm
from qiangji.recruitment.models import FileAudit, FileAuditFinding, FileAuditSample
from qiangji.recruitment.selectors import plans as selectors
from qiangji.recruitment.services import audits as services
from qiangji.recruitment.views.base import ServiceFormView, may_change_somewhere


class FileAuditListView(ExportMixin, ServiceFormView):
    template_name = "recruitment/file_audits.html"
    form_class = FileAuditForm
    success_message = "已抽取档案。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        audits, findings = selectors.file_audits(self.request.user)
        return {
            **super().get_context_data(**kwargs),
            "audits": audits,
            "findings": findings,
            "may_draw": may_change_somewhere(self.request.user),
        }

    def perform(self, form):
        return services.draw_file_audit(actor=self.request.user, **form.cleaned_data)

    def get_success_redirect(self, result) -> str:
        return reverse("recruitment:file-audit", args=[result.pk])


class FileAuditDetailView(LoginRequiredMixin, FormView):
    template_name = "recruitment/file_audit.html"
    form_class = FindingForm  # unused on this page; kept for the shared layout

    def get(self, request, *args, **kwargs):
        file_audit = get_in_scope_or_404(FileAudit, request.user, kwargs["pk"])
        return self.render_to_response({"audit": file_audit, "samples": selectors.audit_samples(file_audit)})

    def post(self, request, *args, **kwargs):
        get_in_scope_or_404(FileAudit, request.user, kwargs["pk"], Action.CHANGE)
        return redirect("recruitment:file-audit", pk=kwargs["pk"])


class SampleView(ServiceFormView):
    """One sampled file: its findings; the department records a finding or marks the file compliant."""

    template_name = "recruitment/file_audit_sample.html"
    form_class = FindingForm
    success_message = "已登记。"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.sample = get_in_scope_or_404(FileAuditSample, request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        may_check = scope_of(self.request.user).allows(Action.CHANGE, self.sample.audit.org_path)
        return {
            **super().get_context_data(**kwargs),
            "sample": self.sample,
            "case": self.sample.case,
            "findings": list(self.sample.findings.all()),
            "may_check": may_check,
            "today": today(),
        }

    def post(self, request, *args, **kwargs):
        if request.POST.get("compliant") == "1":
            try:
                services.record_check(
                    actor=request.user, sample=self.sample, checked_on=today(), compliant=True
                )
                messages.success(request, "已判为合规。")
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        return services.record_finding(actor=self.request.user, sample=self.sample, **form.cleaned_data)

    def get_success_url(self):
        return reverse("recruitment:file-audit-sample", args=[self.sample.pk])


class FindingCorrectionView(ServiceFormView):
    template_name = "recruitment/step_form.html"
    form_class = CorrectionForm
    success_message = "已登记整改情况。"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.finding = get_in_scope_or_404(FileAuditFinding, request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "case": self.finding.sample.case,
            "title": "登记整改情况",
            "help": self.finding.description,
        }

    def perform(self, form):
        return services.correct_finding(actor=self.request.user, finding=self.finding, **form.cleaned_data)

    def get_success_url(self):
        return reverse("recruitment:file-audit-sample", args=[self.finding.sample_id])
