"""Reads of the branch side: the landing page's organisations, a month's events, the year plans.

Each takes the user (and starts from their scope) or an organisation already read through it.
"""

import datetime

from django.db.models import Q

from qiangji.core.choices import Action
from qiangji.core.dates import last_of_month
from qiangji.core.scoping import scope_of
from qiangji.life.models import Meeting, PlanItem, YearPlan
from qiangji.orgs.models import Organisation


def home_orgs(user, limit: int = 50) -> list[Organisation]:
    """Each granted node and the member's own branch (a superuser: the roots)."""
    scope = scope_of(user)
    if scope.is_superuser:
        orgs = Organisation.objects.filter(depth=1)
    else:
        paths = set(scope.paths_for(Action.VIEW)) | set(scope.member_org_paths())
        orgs = Organisation.objects.filter(path__in=paths).order_by("path")
    return list(orgs[:limit])


def own_meetings(user, limit: int = 10):
    """Meetings of the member's own branch (to check in and read)."""
    return Meeting.objects.filter(org_path__in=scope_of(user).member_org_paths()).select_related(
        "meeting_type"
    )[:limit]


def month_events(branch: Organisation, year: int, month: int) -> tuple[dict, list]:
    """Meetings (by held or planned date) and open plan items of the month, by date."""
    first = datetime.date(year, month, 1)
    last = last_of_month(first)
    meetings = list(
        Meeting.objects.filter(organisation=branch)
        .filter(Q(held_on__range=(first, last)) | Q(held_on__isnull=True, planned_on__range=(first, last)))
        .select_related("meeting_type")
        .order_by("starts_at", "pk")
    )
    linked = set(
        Meeting.objects.filter(organisation=branch, plan_item__isnull=False).values_list(
            "plan_item_id", flat=True
        )
    )
    items = [
        item
        for item in PlanItem.objects.filter(
            org_path=branch.path, planned_on__range=(first, last), dropped_at__isnull=True
        ).select_related("meeting_type")
        if item.pk not in linked
    ]
    by_date: dict = {}
    for meeting in meetings:
        by_date.setdefault(meeting.held_on or meeting.planned_on, []).append({"meeting": meeting})
    for item in items:
        by_date.setdefault(item.planned_on, []).append({"plan_item": item})
    return by_date, items


def plan_of(org: Organisation, year: int) -> YearPlan | None:
    return YearPlan.objects.filter(organisation=org, year=year).first()


def plans_of(org: Organisation):
    return YearPlan.objects.filter(organisation=org)


def plan_items(plan: YearPlan) -> list[PlanItem]:
    return list(plan.items.select_related("meeting_type", "theme").prefetch_related("meetings"))
