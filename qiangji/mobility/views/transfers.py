"""Transfers and introduction letters (组织关系转接): list, detail, issue, accept, return, receipt, PDF."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, TemplateView
from django_tables2 import SingleTableMixin

from qiangji.core import exporting
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.navigation import ManagerRequiredMixin
from qiangji.core.pdf import pdf_response, render_pdf
from qiangji.core.scoping import scope_of
from qiangji.core.selectors import history_for
from qiangji.core.views import ScopedMixin
from qiangji.mobility import forms, selectors, services
from qiangji.mobility.choices import TransferKind, TransferStatus
from qiangji.mobility.filters import TransferFilter
from qiangji.mobility.models import Transfer
from qiangji.mobility.services.transfers import may_receive
from qiangji.mobility.tables import TransferTable
from qiangji.mobility.views.base import MemberFormView, ObjectFormView, ServiceFormView, require_change_scope

EXPORT_HEADERS = [
    "介绍信编号",
    "类型",
    "姓名",
    "转出党组织",
    "接收党组织",
    "开具日期",
    "有效期至",
    "党费交至",
    "状态",
]


class TransferListView(ManagerRequiredMixin, ScopedMixin, SingleTableMixin, TemplateView):
    model = Transfer
    template_name = "mobility/transfer_list.html"
    table_class = TransferTable
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return selectors.transfers_for(self.request.user)

    def get_filterset(self) -> TransferFilter:
        if not hasattr(self, "_filterset"):
            self._filterset = TransferFilter(self.request.GET, queryset=self.get_queryset())
        return self._filterset

    def get_table_data(self):
        filterset = self.get_filterset()
        return filterset.qs if filterset.is_valid() else filterset.queryset.none()

    def get_context_data(self, **kwargs):
        user, on = self.request.user, today()
        return super().get_context_data(**kwargs) | {
            "filter": self.get_filterset(),
            "overdue_by_org": selectors.overdue_counts_by_org(user, on),
            "graduates": selectors.flagged_graduates(user, on)[:100],
        }


class TransferExportView(ScopedMixin, TemplateView):
    """Transfers in transit (在途) as xlsx or csv, same scope as the list."""

    model = Transfer

    def get_queryset(self):
        return selectors.transfers_for(self.request.user)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("fmt", "xlsx")
        if fmt not in exporting.FORMATS:
            raise Http404("不支持的导出格式")
        rows = (
            [
                t.number,
                t.get_kind_display(),
                t.member_name,
                t.from_org_name,
                t.to_org_name,
                t.issued_on,
                t.expires_on,
                t.dues_paid_to and f"{t.dues_paid_to:%Y-%m}",
                t.get_status_display(),
            ]
            for t in self.get_queryset().filter(status=TransferStatus.IN_TRANSIT).iterator()
        )
        return exporting.export_response(
            EXPORT_HEADERS, rows, fmt=fmt, filename=f"在途组织关系转接-{today():%Y%m%d}"
        )


class TransferDetailView(ScopedMixin, DetailView):
    model = Transfer
    template_name = "mobility/transfer_detail.html"
    context_object_name = "transfer"

    def get_context_data(self, **kwargs):
        transfer, user = self.object, self.request.user
        scope = scope_of(user)
        return super().get_context_data(**kwargs) | {
            "may_receive": may_receive(user, transfer),
            "may_receipt": transfer.kind == TransferKind.OUTGOING
            and transfer.status == TransferStatus.IN_TRANSIT
            and scope.allows(Action.CHANGE, transfer.org_path),
            "expired": today() > transfer.expires_on,
            "history": history_for(transfer, user)[:50],
        }


class TransferCreateView(MemberFormView):
    form_class = forms.TransferForm
    form_user = True
    title = "开具组织关系介绍信"
    intro = (
        "平台内转接须由接收方基层党委接收；接收前仍由本组织负责管理（《中国共产党党员教育管理工作条例》）。"
    )

    def perform(self, form):
        data = form.cleaned_data
        transfer = services.issue_transfer(
            actor=self.request.user,
            member=self.object,
            to_org=data["to_org"],
            to_org_name=data["to_org_name"],
            reason=data["reason"],
            dues_paid=data["dues_paid"],
            valid_days=data["valid_days"],
        )
        return f"已开具介绍信 {transfer.number}", reverse("mobility:transfer-detail", args=[transfer.pk])


class IncomingLetterView(ServiceFormView):
    form_class = forms.IncomingLetterForm
    form_user = True
    title = "登记平台外转入的介绍信"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_change_scope(request.user)
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        transfer = services.register_incoming_letter(actor=self.request.user, **form.cleaned_data)
        return f"已登记介绍信 {transfer.number}，请在党员档案中为其建档", reverse(
            "mobility:transfer-detail", args=[transfer.pk]
        )


class TransferActionView(ObjectFormView):
    model = Transfer

    def done(self, transfer, message):
        return message, reverse("mobility:transfer-detail", args=[transfer.pk])


class TransferAcceptView(TransferActionView):
    form_class = forms.AcceptForm
    title = "接收组织关系"
    submit_label = "接收并编入党支部"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user, "under": self.object.other_path or "-"}

    def perform(self, form):
        transfer = services.accept_transfer(
            actor=self.request.user, transfer=self.object, branch=form.cleaned_data["branch"]
        )
        return self.done(transfer, f"已接收，{transfer.member_name}已编入{transfer.to_branch.name}")


class TransferReturnView(TransferActionView):
    form_class = forms.ReasonForm
    title = "退回介绍信"

    def perform(self, form):
        transfer = services.return_transfer(
            actor=self.request.user, transfer=self.object, reason=form.cleaned_data["reason"]
        )
        return self.done(transfer, "已退回")


class TransferReceiptView(TransferActionView):
    form_class = forms.ReceiptForm
    title = "登记介绍信回执"

    def perform(self, form):
        transfer = services.record_receipt(
            actor=self.request.user, transfer=self.object, returned_on=form.cleaned_data["returned_on"]
        )
        return self.done(transfer, "已登记回执")


class LetterPdfView(ScopedMixin, DetailView):
    """The three-part letter (存根、介绍信、回执) as a PDF."""

    model = Transfer

    def get(self, request, *args, **kwargs):
        transfer = self.get_object()
        data = render_pdf("mobility/pdf/letter.html", {"transfer": transfer, "generated_at": timezone.now()})
        return pdf_response(data, f"介绍信-{transfer.number}.pdf")


class GraduateHoldView(MemberFormView):
    form_class = forms.GraduateForm
    title = "登记毕业生组织关系保留"
    intro = "毕业生组织关系在学校保留一般不超过2年，满2年时提醒转出（《中国共产党党员教育管理工作条例》）。"

    def perform(self, form):
        services.register_graduate_hold(
            actor=self.request.user, member=self.object, graduated_on=form.cleaned_data["graduated_on"]
        )
        return "已登记", reverse("mobility:member", args=[self.object.pk])
