"""The branch side: the landing page, the month calendar with the to-do, and the year plan."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.life import selectors, services
from qiangji.life.forms import PlanForm, PlanItemForm, ReasonForm
from qiangji.life.models import Meeting, PlanItem, YearPlan
from qiangji.life.views.common import (
    NOT_FOUND,
    add_service_errors,
    branch_for,
    may_change,
    org_for,
    refuse,
)
from qiangji.life.views.month import WEEKDAYS, month_days, month_key, parse_month, shift_month
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation


class HomeView(LoginRequiredMixin, View):
    """Where the user's organisations are: each granted node (branch → calendar, committee → its page)
    and the member's own branch (its meetings, to check in and read)."""

    def get(self, request):
        scope = scope_of(request.user)
        paths = set(scope.paths_for(Action.VIEW)) | set(scope.member_org_paths())
        orgs = Organisation.objects.filter(path__in=paths).order_by("path") if not scope.is_superuser \
            else Organisation.objects.filter(depth=1)
        orgs = list(orgs[:50])
        if len(orgs) == 1 and orgs[0].kind in BRANCH_KINDS:
            return redirect("life:calendar", org_pk=orgs[0].pk)
        own = Meeting.objects.filter(org_path__in=scope.member_org_paths()).select_related("meeting_type")[:10]
        return render(request, "life/home.html", {"orgs": orgs, "own_meetings": own})


def month_events(branch, year: int, month: int) -> tuple[dict, list]:
    """Meetings (by held or planned date) and open plan items of the month, by date."""
    first = datetime.date(year, month, 1)
    last = datetime.date(*shift_month(year, month, 1), 1) - datetime.timedelta(days=1)
    meetings = list(Meeting.objects.filter(organisation=branch).filter(
        Q(held_on__range=(first, last)) | Q(held_on__isnull=True, planned_on__range=(first, last)))
        .select_related("meeting_type").order_by("starts_at", "pk"))
    linked = set(Meeting.objects.filter(organisation=branch, plan_item__isnull=False)
                 .values_list("plan_item_id", flat=True))
    items = [item for item in PlanItem.objects.filter(org_path=branch.path, planned_on__range=(first, last),
                                                      dropped_at__isnull=True).select_related("meeting_type")
             if item.pk not in linked]
    by_date: dict = {}
    for meeting in meetings:
        by_date.setdefault(meeting.held_on or meeting.planned_on, []).append({"meeting": meeting})
    for item in items:
        by_date.setdefault(item.planned_on, []).append({"plan_item": item})
    return by_date, items


class CalendarView(LoginRequiredMixin, View):
    """The branch's month: what is due (required meetings of the rule table, pushed themes and their
    activities, planned meetings) and a calendar (a list of days on a phone, a month grid on a desk)."""

    def get(self, request, org_pk):
        branch = branch_for(request.user, org_pk)
        today = services.today()
        year, month = parse_month(request.GET.get("month"), today)
        by_date, open_items = month_events(branch, year, month)
        todo = selectors.due_for(branch, year, month)
        return render(request, "life/calendar.html", {
            "branch": branch, "year": year, "month": month, "todo": todo, "open_items": open_items,
            "days": month_days(year, month, by_date, today), "weekdays": WEEKDAYS, "has_events": bool(by_date),
            "previous": month_key(year, month, -1), "next": month_key(year, month, 1),
            "may_change": may_change(request.user, branch.path),
            "plan": YearPlan.objects.filter(organisation=branch, year=year).first(),
        })


class PlanMakeView(LoginRequiredMixin, View):
    """Make the year plan of a branch or committee; themes already pushed to it are inherited."""

    def get(self, request, org_pk):
        org = org_for(request.user, org_pk, Action.CHANGE, staff=True)
        year = services.today().year
        return render(request, "life/plan_make.html", {"org": org, "form": PlanForm(initial={"year": year}),
                                                       "plans": YearPlan.objects.filter(organisation=org)})

    def post(self, request, org_pk):
        org = org_for(request.user, org_pk, Action.CHANGE, staff=True)
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = services.make_plan(actor=request.user, organisation=org, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"已制定“{plan.title}”")
                return redirect("life:yearplan-detail", pk=plan.pk)
        return render(request, "life/plan_make.html", {"org": org, "form": form,
                                                       "plans": YearPlan.objects.filter(organisation=org)}, status=400)


def plan_for(user, pk, action=Action.VIEW) -> YearPlan:
    plan = YearPlan.objects.visible_to(user, action).select_related("organisation").filter(pk=pk).first()
    if plan is None:
        raise Http404(NOT_FOUND)
    return plan


class PlanDetailView(LoginRequiredMixin, View):
    def get(self, request, pk, form=None, status=200):
        plan = plan_for(request.user, pk)
        items = list(plan.items.select_related("meeting_type", "theme").prefetch_related("meetings"))
        return render(request, "life/plan_detail.html", {
            "plan": plan, "items": items, "form": form or PlanItemForm(),
            "may_change": may_change(request.user, plan.org_path), "drop_form": ReasonForm(),
        }, status=status)

    def post(self, request, pk):
        """Add an item."""
        plan = plan_for(request.user, pk, Action.CHANGE)
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


class PlanItemDropView(LoginRequiredMixin, View):
    """Cancel a planned item; a pushed theme day needs a written reason (never dropped silently)."""

    def post(self, request, pk):
        item = PlanItem.objects.visible_to(request.user, Action.CHANGE).filter(pk=pk).first()
        if item is None:
            raise Http404(NOT_FOUND)
        form = ReasonForm(request.POST)
        form.is_valid()
        try:
            services.drop_plan_item(actor=request.user, item=item, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            return refuse(request, error, "life:yearplan-detail", pk=item.plan_id)
        messages.success(request, f"已取消“{item.title}”")
        return redirect("life:yearplan-detail", pk=item.plan_id)
