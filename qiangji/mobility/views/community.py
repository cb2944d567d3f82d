"""Dual anchors for new-employment branches, and in-service members reporting to communities."""

from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView

from qiangji.core.choices import Action
from qiangji.core.exporting import ExportMixin
from qiangji.core.scoping import scope_of
from qiangji.core.views import ScopedMixin
from qiangji.mobility import forms, selectors, services
from qiangji.mobility.models import CommunityReport, DualAnchor, ServicePost, VolunteerHours
from qiangji.mobility.views.base import ObjectFormView, ServiceFormView, require_change_scope


class StaffOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_change_scope(request.user)
        return super().dispatch(request, *args, **kwargs)


class AnchorListView(ExportMixin, ScopedMixin, TemplateView):
    model = DualAnchor
    template_name = "mobility/anchor_list.html"

    def get_queryset(self):
        return selectors.anchors_for(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "anchors": self.get_queryset()[:200],
            "suggestions": selectors.branch_suggestions(user),
        }


class AnchorCreateView(StaffOnlyMixin, ServiceFormView):
    form_class = forms.AnchorForm
    form_user = True
    title = "建立双重隶属（新就业群体党支部）"
    intro = "党支部同时挂靠平台企业/站点/车队与属地街道社区，两条线都能看到该支部。"

    def perform(self, form):
        services.anchor_branch(actor=self.request.user, **form.cleaned_data)
        return "已建立双重隶属", reverse("mobility:anchor-list")


class AnchorRemoveView(ObjectFormView):
    model = DualAnchor
    form_class = forms.forms.Form
    title = "解除双重隶属"
    submit_label = "解除"

    def perform(self, form):
        services.remove_anchor(actor=self.request.user, anchor=self.object)
        return "已解除", reverse("mobility:anchor-list")


class CommunityView(ExportMixin, ScopedMixin, TemplateView):
    """Reports, hours and posts: the community sees who reported to it, the employer's branch the hours,
    the member their own."""

    model = CommunityReport
    template_name = "mobility/community.html"

    def get_queryset(self):
        return selectors.reports_for(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        own = selectors.own_member(user)
        return super().get_context_data(**kwargs) | {
            "reports": self.get_queryset()[:200],
            "hours": selectors.hours_for(user)[:200],
            "totals": selectors.confirmed_hours_by_member(user)[:200],
            "own_member": own,
            "posts": ServicePost.objects.visible_to(user).filter(is_open=True)[:200],
            "may_confirm": {
                h.pk
                for h in selectors.hours_for(user)[:200]
                if scope_of(user).allows(Action.CHANGE, h.other_path)
            },
        }


class ServicePostCreateView(StaffOnlyMixin, ServiceFormView):
    form_class = forms.ServicePostForm
    form_user = True
    title = "新增社区服务岗位"

    def perform(self, form):
        services.add_service_post(actor=self.request.user, **form.cleaned_data)
        return "已新增服务岗位", reverse("mobility:community")


class ReportCreateView(ServiceFormView):
    """The member registers themself with the community where they live."""

    form_class = forms.CommunityReportForm
    form_user = True
    title = "到居住地社区报到"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.member = selectors.own_member(request.user)
            if self.member is None:
                raise Http404("您的账号未关联党员档案")
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        services.register_with_community(
            actor=self.request.user,
            member=self.member,
            community=form.cleaned_data["community"],
            post_ids=form.post_ids(),
        )
        return "已报到", reverse("mobility:community")


class HoursCreateView(ObjectFormView):
    """Hours are recorded by the member (or the community) on their report."""

    model = CommunityReport
    scope_action = Action.VIEW
    form_class = forms.HoursForm
    title = "登记志愿服务时长"

    def perform(self, form):
        services.record_hours(actor=self.request.user, report=self.object, **form.cleaned_data)
        return "已登记，待社区确认", reverse("mobility:community")


class HoursDecideView(ObjectFormView):
    model = VolunteerHours
    form_class = forms.forms.Form
    title = "确认志愿服务时长"
    submit_label = "确认"

    def perform(self, form):
        confirm = self.request.POST.get("decision") != "reject"
        services.decide_hours(actor=self.request.user, entry=self.object, confirm=confirm)
        return ("已确认" if confirm else "已标记为未确认"), reverse("mobility:community")
