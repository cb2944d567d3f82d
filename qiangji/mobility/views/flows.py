"""Mobile members (流动党员): both sides' list, register out, register in, accept, end; the poster code."""

from django.http import Http404
from django.urls import reverse
from django.views.generic import DetailView, TemplateView
from django_tables2 import SingleTableMixin

from qiangji.core import exporting
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.navigation import ManagerRequiredMixin
from qiangji.core.scoping import scope_of
from qiangji.core.selectors import history_for
from qiangji.core.views import ScopedMixin
from qiangji.mobility import forms, qr, selectors, services, signing
from qiangji.mobility.choices import FlowStatus
from qiangji.mobility.filters import FlowFilter
from qiangji.mobility.models import MobileFlow
from qiangji.mobility.tables import FlowTable
from qiangji.mobility.views.base import MemberFormView, ObjectFormView, ServiceFormView, require_change_scope
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

EXPORT_HEADERS = [
    "流入省份",
    "流入城市",
    "流入区县",
    "姓名",
    "原所在党支部",
    "流入地党支部",
    "就业单位或平台",
    "站点/工作地点",
    "外出日期",
    "状态",
]
FLOW_FIELDS = (
    "province",
    "city",
    "county",
    "employer",
    "place",
    "reason",
    "left_on",
    "expected_return_on",
    "contact_phone",
    "note",
)


def flow_values(data) -> dict:
    return {key: data.get(key) for key in FLOW_FIELDS}


class FlowListView(ManagerRequiredMixin, ScopedMixin, SingleTableMixin, TemplateView):
    model = MobileFlow
    template_name = "mobility/flow_list.html"
    table_class = FlowTable
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return selectors.flows_for(self.request.user)

    def get_filterset(self) -> FlowFilter:
        if not hasattr(self, "_filterset"):
            self._filterset = FlowFilter(self.request.GET, queryset=self.get_queryset())
        return self._filterset

    def get_table_data(self):
        filterset = self.get_filterset()
        return filterset.qs if filterset.is_valid() else filterset.queryset.none()

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "filter": self.get_filterset(),
            "destinations": selectors.by_destination(user)[:50],
            "suggestions": selectors.branch_suggestions(user),
        }


class FlowExportView(ScopedMixin, TemplateView):
    """Mobile members by destination (省、市、县 order), as xlsx or csv."""

    model = MobileFlow

    def get_queryset(self):
        return selectors.flows_for(self.request.user)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("fmt", "xlsx")
        if fmt not in exporting.FORMATS:
            raise Http404("不支持的导出格式")
        flows = (
            self.get_queryset()
            .exclude(status=FlowStatus.RETURNED)
            .order_by("province", "city", "county", "member__name_pinyin")
        )
        rows = (
            [
                f.province,
                f.city,
                f.county,
                f.member.name,
                f.out_org.name,
                f.in_org.name if f.in_org else "",
                f.employer,
                f.place,
                f.left_on,
                f.get_status_display(),
            ]
            for f in flows.iterator(chunk_size=500)
        )
        return exporting.export_response(
            EXPORT_HEADERS, rows, fmt=fmt, filename=f"流动党员按流向-{today():%Y%m%d}"
        )


class FlowDetailView(ScopedMixin, DetailView):
    """The member summary as the inflow side sees it: through the flow, never the whole record."""

    model = MobileFlow
    template_name = "mobility/flow_detail.html"
    context_object_name = "flow"

    def get_queryset(self):
        return selectors.flows_for(self.request.user)

    def get_context_data(self, **kwargs):
        flow, scope = self.object, scope_of(self.request.user)
        return super().get_context_data(**kwargs) | {
            "is_inflow": scope.allows(Action.CHANGE, flow.other_path) if flow.other_path else False,
            "may_change": scope.allows(Action.CHANGE, flow.org_path)
            or bool(flow.other_path and scope.allows(Action.CHANGE, flow.other_path)),
            "certificates": flow.member.certificates.all()[:5],
            "history": history_for(flow, self.request.user)[:50],
        }


class OutflowCreateView(MemberFormView):
    form_class = forms.OutflowForm
    form_user = True
    title = "登记流动党员外出"

    def perform(self, form):
        flow = services.register_outflow(
            actor=self.request.user,
            member=self.object,
            values=flow_values(form.cleaned_data),
            in_org=form.cleaned_data["in_org"],
        )
        return "已登记外出", reverse("mobility:flow-detail", args=[flow.pk])


class InflowCreateView(ServiceFormView):
    form_class = forms.InflowForm
    form_user = True
    title = "流入地登记流动党员"
    intro = "按姓名和公民身份证号匹配平台内党员档案；登记后原支部与本支部都能看到该党员。"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_change_scope(request.user)
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        flow = services.register_inflow(
            actor=self.request.user,
            branch=data["in_org"],
            id_number=data["id_number"],
            name=data["name"],
            values=flow_values(data),
        )
        return "已登记流入", reverse("mobility:flow-detail", args=[flow.pk])


class FlowActionView(ObjectFormView):
    model = MobileFlow

    def done(self, flow, message):
        return message, reverse("mobility:flow-detail", args=[flow.pk])


class FlowAcceptView(FlowActionView):
    form_class = forms.forms.Form
    title = "确认接收流动党员"
    submit_label = "确认接收"

    def perform(self, form):
        return self.done(services.accept_inflow(actor=self.request.user, flow=self.object), "已接收")


class FlowDeclineView(FlowActionView):
    form_class = forms.ReasonForm
    title = "不予接收"

    def perform(self, form):
        flow = services.decline_inflow(
            actor=self.request.user, flow=self.object, reason=form.cleaned_data["reason"]
        )
        return self.done(flow, "已退回原支部")


class FlowEndView(FlowActionView):
    form_class = forms.EndFlowForm
    title = "登记返回（结束流动）"

    def perform(self, form):
        flow = services.end_flow(actor=self.request.user, flow=self.object, **form.cleaned_data)
        return self.done(flow, "已登记返回，流动结束")


class PosterView(ScopedMixin, DetailView):
    """A branch's poster: members arriving scan it to register with the branch (pending its acceptance)."""

    model = Organisation
    template_name = "mobility/poster.html"
    context_object_name = "branch"

    def get_queryset(self):
        return super().get_queryset().filter(kind__in=BRANCH_KINDS)

    def get_context_data(self, **kwargs):
        url = self.request.build_absolute_uri(
            reverse("mobility:arrive", args=[signing.arrive_token(self.object.pk)])
        )
        return super().get_context_data(**kwargs) | {"url": url, "qr_svg": qr.svg(url)}


class ArriveView(ServiceFormView):
    """The page behind the poster code: a signed branch token, the member signs in and registers."""

    form_class = forms.FlowForm
    title = "流动党员报到登记"

    def dispatch(self, request, *args, **kwargs):
        pk = signing.arrive_branch_pk(kwargs["token"])
        if pk is None:
            raise Http404("二维码无效，请向流入地党支部索取")
        self.branch = selectors.arrival_branch(pk)
        if self.branch is None:
            raise Http404("该党支部不存在或已撤销")
        self.intro = f"登记后由“{self.branch.name}”确认接收。"
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        services.self_register_arrival(
            actor=self.request.user, branch=self.branch, values=flow_values(form.cleaned_data)
        )
        return f"已提交，待“{self.branch.name}”确认接收", reverse("mobility:index")
