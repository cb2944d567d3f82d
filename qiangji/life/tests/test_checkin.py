import datetime

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from qiangji.core.models import AuditEntry
from qiangji.life import services
from qiangji.life.models import Attendance, MemberLife
from qiangji.life.tests.factories import schedule
from qiangji.testing import add_member, add_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(world):
    with freeze_time("2026-03-10 09:00:00+08:00"):
        meeting = schedule(world, planned_on=datetime.date(2026, 3, 10))
        return services.issue_checkin_code(actor=world.users["zhibu"], meeting=meeting, minutes=60)


@freeze_time("2026-03-10 09:30:00+08:00")
def test_check_in_is_idempotent(world, code):
    first = services.check_in(token=code.token, user=world.users["dangyuan"])
    second = services.check_in(token=code.token, user=world.users["dangyuan"])
    assert not first.already and first.message == "签到成功"
    assert second.already and second.message == "已签到" and second.attendance.pk == first.attendance.pk
    assert Attendance.objects.count() == 1
    assert AuditEntry.objects.filter(action="life.checkin.recorded").count() == 1
    assert not MemberLife.objects.exists()  # organisational life counts once the meeting is recorded as held
    services.record_held(actor=world.users["zhibu"], meeting=code.meeting, held_on=datetime.date(2026, 3, 10))
    assert MemberLife.objects.get(member=world.member).last_attended_on == datetime.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("moment", "ok"), [("2026-03-10 09:59:59+08:00", True), ("2026-03-10 10:00:00+08:00", False)]
)
def test_code_expires_at_its_second(world, code, moment, ok):
    with freeze_time(moment):
        if ok:
            assert not services.check_in(token=code.token, user=world.users["dangyuan"]).already
        else:
            with pytest.raises(ValidationError, match="签到码已过期"):
                services.check_in(token=code.token, user=world.users["dangyuan"])
            assert not Attendance.objects.exists()


@freeze_time("2026-03-10 09:30:00+08:00")
def test_member_of_another_branch_becomes_a_guest_credited_home(world, code):
    visitor_user = add_user("visitor")
    visitor = add_member(world.foreign_branch, "流动党员", user=visitor_user, is_mobile=True)
    result = services.check_in(token=code.token, user=visitor_user)
    row = result.attendance
    assert (
        row.is_guest
        and row.home_organisation == world.foreign_branch
        and row.home_org_path == visitor.org_path
    )
    services.record_held(actor=world.users["zhibu"], meeting=code.meeting, held_on=datetime.date(2026, 3, 10))
    assert MemberLife.objects.get(member=visitor).org_path == world.foreign_branch.path


@freeze_time("2026-03-10 09:30:00+08:00")
def test_bad_tokens_and_users_without_member_record(world, code):
    with pytest.raises(ValidationError, match="签到码无效"):
        services.check_in(token="nope", user=world.users["dangyuan"])
    with pytest.raises(ValidationError, match="签到码无效"):
        services.check_in(token="", user=world.users["dangyuan"])
    with pytest.raises(ValidationError, match="没有关联党员档案"):
        services.check_in(token=code.token, user=world.users["nobody"])
    assert not Attendance.objects.exists()


@freeze_time("2026-03-10 09:30:00+08:00")
def test_absent_then_scans_becomes_present_and_closed_meeting_refuses(world, code):
    meeting = code.meeting
    services.record_attendance(
        actor=world.users["zhibu"],
        meeting=meeting,
        member=world.member,
        status="absent",
        absence_reason="出差",
    )
    assert not services.check_in(token=code.token, user=world.users["dangyuan"]).already
    assert Attendance.objects.get(member=world.member).status == "present"
    services.record_held(actor=world.users["zhibu"], meeting=meeting, held_on=datetime.date(2026, 3, 10))
    services.submit_meeting(actor=world.users["zhibu"], meeting=meeting)
    other = add_user("other2")
    add_member(world.branch, "新党员", user=other)
    with pytest.raises(ValidationError, match="签到已结束"):
        services.check_in(token=code.token, user=other)
