import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from freezegun import freeze_time

from qiangji.core.models import AuditEntry
from qiangji.life import services
from qiangji.life.choices import MeetingStatus
from qiangji.life.models import Attendance, Meeting, MonthlyTheme, PlanItem
from qiangji.life.tests.factories import committee, meeting_type, schedule
from qiangji.members.models import Member

pytestmark = pytest.mark.django_db
ITEMS = [
    {"kind": "required", "title": "集中学习一小时"},
    {"kind": "required", "title": "集中交纳党费"},
    {"kind": "optional", "title": "志愿服务"},
]


def push(world, month=3, user="jiedao", org=None):
    return services.push_theme(
        actor=world.users[user],
        organisation=org or world.street,
        year=2026,
        month=month,
        title="学习贯彻党的二十大精神",
        items=ITEMS,
    )


def test_push_theme_audited_and_inherited_by_existing_plans(world):
    plan = services.make_plan(actor=world.users["zhibu"], organisation=world.branch, year=2026)
    theme = push(world)
    assert theme.items.count() == 3
    assert PlanItem.objects.filter(plan=plan, theme=theme).count() == 1
    entry = AuditEntry.objects.get(action="life.theme.pushed")
    assert entry.after["plans_inherited"] == 1 and "规定动作：集中学习一小时" in entry.after["items"]


def test_push_theme_refused_for_branch_foreign_and_duplicate(world):
    with pytest.raises(ValidationError, match="只有党委"):
        push(world, user="zhibu", org=world.branch)
    with pytest.raises(Http404):
        push(world, user="foreign")
    push(world)
    with pytest.raises(ValidationError, match="已经发布"):
        push(world)
    with pytest.raises(ValidationError, match="月份"):
        push(world, month=13)
    assert MonthlyTheme.objects.count() == 1


def test_plan_inherits_pushed_theme_which_cannot_be_dropped_silently(world):
    push(world, month=4)
    plan = services.make_plan(
        actor=world.users["zhibu"],
        organisation=world.branch,
        year=2026,
        items=[
            {
                "meeting_type": meeting_type("branch_general"),
                "planned_on": datetime.date(2026, 3, 20),
                "title": "一季度党员大会",
            }
        ],
    )
    pushed = plan.items.get(theme__isnull=False)
    assert pushed.planned_on == datetime.date(2026, 4, 1)
    with pytest.raises(ValidationError, match="不能直接删除"):
        services.drop_plan_item(actor=world.users["zhibu"], item=pushed, reason="  ")
    services.drop_plan_item(actor=world.users["zhibu"], item=pushed, reason="支部撤并")
    entry = AuditEntry.objects.get(action="life.plan_item.dropped")
    assert entry.after == {"dropped_reason": "支部撤并", "pushed": True}
    with pytest.raises(ValidationError, match="第1项：计划日期须在2026年内"):
        services.make_plan(
            actor=world.users["jiedao"],
            organisation=world.branch2,
            year=2026,
            items=[{"meeting_type": meeting_type("group"), "planned_on": datetime.date(2025, 12, 1)}],
        )


