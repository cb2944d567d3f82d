"""Working days (工作日), 调休-aware: the packaged calendar where it covers the year, the administrators' table
(`WorkdayOverride`) for the rest and to correct it; a year neither covers falls back to Monday–Friday and
`calendar_missing(year)` says so, so that pages can warn ("next year's calendar is missing").

Time limits in working days (docs/rules.md §8: a province's hotline rules count 5 / 10 / 2 working days)
are computed here; the request desk and any other app use the same functions.
"""

import datetime

import chinese_calendar
from chinese_calendar import constants as _packaged
from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.core.dates import today
from qiangji.core.models_workdays import WorkdayOverride

PACKAGED_YEARS = range(min(_packaged.holidays).year, max(_packaged.holidays).year + 1)
MAX_SPAN_DAYS = 3660  # a limit of ten years is a typo, not a deadline


def _overrides(first: datetime.date, last: datetime.date) -> dict[datetime.date, bool]:
    return dict(
        WorkdayOverride.objects.filter(day__gte=first, day__lte=last).values_list("day", "is_working_day")
    )


def _packaged_or_weekday(day: datetime.date) -> bool:
    if day.year in PACKAGED_YEARS:
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:  # pragma: no cover - the range above is the package's own
            pass
    return day.weekday() < 5


class Calendar:
    """The working status of the days between two dates, read with one query for the overrides."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.overrides = _overrides(first, last)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return _packaged_or_weekday(day)


def is_working_day(day: datetime.date) -> bool:
    return Calendar(day, day).is_working_day(day)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` (n=0: `start` itself if it is a working day, else the next one).
    A request received on Friday with a 5-working-day limit is due the next Friday (holidays skipped)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    if n > MAX_SPAN_DAYS:
        raise ValueError("working-day span too long")
    cal = Calendar(start, start + datetime.timedelta(days=n * 3 + 60))
    day = start
    if n == 0:
        while not cal.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day
    counted = 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if cal.is_working_day(day):
            counted += 1
    return day


def working_days_between(first: datetime.date, last: datetime.date) -> int:
    """Working days after `first` up to and including `last` (0 when last <= first): the days a unit had."""
    if last <= first:
        return 0
    if (last - first).days > MAX_SPAN_DAYS:
        raise ValueError("working-day span too long")
    cal = Calendar(first, last)
    return sum(
        1
        for offset in range(1, (last - first).days + 1)
        if cal.is_working_day(first + datetime.timedelta(offset))
    )


def calendar_missing(year: int) -> bool:
    """Neither the packaged calendar nor the administrators' table has the year's holidays."""
    if year in PACKAGED_YEARS:
        return False
    return not WorkdayOverride.objects.filter(day__year=year).exists()


def next_year_missing(on: datetime.date | None = None) -> bool:
    return calendar_missing((on or today()).year + 1)


def calendar_warning(on: datetime.date | None = None) -> str:
    """A warning for pages that count working days, or ""."""
    on = on or today()
    for year in (on.year, on.year + 1):
        if calendar_missing(year):
            return (
                f"{year}年的法定节假日和调休安排尚未录入，按周一至周五计算工作日，期限可能不准确；"
                "请管理员在“工作日调整”中录入国务院办公厅公布的安排。"
            )
    return ""


@transaction.atomic
def set_override(*, actor, day: datetime.date, is_working_day: bool, name: str = "", source: str = ""):
    """An administrator records one day (a superuser: the calendar is the platform's, not an organisation's)."""
    if actor is None or not actor.is_superuser:
        raise ValidationError({"day": "只有平台管理员可以调整工作日安排"})
    if not isinstance(day, datetime.date):
        raise ValidationError({"day": "请填写日期"})
    row = WorkdayOverride.objects.select_for_update().filter(day=day).first()
    before = None if row is None else {"is_working_day": row.is_working_day, "name": row.name}
    if row is None:
        row = WorkdayOverride(day=day)
    row.is_working_day = bool(is_working_day)
    row.name = (name or "").strip()[:60]
    row.source = (source or "").strip()[:255]
    row.save()
    audit.record(
        actor=actor,
        action="core.workday.set",
        target=row,
        before=before,
        after={"day": day, "is_working_day": row.is_working_day, "name": row.name},
    )
    return row
