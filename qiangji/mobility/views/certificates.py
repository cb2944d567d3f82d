"""The activity certificate (活动证): issue, show with its QR code, PDF card, check, revoke; and the
public offline verify page with the published public key."""

import json

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, TemplateView, View

from qiangji.core.choices import Action
from qiangji.core.exporting import ExportMixin
from qiangji.core.pdf import pdf_response, render_pdf
from qiangji.core.scoping import scope_of
from qiangji.core.views import ScopedMixin
from qiangji.mobility import forms, qr, selectors, services, signing
from qiangji.mobility.models import Certificate
from qiangji.mobility.services.certificates import NO_VOTE
from qiangji.mobility.views.base import MemberFormView, ObjectFormView


def verify_url(request, token: str) -> str:
    """The QR content: the verify page with the token in the fragment (never sent to the server)."""
    return request.build_absolute_uri(reverse("mobility:verify")) + "#" + token


class CertificateListView(ExportMixin, ScopedMixin, TemplateView):
    model = Certificate
    template_name = "mobility/certificate_list.html"

    def get_queryset(self):
        return selectors.certificates_for(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"certificates": self.get_queryset()[:200]}


class CertificateDetailView(ScopedMixin, DetailView):
    model = Certificate
    template_name = "mobility/certificate_detail.html"
    context_object_name = "cert"

    def get_queryset(self):
        return selectors.certificates_for(self.request.user)

    def get_context_data(self, **kwargs):
        cert = self.object
        url = verify_url(self.request, cert.token)
        return super().get_context_data(**kwargs) | {
            "qr_svg": qr.svg(url),
            "verify_link": url,
            "no_vote": NO_VOTE,
            "may_change": scope_of(self.request.user).allows(Action.CHANGE, cert.org_path),
            "payload": services.certificates.payload_for(cert),
        }


class CertificatePdfView(CertificateDetailView):
    def get(self, request, *args, **kwargs):
        cert = self.get_object()
        url = verify_url(request, cert.token)
        data = render_pdf(
            "mobility/pdf/certificate.html",
            {
                "cert": cert,
                "qr": qr.data_uri(url, scale=5),
                "no_vote": NO_VOTE,
                "generated_at": timezone.now(),
            },
        )
        return pdf_response(data, f"流动党员活动证-{cert.number}.pdf")


class CertificateIssueView(MemberFormView):
    form_class = forms.forms.Form
    title = "发放流动党员活动证"
    intro = "编号取自县委组织部的活动证序列；有效期一年，每年结合民主评议查验（《中国共产党党员教育管理工作条例》）。"
    submit_label = "发放"

    def perform(self, form):
        cert = services.issue_certificate(actor=self.request.user, member=self.object)
        return f"已发放活动证 {cert.number}", reverse("mobility:certificate-detail", args=[cert.pk])


class CertificateCheckView(ObjectFormView):
    model = Certificate
    form_class = forms.forms.Form
    title = "活动证年度查验"
    submit_label = "查验通过，延续一年"

    def perform(self, form):
        cert = services.check_certificate(actor=self.request.user, cert=self.object)
        return "已查验，有效期延续一年并重新签名", reverse("mobility:certificate-detail", args=[cert.pk])


class CertificateRevokeView(ObjectFormView):
    model = Certificate
    form_class = forms.RevokeForm
    title = "注销活动证"

    def perform(self, form):
        cert = services.revoke_certificate(
            actor=self.request.user, cert=self.object, reason=form.cleaned_data["reason"]
        )
        return "已注销", reverse("mobility:certificate-detail", args=[cert.pk])


def public_keys() -> dict[str, str]:
    raw = signing.raw_public_key()
    return {signing.key_id(raw): signing.b64url(raw)}


class VerifyView(TemplateView):
    """Public and self-contained: once loaded it verifies tokens with no connection at all."""

    template_name = "mobility/verify.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "keys_json": json.dumps(public_keys()),
            "no_vote": NO_VOTE,
        }


class PublicKeyView(View):
    """The certificate signing key's public half: PEM by default, `?format=json` for the raw key."""

    def get(self, request):
        if request.GET.get("format") == "json":
            return HttpResponse(
                json.dumps({"alg": "Ed25519", "keys": public_keys()}), content_type="application/json"
            )
        return HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file; charset=utf-8")
