"""The dossier page (documents as PDF, the step-25 checklist) and admission-form number ranges."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from qiangji.core.exporting import ExportMixin
from qiangji.core.pdf import pdf_response
from qiangji.core.scoping import NOT_FOUND
from qiangji.core.views import org_from_request
from qiangji.recruitment import pdf
from qiangji.recruitment.forms.plans import FormRangeForm
from qiangji.recruitment.selectors import plans as plan_selectors
from qiangji.recruitment.selectors.cases import admission_form, case_for, checklist
from qiangji.recruitment.services import forms as form_services
from qiangji.recruitment.views.base import ServiceFormView, may_change_somewhere


class DossierView(LoginRequiredMixin, TemplateView):
    """The case read through the scope (`case_for`: 404 outside it), then its own rows."""

    template_name = "recruitment/dossier.html"

    def get_context_data(self, **kwargs):
        case = case_for(self.request.user, self.kwargs["pk"])
        documents = list(case.documents.all())
        return {
            **super().get_context_data(**kwargs),
            "case": case,
            "documents": pdf.available(case),
            "checklist": checklist(case, documents),
            "files": documents,
            "form": admission_form(case),
            "notices": list(case.notices.all()),
        }


class DossierPdfView(LoginRequiredMixin, View):
    """One document as PDF, from the case's records (same scope as the case page)."""

    def get(self, request, pk, slug):
        case = case_for(request.user, pk)
        if slug not in pdf.DOCUMENTS or pdf.DOCUMENTS[slug] not in pdf.available(case):
            raise Http404(NOT_FOUND)
        notice = request.GET.get("notice")
        doc, data = pdf.render(case, slug, notice_pk=int(notice) if notice and notice.isdigit() else None)
        return pdf_response(data, f"{case.name}-{doc.title}.pdf")


class FormRangeView(ExportMixin, ServiceFormView):
    """Numbered admission-form ranges held in the subtree: issued, remaining; add a range."""

    template_name = "recruitment/form_ranges.html"
    form_class = FormRangeForm
    success_message = "已登记编号段。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        org = org_from_request(self.request)
        ranges, issued = plan_selectors.form_ranges(self.request.user, org.path if org else None)
        return {
            **super().get_context_data(**kwargs),
            "org": org,
            "ranges": ranges,
            "issued": issued,
            "may_add": may_change_somewhere(self.request.user),
        }

    def perform(self, form):
        return form_services.add_form_range(actor=self.request.user, **form.cleaned_data)

    def get_success_redirect(self, result) -> str:
        return reverse("recruitment:form-ranges")
