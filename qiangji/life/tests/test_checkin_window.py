"""QR check-in only within the meeting's window (settings QIANGJI_CHECKIN_OPENS_MINUTES_BEFORE = 60,
QIANGJI_CHECKIN_CLOSES_HOURS_AFTER = 6): from 60 minutes before the meeting's start until 6 hours after it,
[opens, closes) like a code's expiry.  The ORM service on both databases; the lean one-statement path (PostgreSQL)
answers the same at every boundary (test_checkin_fastpath.py's `compare`)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from qiangji.life import services
from qiangji.life.models import Attendance
from qiangji.life.tests.factories import schedule
from qiangji.life.tests.test_checkin_fastpath import compare, key_of, postgres_only

pytestmark = pytest.mark.django_db

NOT_YET = "签到尚未开始，可于 2026-03-10 18:00 起签到"
NOT_YET_DAY = "签到尚未开始，可于 2026-03-09 23:00 起签到"
OVER = "签到已结束"

# A meeting at 19:00 on 2026-03-10: check-in from 18:00 until 01:00 the next day (exclusive).
TIMED = [
    ("2026-03-10 17:59:00+08:00", NOT_YET),
    ("2026-03-10 18:00:00+08:00", None),
    ("2026-03-11 00:59:59+08:00", None),
    ("2026-03-11 01:00:00+08:00", OVER),
    ("2026-03-11 01:01:00+08:00", OVER),
]
# A meeting without a start time counts its whole day: from 23:00 the day before until 06:00 the day after.
DAY = [
    ("2026-03-09 22:59:00+08:00", NOT_YET_DAY),
    ("2026-03-09 23:00:00+08:00", None),
    ("2026-03-11 06:00:00+08:00", OVER),
    ("2026-03-11 06:01:00+08:00", OVER),
    ("2026-03-11 05:59:00+08:00", None),
]


def code_for(world, *, starts_at=None, held_on=None, planned_on=datetime.date(2026, 3, 10)):
    with freeze_time("2026-03-09 12:00:00+08:00"):
        meeting = schedule(world, planned_on=planned_on, title="支部党员大会", starts_at=starts_at)
        if held_on is not None:
            meeting.held_on = held_on  # the date it was held rules (as recorded by record_held)
            meeting.save(update_fields=["held_on"])
        code = services.issue_checkin_code(actor=world.users["zhibu"], meeting=meeting, minutes=24 * 60)
    code.expires_at = datetime.datetime(
        2026, 3, 20, tzinfo=datetime.UTC
    )  # the window decides, not the code's expiry
    code.save(update_fields=["expires_at"])
    return code


def check(world, code, moment, refusal):
    with freeze_time(moment):
        if refusal is None:
            assert not services.check_in(token=code.token, user=world.users["dangyuan"]).already
            assert Attendance.objects.filter(member=world.member, status="present").exists()
        else:
            with pytest.raises(ValidationError) as raised:
                services.check_in(token=code.token, user=world.users["dangyuan"])
            assert raised.value.message_dict == {"token": [refusal]}
            assert not Attendance.objects.exists()


@pytest.mark.parametrize(("moment", "refusal"), TIMED, ids=[m for m, _ in TIMED])
def test_window_around_the_start_time(world, moment, refusal):
    check(world, code_for(world, starts_at=datetime.time(19, 0)), moment, refusal)


@pytest.mark.parametrize(("moment", "refusal"), DAY, ids=[m for m, _ in DAY])
def test_window_of_a_meeting_without_start_time(world, moment, refusal):
    check(world, code_for(world), moment, refusal)


def test_the_date_it_was_held_rules_over_the_plan(world):
    code = code_for(
        world,
        starts_at=datetime.time(19, 0),
        planned_on=datetime.date(2026, 3, 3),
        held_on=datetime.date(2026, 3, 10),
    )
    check(world, code, "2026-03-03 19:00:00+08:00", NOT_YET)


def test_a_week_before_is_refused(world):
    """The reported case: a member checked in a week before the meeting."""
    code = code_for(world, starts_at=datetime.time(19, 0), planned_on=datetime.date(2026, 3, 10))
    check(world, code, "2026-03-03 19:00:00+08:00", NOT_YET)


def test_settings_move_the_window(world, settings):
    settings.QIANGJI_CHECKIN_OPENS_MINUTES_BEFORE = 30
    settings.QIANGJI_CHECKIN_CLOSES_HOURS_AFTER = 1
    code = code_for(world, starts_at=datetime.time(19, 0))
    check(world, code, "2026-03-10 18:29:00+08:00", "签到尚未开始，可于 2026-03-10 18:30 起签到")
    check(world, code, "2026-03-10 20:00:00+08:00", OVER)
    check(world, code, "2026-03-10 18:30:00+08:00", None)


def test_the_api_answers_400_with_the_message(world, client_as):
    code = code_for(world, starts_at=datetime.time(19, 0))
    with freeze_time("2026-03-10 17:59:00+08:00"):
        response = client_as(world.users["dangyuan"]).post(
            "/api/v1/life/checkin/", {"token": code.token}, content_type="application/json"
        )
    assert response.status_code == 400 and response.json()["fields"] == {"token": [NOT_YET]}


LEAN = [(True, m, r) for m, r in TIMED] + [(False, m, r) for m, r in DAY]


@postgres_only
@pytest.mark.parametrize(("timed", "moment", "refusal"), LEAN, ids=[f"{t}-{m}" for t, m, _ in LEAN])
def test_lean_path_agrees_at_every_boundary(world, timed, moment, refusal):
    code = code_for(world, starts_at=datetime.time(19, 0) if timed else None)
    with freeze_time(moment):
        answer, after, delegated = compare(body={"token": code.token}, key=key_of(world.users["dangyuan"]))
    assert not delegated
    recorded = [entry for entry in after["audit"] if entry["action"] == "life.checkin.recorded"]
    if refusal is None:
        assert answer["status"] == "201 Created" and len(after["attendance"]) == 1 and len(recorded) == 1
    else:
        assert answer["status"] == "400 Bad Request" and answer["body"]["detail"] == refusal
        assert answer["body"]["fields"] == {"token": [refusal]}
        assert not after["attendance"] and not recorded