@freeze_time("2026-03-10 10:00:00+08:00")
def test_meeting_dated_in_the_future_cannot_be_recorded_as_held(world):
    meeting = schedule(world)
    with pytest.raises(ValidationError, match=services.NOT_YET_HELD):
        services.record_held(actor=world.users["zhibu"], meeting=meeting, held_on=datetime.date(2026, 3, 11))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.held_on is None
    services.record_held(
        actor=world.users["zhibu"],
        meeting=meeting,
        held_on=datetime.date(2026, 3, 10),
        minutes="讨论一季度工作",
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.due_count == 4 and meeting.present_count == 0
    assert Attendance.objects.filter(meeting=meeting, status="absent").count() == 4
    assert AuditEntry.objects.get(action="life.meeting.held").after["held_on"] == "2026-03-10"


@freeze_time("2026-03-10 10:00:00+08:00")
def test_attendance_for_an_outsider_is_refused_unless_registered_as_guest(world, branch_members):
    meeting = schedule(world)
    outsider = Member.objects.create(
        **{
            **{
                f.attname: getattr(branch_members[1], f.attname)
                for f in Member._meta.concrete_fields
                if f.attname != "id"
            },
            "organisation_id": world.branch2.pk,
            "org_path": world.branch2.path,
            "id_number_hash": "x-outsider",
            "user_id": None,
        }
    )
    with pytest.raises(ValidationError, match="不是本支部党员"):
        services.record_attendance(
            actor=world.users["jiedao"], meeting=meeting, member=outsider, status="present"
        )
    with pytest.raises(Http404):  # a branch secretary does not see other branches' members at all
        services.record_attendance(
            actor=world.users["zhibu"], meeting=meeting, member=outsider, status="present"
        )
    assert not Attendance.objects.exists()
    with pytest.raises(Http404):  # another county's member is not even visible
        services.record_attendance(
            actor=world.users["zhibu"],
            meeting=meeting,
            member=world.foreign_member,
            status="present",
            as_guest=True,
        )
    services.record_attendance(
        actor=world.users["jiedao"], meeting=meeting, member=outsider, status="present", as_guest=True
    )
    row = Attendance.objects.get(member=outsider)
    assert row.is_guest and row.home_org_path == world.branch2.path
    services.record_held(actor=world.users["zhibu"], meeting=meeting, held_on=datetime.date(2026, 3, 10))
    meeting.refresh_from_db()
    assert (meeting.due_count, meeting.present_count, meeting.guest_count) == (4, 0, 1)
    assert outsider.life.last_attended_on == datetime.date(2026, 3, 10)  # credited to their own record


@freeze_time("2026-03-10 10:00:00+08:00")
@pytest.mark.parametrize(("present", "ok"), [(2, False), (3, True)])
def test_committee_meeting_quorum_more_than_half(world, branch_members, present, ok):
    committee(world.branch, branch_members)
    meeting = schedule(world, "branch_committee")
    for member in branch_members[:present]:
        services.record_attendance(
            actor=world.users["zhibu"], meeting=meeting, member=member, status="present"
        )
    call = lambda: services.record_held(  # noqa: E731
        actor=world.users["zhibu"],
        meeting=meeting,
        held_on=datetime.date(2026, 3, 9),
    )
    if ok:
        call()
        meeting.refresh_from_db()
        assert (meeting.committee_size, meeting.committee_present) == (4, 3)
    else:
        with pytest.raises(ValidationError, match="到会委员2人，未超过委员总数4人的半数.*docs/rules.md §2"):
            call()
        assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PLANNED


@freeze_time("2026-03-20 10:00:00+08:00")
def test_theme_day_submit_needs_every_required_item_then_higher_committee_reviews(world, branch_members):
    theme = push(world)
    meeting = schedule(world, "theme_day", planned_on=datetime.date(2026, 3, 15))
    assert meeting.theme == theme and meeting.checklist_required == 2
    services.record_held(actor=world.users["zhibu"], meeting=meeting, held_on=datetime.date(2026, 3, 15))
    with pytest.raises(ValidationError, match="集中学习一小时；集中交纳党费"):
        services.submit_meeting(actor=world.users["zhibu"], meeting=meeting)
    study, dues, _ = theme.items.all()
    with pytest.raises(ValidationError, match="请填写完成情况"):
        services.complete_checklist_item(actor=world.users["zhibu"], meeting=meeting, item=study)
    services.complete_checklist_item(
        actor=world.users["zhibu"], meeting=meeting, item=study, evidence="学习一小时"
    )
    with pytest.raises(ValidationError, match="规定动作未完成须写明理由"):
        services.complete_checklist_item(actor=world.users["zhibu"], meeting=meeting, item=dues, done=False)
    services.complete_checklist_item(
        actor=world.users["zhibu"], meeting=meeting, item=dues, done=False, skipped_reason="本月已线上交纳"
    )
    services.submit_meeting(actor=world.users["zhibu"], meeting=meeting)
    meeting.refresh_from_db()
    assert (meeting.checklist_required, meeting.checklist_done) == (2, 1)
    with pytest.raises(ValidationError, match="上级党组织审核"):
        services.approve_meeting(actor=world.users["zhibu"], meeting=meeting)
    with pytest.raises(ValidationError, match="退回理由"):
        services.return_meeting(actor=world.users["jiedao"], meeting=meeting, reason="")
    services.return_meeting(actor=world.users["jiedao"], meeting=meeting, reason="缺少照片")
    assert AuditEntry.objects.get(action="life.meeting.returned").after == {
        "status": "returned",
        "reason": "缺少照片",
    }
    services.submit_meeting(actor=world.users["zhibu"], meeting=meeting)
    with pytest.raises(Http404):
        services.approve_meeting(actor=world.users["foreign"], meeting=meeting)
    services.approve_meeting(actor=world.users["jiedao"], meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.APPROVED
    with pytest.raises(ValidationError, match="不能修改"):
        services.update_meeting(actor=world.users["zhibu"], meeting=meeting, minutes="改")


def test_exemption_needs_higher_committee_and_reason(world):
    args = dict(
        organisation=world.branch, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 6, 30)
    )
    with pytest.raises(ValidationError, match="上级党组织批准"):
        services.grant_exemption(actor=world.users["zhibu"], reason="撤并", **args)
    with pytest.raises(ValidationError, match="请填写理由"):
        services.grant_exemption(actor=world.users["jiedao"], reason=" ", **args)
    with pytest.raises(Http404):
        services.grant_exemption(actor=world.users["foreign"], reason="撤并", **args)
    services.grant_exemption(actor=world.users["jiedao"], reason="支部正在撤销", **args)
    assert AuditEntry.objects.get(action="life.exemption.granted").after["reason"] == "支部正在撤销"


def test_override_stricter_never_looser(world):
    general = meeting_type("branch_general")
    with pytest.raises(ValidationError, match="只能从严、不能放宽.*每3个月.*docs/rules.md §2"):
        services.set_rule_override(
            actor=world.users["xian"],
            organisation=world.county,
            meeting_type=general,
            period_months=6,
            reason="人手不足",
        )
    services.set_rule_override(
        actor=world.users["xian"],
        organisation=world.county,
        meeting_type=general,
        period_months=2,
        reason="县委规定每两个月一次",
    )
    with pytest.raises(
        ValidationError, match="每2个月"
    ):  # below a stricter county, a street may not loosen again
        services.set_rule_override(
            actor=world.users["jiedao"],
            organisation=world.street,
            meeting_type=general,
            period_months=3,
            reason="x",
        )
    entry = AuditEntry.objects.get(action="life.override.set")
    assert entry.after["period_months"] == 2 and entry.actor == world.users["xian"]
