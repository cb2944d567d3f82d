"""core.workdays (owned by the service helper): the packaged calendar, overrides, the missing-year warning."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from qiangji.core import workdays
from qiangji.core.models import AuditEntry

D = datetime.date


def test_national_day_and_make_up_saturday_from_the_package(db):
    assert workdays.is_working_day(D(2026, 9, 30))
    assert not workdays.is_working_day(D(2026, 10, 1))
    assert workdays.is_working_day(D(2026, 10, 10))  # 调休 Saturday
    # received 30 Sept, 2 working days: 8 and 9 October
    assert workdays.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert workdays.add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 9)
    assert workdays.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert workdays.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)
    assert workdays.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2
    assert workdays.working_days_between(D(2026, 10, 9), D(2026, 10, 9)) == 0


def test_missing_year_warns_until_an_override_is_entered(world):
    assert workdays.calendar_missing(2027)
    assert not workdays.calendar_missing(2026)
    assert "2027" in workdays.calendar_warning(D(2026, 12, 4))
    assert workdays.is_working_day(D(2027, 2, 8))  # a Monday: weekday fallback
    workdays.set_override(actor=world.users["admin"], day=D(2027, 2, 8), is_working_day=False, name="春节")
    assert not workdays.is_working_day(D(2027, 2, 8))
    assert not workdays.calendar_missing(2027)
    assert workdays.calendar_warning(D(2026, 12, 4)) == ""
    assert workdays.add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 9)  # Fri → skips the weekend and 8 Feb
    assert AuditEntry.objects.filter(action="core.workday.set").count() == 1


def test_only_a_superuser_sets_overrides(world):
    with pytest.raises(ValidationError):
        workdays.set_override(actor=world.users["xian"], day=D(2027, 1, 1), is_working_day=False)


def test_negative_or_absurd_spans_refused(db):
    with pytest.raises(ValueError):
        workdays.add_working_days(D(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        workdays.add_working_days(D(2026, 1, 1), 10**6)
