"""File audits (issue item 11): draw a sample, record findings per file, track their correction."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.recruitment.choices import FindingStatus
from qiangji.recruitment.forms import add_errors
from qiangji.recruitment.forms.plans import CorrectionForm, FileAuditForm, FindingForm
from qiangji.recruitment.models import FileAudit, FileAuditFinding, FileAuditSample
from qiangji.recruitment.services import audits as services
from qiangji.recruitment.views.common import NOT_FOUND


def _get(model, user, pk, action=Action.VIEW):
    found = model.objects.visible_to(user, action).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


class ServiceFormView(LoginRequiredMixin, FormView):
    """A form whose valid data goes to `self.save(data)`; service errors land on the form."""

    success_message = "已保存。"

    def form_valid(self, form):
        try:
            self.save(form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


class FileAuditListView(ServiceFormView):
    template_name = "recruitment/file_audits.html"
    form_class = FileAuditForm
    success_message = "已抽取档案。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        audits = FileAudit.objects.visible_to(self.request.user).select_related("organisation").annotate(
            sampled=Count("samples", distinct=True),
            open_findings=Count("samples__findings", filter=~Q(samples__findings__status=FindingStatus.ACCEPTED),
                                distinct=True))
        findings = FileAuditFinding.objects.visible_to(self.request.user).exclude(
            status=FindingStatus.ACCEPTED).select_related("sample__case")
        scope = scope_of(self.request.user)
        return {**super().get_context_data(**kwargs), "audits": list(audits[:100]),
                "findings": list(findings.order_by("due_on", "pk")[:100]),
                "may_draw": scope.is_superuser or bool(scope.paths_for(Action.CHANGE))}

    def save(self, data):
        self.created = services.draw_file_audit(actor=self.request.user, **data)

    def get_success_url(self):
        from django.urls import reverse

        return reverse("recruitment:file-audit", args=[self.created.pk])


class FileAuditDetailView(LoginRequiredMixin, FormView):
    template_name = "recruitment/file_audit.html"
    form_class = FindingForm  # unused on this page; kept for the shared layout

    def get(self, request, *args, **kwargs):
        file_audit = _get(FileAudit, request.user, kwargs["pk"])
        samples = file_audit.samples.select_related("case__organisation").prefetch_related("findings")
        return self.render_to_response({"audit": file_audit, "samples": list(samples)})

    def post(self, request, *args, **kwargs):
        _get(FileAudit, request.user, kwargs["pk"], Action.CHANGE)
        return redirect("recruitment:file-audit", pk=kwargs["pk"])


class SampleView(ServiceFormView):
    """One sampled file: its findings; the department records a finding or marks the file compliant."""

    template_name = "recruitment/file_audit_sample.html"
    form_class = FindingForm
    success_message = "已登记。"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.sample = _get(FileAuditSample, request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        may_check = scope_of(self.request.user).allows(Action.CHANGE, self.sample.audit.org_path)
        return {**super().get_context_data(**kwargs), "sample": self.sample, "case": self.sample.case,
                "findings": list(self.sample.findings.all()), "may_check": may_check,
                "today": timezone.localdate()}

    def post(self, request, *args, **kwargs):
        if request.POST.get("compliant") == "1":
            try:
                services.record_check(actor=request.user, sample=self.sample, checked_on=timezone.localdate(),
                                      compliant=True)
                messages.success(request, "已判为合规。")
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def save(self, data):
        services.record_finding(actor=self.request.user, sample=self.sample, **data)

    def get_success_url(self):
        from django.urls import reverse

        return reverse("recruitment:file-audit-sample", args=[self.sample.pk])


class FindingCorrectionView(ServiceFormView):
    template_name = "recruitment/step_form.html"
    form_class = CorrectionForm
    success_message = "已登记整改情况。"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.finding = _get(FileAuditFinding, request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "case": self.finding.sample.case,
                "title": "登记整改情况", "help": self.finding.description}

    def save(self, data):
        services.correct_finding(actor=self.request.user, finding=self.finding, **data)

    def get_success_url(self):
        from django.urls import reverse

        return reverse("recruitment:file-audit-sample", args=[self.finding.sample_id])
