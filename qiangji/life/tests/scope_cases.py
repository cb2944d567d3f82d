"""Scope-walk contract for the life pages: URL kwargs pointing at objects in the FOREIGN county.

`foreign_life(world)` builds (once per world) a theme pushed by the foreign county, a year plan, a theme
day with an attachment and a check-in code in the foreign branch, and an appraisal round there.
"""

import datetime


def foreign_life(world):
    cached = getattr(world, "_foreign_life", None)
    if cached is not None:
        return cached
    from qiangji.life import services
    from qiangji.life.models import MeetingAttachment, MeetingType

    actor = world.users["foreign"]
    theme_day = MeetingType.objects.get(code="theme_day")
    theme = services.push_theme(
        actor=actor,
        organisation=world.foreign_county,
        year=2026,
        month=3,
        title="外县主题",
        items=[{"kind": "required", "title": "集中学习"}],
    )
    plan = services.make_plan(actor=actor, organisation=world.foreign_branch, year=2026)
    meeting = services.schedule_meeting(
        actor=actor,
        organisation=world.foreign_branch,
        meeting_type=theme_day,
        planned_on=datetime.date(2026, 3, 5),
    )
    # A row only (no file written): the walk must be refused before any file is opened.
    attachment = MeetingAttachment.objects.create(
        meeting=meeting, org_path=meeting.org_path, kind="file", file="life/scope-walk/a.txt"
    )
    code = services.issue_checkin_code(actor=actor, meeting=meeting)
    appraisal = services.open_appraisal(actor=actor, organisation=world.foreign_branch, year=2026)
    world._foreign_life = cached = {
        "theme": theme,
        "item": theme.items.first(),
        "plan": plan,
        "plan_item": plan.items.first(),
        "meeting": meeting,
        "attachment": attachment,
        "code": code,
        "appraisal": appraisal,
    }
    return cached


def _org(world):
    return {"org_pk": world.foreign_branch.pk}


def _committee(world):
    return {"org_pk": world.foreign_county.pk}


def _meeting(world):
    return {"pk": foreign_life(world)["meeting"].pk}


def _appraisal(world):
    return {"pk": foreign_life(world)["appraisal"].pk}


CASES = {
    "life:home": lambda world: {},
    "life:calendar": _org,
    "life:plan-make": _org,
    "life:meeting-new": _org,
    "life:appraisal-open": _org,
    "life:yearplan-detail": lambda world: {"pk": foreign_life(world)["plan"].pk},
    "life:plan-item-drop": lambda world: {"pk": foreign_life(world)["plan_item"].pk},
    "life:meeting-detail": _meeting,
    "life:meeting-record": _meeting,
    "life:attendance": _meeting,
    "life:checkin-code": _meeting,
    "life:checklist": lambda world: {**_meeting(world), "item_pk": foreign_life(world)["item"].pk},
    "life:attachment-add": _meeting,
    "life:meeting-submit": _meeting,
    "life:meeting-review": _meeting,
    "life:meeting-pdf": _meeting,
    "life:attachment-file": lambda world: {"pk": foreign_life(world)["attachment"].pk},
    "life:committee": _committee,
    "life:theme-push": _committee,
    "life:monthlytheme-detail": lambda world: {"pk": foreign_life(world)["theme"].pk},
    "life:reviews": _committee,
    "life:plans": _committee,
    "life:exemption-new": _committee,
    "life:compliance": _committee,
    "life:compliance-export": _committee,
    "life:attendance-export": _committee,
    "life:lapsed": _committee,
    "life:member-life": lambda world: {"pk": world.foreign_member.pk},
    "life:appraisalround-detail": _appraisal,
    "life:appraisal-write": _appraisal,
    "life:appraisal-grade": _appraisal,
    "life:appraisal-stage": _appraisal,
}

EXEMPT = {
    "life:checkin": (
        "the token is the capability (the member is physically at the meeting): any signed-in member may "
        "check in, a member of another branch as a guest (issue 4); tested in test_views_checkin.py"
    ),
}
