"""The dossier page (documents as PDF, the step-25 checklist) and admission-form number ranges."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView, TemplateView

from qiangji.core.choices import Action
from qiangji.core.pdf import pdf_response
from qiangji.core.scoping import scope_of
from qiangji.recruitment import pdf
from qiangji.recruitment.forms import add_errors
from qiangji.recruitment.forms.plans import FormRangeForm
from qiangji.recruitment.models import AdmissionForm, AdmissionFormRange
from qiangji.recruitment.selectors.cases import case_for, checklist
from qiangji.recruitment.services import forms as form_services
from qiangji.recruitment.views.common import NOT_FOUND, subtree


class DossierView(LoginRequiredMixin, TemplateView):
    template_name = "recruitment/dossier.html"

    def get_context_data(self, **kwargs):
        case = case_for(self.request.user, self.kwargs["pk"])
        documents = list(case.documents.all())
        return {**super().get_context_data(**kwargs), "case": case, "documents": pdf.available(case),
                "checklist": checklist(case, documents), "files": documents,
                "form": AdmissionForm.objects.filter(case=case).first(),
                "notices": list(case.notices.all())}


class DossierPdfView(LoginRequiredMixin, View):
    """One document as PDF, from the case's records (same scope as the case page)."""

    def get(self, request, pk, slug):
        case = case_for(request.user, pk)
        if slug not in pdf.DOCUMENTS or pdf.DOCUMENTS[slug] not in pdf.available(case):
            raise Http404(NOT_FOUND)
        notice = request.GET.get("notice")
        doc, data = pdf.render(case, slug, notice_pk=int(notice) if notice and notice.isdigit() else None)
        return pdf_response(data, f"{case.name}-{doc.title}.pdf")


class FormRangeView(LoginRequiredMixin, FormView):
    """Numbered admission-form ranges held in the subtree: issued, remaining; add a range."""

    template_name = "recruitment/form_ranges.html"
    form_class = FormRangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        org = subtree(self.request)
        ranges = AdmissionFormRange.objects.visible_to(self.request.user).select_related("organisation")
        issued = AdmissionForm.objects.visible_to(self.request.user).select_related("case")
        if org:
            ranges = ranges.filter(org_path__startswith=org.path)
            issued = issued.filter(org_path__startswith=org.path)
        may_add = scope_of(self.request.user).is_superuser or bool(scope_of(self.request.user).paths_for(
            Action.CHANGE))
        return {**super().get_context_data(**kwargs), "org": org, "ranges": list(ranges),
                "issued": list(issued.order_by("-issued_on", "-pk")[:100]), "may_add": may_add}

    def form_valid(self, form):
        try:
            form_services.add_form_range(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "已登记编号段。")
        return redirect("recruitment:form-ranges")
