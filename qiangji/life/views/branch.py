"""The branch side: the landing page, the month calendar with the to-do, and the year plan."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.exporting import ExportMixin
from qiangji.core.views import add_service_errors
from qiangji.life import selectors, services
from qiangji.life.forms import PlanForm, PlanItemForm, ReasonForm
from qiangji.life.models import PlanItem, YearPlan
from qiangji.life.selectors import branch as reads
from qiangji.life.views.base import LifeView, refuse
from qiangji.life.views.month import WEEKDAYS, month_days, month_key, parse_month
from qiangji.orgs.choices import BRANCH_KINDS


class HomeView(ExportMixin, LifeView):
    """Where the user's organisations are: each granted node (branch → calendar, committee → its page)
    and the member's own branch (its meetings, to check in and read)."""

    def get(self, request):
        orgs = reads.home_orgs(request.user)
        if len(orgs) == 1 and orgs[0].kind in BRANCH_KINDS:
            return redirect("life:calendar", org_pk=orgs[0].pk)
        return render(
            request, "life/home.html", {"orgs": orgs, "own_meetings": reads.own_meetings(request.user)}
        )


class CalendarView(ExportMixin, LifeView):
    """The branch's month: what is due (required meetings of the rule table, pushed themes and their
    activities, planned meetings) and a calendar (a list of days on a phone, a month grid on a desk)."""

    def get(self, request, org_pk):
        branch = selectors.branch_for(request.user, org_pk)
        day = today()
        year, month = parse_month(request.GET.get("month"), day)
        by_date, open_items = reads.month_events(branch, year, month)
        todo = selectors.due_for(branch, year, month)
        return render(
            request,
            "life/calendar.html",
            {
                "branch": branch,
                "year": year,
                "month": month,
                "todo": todo,
                "open_items": open_items,
                "days": month_days(year, month, by_date, day),
                "weekdays": WEEKDAYS,
                "has_events": bool(by_date),
                "previous": month_key(year, month, -1),
                "next": month_key(year, month, 1),
                "may_change": selectors.may_change(request.user, branch.path),
                "plan": reads.plan_of(branch, year),
            },
        )


class PlanMakeView(LifeView):
    """Make the year plan of a branch or committee; themes already pushed to it are inherited."""

    def get(self, request, org_pk):
        org = selectors.org_for(request.user, org_pk, Action.CHANGE, staff=True)
        year = today().year
        return render(
            request,
            "life/plan_make.html",
            {"org": org, "form": PlanForm(initial={"year": year}), "plans": reads.plans_of(org)},
        )

    def post(self, request, org_pk):
        org = selectors.org_for(request.user, org_pk, Action.CHANGE, staff=True)
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = services.make_plan(actor=request.user, organisation=org, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"已制定“{plan.title}”")
                return redirect("life:yearplan-detail", pk=plan.pk)
        return render(
            request,
            "life/plan_make.html",
            {"org": org, "form": form, "plans": reads.plans_of(org)},
            status=400,
        )


class PlanDetailView(LifeView):
    model = YearPlan

    def get(self, request, pk, form=None, status=200):
        plan = selectors.plan_for(request.user, pk)
        items = reads.plan_items(plan)
        return render(
            request,
            "life/plan_detail.html",
            {
                "plan": plan,
                "items": items,
                "form": form or PlanItemForm(),
                "may_change": selectors.may_change(request.user, plan.org_path),
                "drop_form": ReasonForm(),
            },
            status=status,
        )

    def post(self, request, pk):
        """Add an item."""
        plan = selectors.plan_for(request.user, pk, Action.CHANGE)
        form = PlanItemForm(request.POST)
        if form.is_valid():
            try:
                services.add_plan_item(actor=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "已添加计划事项")
                return redirect("life:yearplan-detail", pk=plan.pk)
        return self.get(request, pk, form=form, status=400)


class PlanItemDropView(LifeView):
    """Cancel a planned item; a pushed theme day needs a written reason (never dropped silently)."""

    model = PlanItem
    scope_action = Action.CHANGE

    def post(self, request, pk):
        item = selectors.plan_item_for(request.user, pk, Action.CHANGE)
        form = ReasonForm(request.POST)
        form.is_valid()
        try:
            services.drop_plan_item(actor=request.user, item=item, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            return refuse(request, error, "life:yearplan-detail", pk=item.plan_id)
        messages.success(request, f"已取消“{item.title}”")
        return redirect("life:yearplan-detail", pk=item.plan_id)
