"""Pages of the question bank, exams, attempts, certificates (PDF with a verification QR) and the public
verification page."""

import base64

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from qiangji.core.choices import Action
from qiangji.core.pdf import pdf_response, render_pdf
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.core.views import ScopedMixin, org_from_request
from qiangji.education import selectors, services
from qiangji.education.forms import ExamForm, GiftImportForm
from qiangji.education.models import Attempt, Certificate, Exam
from qiangji.education.views.classes import _ManagerForm


class ExamListView(ScopedMixin, TemplateView):
    template_name = "education/exam_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "exams": Exam.objects.visible_to(user, Action.VIEW).select_related("organisation")[:200],
            "certificates": Certificate.objects.visible_to(user, Action.VIEW).select_related("member")[:200],
            "banks": selectors.question_banks(user),
            "may_create": user.is_superuser or bool(scope_of(user).paths_for(Action.CHANGE)),
        }


class GiftImportView(_ManagerForm):
    form_class = GiftImportForm
    title = _("导入试题（GIFT）")

    def perform(self, form):
        org = org_from_request(self.request, Action.CHANGE, default_to_scope=True)
        return services.import_gift(actor=self.request.user, organisation=org, **form.cleaned_data)

    def get_success_message(self, result) -> str:
        return _("已导入%(n)s道试题。") % {"n": len(result)}

    def get_success_redirect(self, result) -> str:
        return reverse("education:exam-list")


class ExamCreateView(_ManagerForm):
    form_class = ExamForm
    title = _("新建考试")

    def perform(self, form):
        org = org_from_request(self.request, Action.CHANGE, default_to_scope=True)
        return services.create_exam(actor=self.request.user, organisation=org, **form.cleaned_data)

    def get_success_redirect(self, result) -> str:
        return reverse("education:exam-list")


class ExamTakeView(ScopedMixin, TemplateView):
    """GET shows the exam and its deadline (an attempt is started by POST to `exam-start`)."""

    template_name = "education/exam_take.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        attempt = get_in_scope_or_404(Attempt, user, self.kwargs["pk"], Action.VIEW)
        if attempt.member_id not in scope_of(user).member_ids:
            raise Http404("未找到该记录，或您无权查看")
        return super().get_context_data(**kwargs) | {
            "attempt": attempt,
            "questions": list(attempt.exam.questions.all()),
            "seconds_left": max(0, int((attempt.deadline - timezone.now()).total_seconds())),
        }

    def post(self, request, pk):
        attempt = get_in_scope_or_404(Attempt, request.user, pk, Action.VIEW)
        answers = {}
        for question in attempt.exam.questions.all():
            key = f"q{question.pk}"
            answers[str(question.pk)] = (
                request.POST.getlist(key) if question.kind == "multiple" else request.POST.get(key, "")
            )
        try:
            attempt = services.submit_attempt(actor=request.user, attempt=attempt, answers=answers)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("education:exam-list")
        if attempt.passed:
            messages.success(request, _("得分%(s)s%%，考试合格，已颁发证书。") % {"s": attempt.score_pct})
        else:
            messages.warning(request, _("得分%(s)s%%，未达到及格线。") % {"s": attempt.score_pct})
        return redirect("education:exam-list")


class ExamStartView(ScopedMixin, View):
    def post(self, request, pk):
        exam = get_in_scope_or_404(Exam, request.user, pk, Action.VIEW)
        try:
            attempt = services.start_attempt(actor=request.user, exam=exam)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("education:exam-list")
        return redirect("education:exam-take", pk=attempt.pk)


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


class CertificatePdfView(ScopedMixin, View):
    def get(self, request, pk):
        certificate = get_in_scope_or_404(Certificate, request.user, pk, Action.VIEW)
        url = request.build_absolute_uri(reverse("education:verify")) + f"?number={certificate.number}"
        data = render_pdf(
            "education/pdf/certificate.html",
            {"certificate": certificate, "member": certificate.member, "qr": _qr_data_uri(url), "url": url},
        )
        return pdf_response(data, f"结业证书-{certificate.number}.pdf")


class VerifyView(TemplateView):
    """Public: a certificate number → valid (title, date, the holder's masked name) or a clear refusal."""

    template_name = "education/verify.html"

    def get_context_data(self, **kwargs):
        number = self.request.GET.get("number", "").strip()[:32]
        found = selectors.certificate_by_number(number) if number else None
        return super().get_context_data(**kwargs) | {"number": number, "found": found}
