"""The committee side: push a month's theme and checklist to the subtree, see the branches' plans,
review submitted records, excuse a branch (exemption with a reason)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django_tables2 import RequestConfig

from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.exporting import ExportMixin
from qiangji.core.views import add_service_errors
from qiangji.life import selectors, services
from qiangji.life.choices import MeetingStatus
from qiangji.life.forms import ChecklistItemForm, ExemptionForm, ReasonForm, ThemeForm
from qiangji.life.models import MonthlyTheme
from qiangji.life.selectors import committee as reads
from qiangji.life.tables import PlanTable, ReviewTable
from qiangji.life.views.base import LifeView


class CommitteeView(ExportMixin, LifeView):
    def get(self, request, org_pk):
        org = selectors.committee_for(request.user, org_pk)
        year = (
            int(request.GET.get("year", "") or today().year)
            if request.GET.get("year", "").isdigit()
            else today().year
        )
        return render(
            request,
            "life/committee.html",
            {
                "org": org,
                "year": year,
                **reads.committee_overview(org, year),
                "may_change": selectors.may_change(request.user, org.path),
            },
        )


class ThemePushView(LifeView):
    template = "life/theme_form.html"

    def get(self, request, org_pk):
        org = selectors.committee_for(request.user, org_pk, Action.CHANGE)
        day = today()
        form = ThemeForm(
            initial={
                "year": day.year,
                "month": day.month,
                "required_items": "集中学习一小时\n集中交纳党费\n重温入党誓词",
            }
        )
        return render(request, self.template, {"org": org, "form": form})

    def post(self, request, org_pk):
        org = selectors.committee_for(request.user, org_pk, Action.CHANGE)
        form = ThemeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                theme = services.push_theme(
                    actor=request.user,
                    organisation=org,
                    year=data["year"],
                    month=data["month"],
                    title=data["title"],
                    text=data["text"],
                    items=form.items(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"已向下级发布{theme.year}年{theme.month}月主题“{theme.title}”")
                return redirect("life:monthlytheme-detail", pk=theme.pk)
        return render(request, self.template, {"org": org, "form": form}, status=400)


class ThemeDetailView(LifeView):
    model = MonthlyTheme

    def get(self, request, pk, form=None, status=200):
        theme = selectors.theme_for(request.user, pk)
        return render(
            request,
            "life/theme_detail.html",
            {
                "theme": theme,
                "items": theme.items.all(),
                "form": form or ChecklistItemForm(),
                "may_change": selectors.may_change(request.user, theme.org_path),
            },
            status=status,
        )

    def post(self, request, pk):
        theme = selectors.theme_for(request.user, pk, Action.CHANGE)
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


class ReviewListView(ExportMixin, LifeView):
    """Records of the subtree waiting for review (or in another state with ?status=)."""

    def get(self, request, org_pk):
        org = selectors.committee_for(request.user, org_pk)
        status = request.GET.get("status") or MeetingStatus.SUBMITTED
        if status not in MeetingStatus.values:
            status = MeetingStatus.SUBMITTED
        table = ReviewTable(reads.review_rows(org, status))
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render(
            request,
            "life/reviews.html",
            {
                "org": org,
                "table": table,
                "status": status,
                "statuses": MeetingStatus.choices,
                "return_form": ReasonForm(),
            },
        )


class PlanListView(ExportMixin, LifeView):
    def get(self, request, org_pk):
        org = selectors.committee_for(request.user, org_pk)
        year = today().year
        if request.GET.get("year", "").isdigit():
            year = int(request.GET["year"])
        table = PlanTable(reads.subtree_plans(org, year))
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render(request, "life/plans.html", {"org": org, "table": table, "year": year})


class ExemptionView(LifeView):
    template = "life/exemption_form.html"

    def form(self, request, org, data=None):
        return ExemptionForm(data, branches=selectors.changeable_branches(request.user, org))

    def get(self, request, org_pk):
        org = selectors.committee_for(request.user, org_pk, Action.CHANGE)
        return render(request, self.template, {"org": org, "form": self.form(request, org)})

    def post(self, request, org_pk):
        org = selectors.committee_for(request.user, org_pk, Action.CHANGE)
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
