"""Scope-walk cases for the life API: kwargs point at objects in the FOREIGN county."""

import datetime

from qiangji.life.models import Meeting, MeetingType, MonthlyTheme, PlanItem, YearPlan


def foreign_theme(world):
    return MonthlyTheme.objects.create(
        organisation=world.foreign_county,
        org_path=world.foreign_county.path,
        year=2026,
        month=3,
        title="另一县委主题",
    )


def foreign_plan(world):
    return YearPlan.objects.create(
        organisation=world.foreign_branch,
        org_path=world.foreign_branch.path,
        year=2026,
        title="另一县某村党支部计划",
    )


def foreign_plan_item(world):
    return PlanItem.objects.create(
        plan=foreign_plan(world),
        org_path=world.foreign_branch.path,
        meeting_type=MeetingType.objects.get(code="group"),
        planned_on=datetime.date(2026, 3, 1),
        title="党小组会",
    )


def foreign_meeting(world):
    return Meeting.objects.create(
        organisation=world.foreign_branch,
        org_path=world.foreign_branch.path,
        meeting_type=MeetingType.objects.get(code="branch_general"),
        planned_on=datetime.date(2026, 3, 1),
        title="另一县某村党支部党员大会",
    )


def _meeting(world):
    return {"pk": foreign_meeting(world).pk}


CASES = {
    "life-meeting-type-list": lambda world: {},
    "life-theme-list": lambda world: {},
    "life-theme-detail": lambda world: {"pk": foreign_theme(world).pk},
    "life-plan-list": lambda world: {},
    "life-plan-detail": lambda world: {"pk": foreign_plan(world).pk},
    "life-plan-items": lambda world: {"pk": foreign_plan(world).pk},
    "life-plan-item-drop": lambda world: {"pk": foreign_plan_item(world).pk},
    "life-meeting-list": lambda world: {},
    "life-meeting-detail": _meeting,
    "life-meeting-held": _meeting,
    "life-meeting-submit": _meeting,
    "life-meeting-approve": _meeting,
    "life-meeting-return": _meeting,
    "life-meeting-attendance": _meeting,
    "life-meeting-checklist": _meeting,
    "life-meeting-checkin-code": _meeting,
    "life-exemption-list": lambda world: {},
    "life-checkin": lambda world: {},  # POST with a token only; a GET is 405
    "life-compliance": lambda world: {"_query": "year=2026"},
    "life-compliance-branches": lambda world: {"_query": "year=2026&period=year"},
    "life-compliance-series": lambda world: {"_query": "year=2026"},
    "life-lapsed": lambda world: {},
}

EXEMPT: dict[str, str] = {}
