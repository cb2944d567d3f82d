"""A branch's to-do for a month: required meetings not yet held in their period, themes and activities."""

import datetime
from dataclasses import dataclass, field

from qiangji.life.choices import HELD_STATES, MeetingStatus
from qiangji.life.models import ChecklistItem, Meeting, MeetingType, MonthlyTheme, PlanItem
from qiangji.life.rules import ancestor_paths, effective_period


@dataclass
class DueItem:
    meeting_type: MeetingType
    period_months: int
    period_start: datetime.date
    period_end: datetime.date
    held: list = field(default_factory=list)  # meetings held in the rule's period
    planned: list = field(default_factory=list)  # meetings scheduled, not yet held, in the period

    @property
    def is_done(self) -> bool:
        return bool(self.held)


def _bucket(year: int, month: int, months: int) -> tuple[datetime.date, datetime.date]:
    first = (month - 1) // months * months + 1
    last_month = first + months - 1
    start = datetime.date(year, first, 1)
    end = datetime.date(year + 1, 1, 1) if last_month == 12 else datetime.date(year, last_month + 1, 1)
    return start, end - datetime.timedelta(days=1)


def due_for(branch, year: int, month: int) -> dict:
    """What the branch must do in (year, month): each required type's current period and whether it is done,
    the themes pushed for the month with their activities, and plan items of the month."""
    items = []
    meetings = list(
        Meeting.objects.filter(organisation=branch, held_on__year=year).select_related("meeting_type")
    ) + list(
        Meeting.objects.filter(
            organisation=branch, status=MeetingStatus.PLANNED, planned_on__year=year
        ).select_related("meeting_type")
    )
    for meeting_type in MeetingType.objects.filter(is_required=True):
        months = effective_period(meeting_type, branch.path)
        start, end = _bucket(year, month, months)
        counts = {meeting_type.pk} | set(meeting_type.counted_from.values_list("pk", flat=True))
        mine = [m for m in meetings if m.meeting_type_id in counts]
        items.append(
            DueItem(
                meeting_type,
                months,
                start,
                end,
                held=[m for m in mine if m.status in HELD_STATES and m.held_on and start <= m.held_on <= end],
                planned=[
                    m
                    for m in mine
                    if m.status == MeetingStatus.PLANNED and m.planned_on and start <= m.planned_on <= end
                ],
            )
        )
    themes = list(
        MonthlyTheme.objects.filter(
            org_path__in=ancestor_paths(branch.path), year=year, month=month
        ).select_related("organisation")
    )
    return {
        "year": year,
        "month": month,
        "due": items,
        "themes": themes,
        "items": list(ChecklistItem.objects.filter(theme__in=themes)),
        "plan_items": list(
            PlanItem.objects.filter(
                org_path=branch.path, planned_on__year=year, planned_on__month=month
            ).select_related("meeting_type", "theme")
        ),
    }
