"""The committee side: push a month's theme and checklist to the subtree, see the branches' plans,
review submitted records, excuse a branch (exemption with a reason)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View
from django_tables2 import RequestConfig

from qiangji.core.choices import Action
from qiangji.life import services
from qiangji.life.choices import MeetingStatus
from qiangji.life.forms import ChecklistItemForm, ExemptionForm, ReasonForm, ThemeForm
from qiangji.life.models import Meeting, MeetingExemption, MonthlyTheme, YearPlan
from qiangji.life.tables import PlanTable, ReviewTable
from qiangji.life.views.common import NOT_FOUND, add_service_errors, committee_for, may_change
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation


class CommitteeView(LoginRequiredMixin, View):
    def get(self, request, org_pk):
        org = committee_for(request.user, org_pk)
        year = int(request.GET.get("year", "") or services.today().year) if request.GET.get("year", "").isdigit() \
            else services.today().year
        return render(request, "life/committee.html", {
            "org": org, "year": year,
            "themes": MonthlyTheme.objects.filter(organisation=org, year=year).prefetch_related("items"),
            "inherited": MonthlyTheme.objects.for_branch_path(org.path).filter(year=year)
            .exclude(organisation=org).select_related("organisation"),
            "waiting": Meeting.objects.filter(org_path__startswith=org.path, status=MeetingStatus.SUBMITTED).count(),
            "exemptions": MeetingExemption.objects.filter(org_path__startswith=org.path)
            .select_related("organisation", "meeting_type")[:20],
            "may_change": may_change(request.user, org.path),
        })


class ThemePushView(LoginRequiredMixin, View):
    template = "life/theme_form.html"

    def get(self, request, org_pk):
        org = committee_for(request.user, org_pk, Action.CHANGE)
        today = services.today()
        form = ThemeForm(initial={"year": today.year, "month": today.month,
                                  "required_items": "集中学习一小时\n集中交纳党费\n重温入党誓词"})
        return render(request, self.template, {"org": org, "form": form})

    def post(self, request, org_pk):
        org = committee_for(request.user, org_pk, Action.CHANGE)
        form = ThemeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                theme = services.push_theme(actor=request.user, organisation=org, year=data["year"],
                                            month=data["month"], title=data["title"], text=data["text"],
                                            items=form.items())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"已向下级发布{theme.year}年{theme.month}月主题“{theme.title}”")
                return redirect("life:monthlytheme-detail", pk=theme.pk)
        return render(request, self.template, {"org": org, "form": form}, status=400)


class ThemeDetailView(LoginRequiredMixin, View):
    def theme(self, request, pk, action=Action.VIEW):
        theme = MonthlyTheme.objects.visible_to(request.user, action).select_related("organisation") \
            .filter(pk=pk).first()
        if theme is None:
            raise Http404(NOT_FOUND)
        return theme

    def get(self, request, pk, form=None, status=200):
        theme = self.theme(request, pk)
        return render(request, "life/theme_detail.html", {
            "theme": theme, "items": theme.items.all(), "form": form or ChecklistItemForm(),
            "may_change": may_change(request.user, theme.org_path),
        }, status=status)

    def post(self, request, pk):
        theme = self.theme(request, pk, Action.CHANGE)
        form = ChecklistItemForm(request.POST)
        if form.is_valid():
            try:
                services.add_checklist_item(actor=request.user, theme=theme, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "已添加动作")
                return redirect("life:monthlytheme-detail", pk=theme.pk)
        return self.get(request, pk, form=form, status=400)


class ReviewListView(LoginRequiredMixin, View):
    """Records of the subtree waiting for review (or in another state with ?status=)."""

    def get(self, request, org_pk):
        org = committee_for(request.user, org_pk)
        status = request.GET.get("status") or MeetingStatus.SUBMITTED
        if status not in MeetingStatus.values:
            status = MeetingStatus.SUBMITTED
        rows = (Meeting.objects.filter(org_path__startswith=org.path, status=status)
                .select_related("organisation", "meeting_type").order_by("-submitted_at", "-held_on", "-pk"))
        table = ReviewTable(rows)
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render(request, "life/reviews.html", {
            "org": org, "table": table, "status": status, "statuses": MeetingStatus.choices,
            "return_form": ReasonForm(),
        })


class PlanListView(LoginRequiredMixin, View):
    def get(self, request, org_pk):
        org = committee_for(request.user, org_pk)
        year = services.today().year
        if request.GET.get("year", "").isdigit():
            year = int(request.GET["year"])
        table = PlanTable(YearPlan.objects.filter(org_path__startswith=org.path, year=year)
                          .select_related("organisation").order_by("org_path"))
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render(request, "life/plans.html", {"org": org, "table": table, "year": year})


class ExemptionView(LoginRequiredMixin, View):
    template = "life/exemption_form.html"

    def form(self, request, org, data=None):
        branches = Organisation.objects.visible_to(request.user, Action.CHANGE).filter(
            path__startswith=org.path, kind__in=BRANCH_KINDS)
        return ExemptionForm(data, branches=branches)

    def get(self, request, org_pk):
        org = committee_for(request.user, org_pk, Action.CHANGE)
        return render(request, self.template, {"org": org, "form": self.form(request, org)})

    def post(self, request, org_pk):
        org = committee_for(request.user, org_pk, Action.CHANGE)
        form = self.form(request, org, request.POST)
        if form.is_valid():
            try:
                services.grant_exemption(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "已登记免于考核")
                return redirect("life:committee", org_pk=org.pk)
        return render(request, self.template, {"org": org, "form": form}, status=400)
