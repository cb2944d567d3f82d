"""Reporting periods (month, quarter, year) and the rule buckets inside them.

A period asked for with `today` (`make_period(..., today=)`) that is still running keeps only its
complete months (`core.periods.complete_months`): a month that has not ended is not required and not
counted, so the running month is never a failure and the running year counts the months that are done.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from qiangji.core import periods as core_periods
from qiangji.life.choices import PERIOD_MONTHS, PeriodKind


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int  # month 1–12, quarter 1–4, or 1 for a year
    through: int = 12  # the last month counted: a running period is cut at its last complete month
    running: bool = False  # the period contains the day it was asked on (进行中)

    @property
    def all_months(self) -> list[int]:
        length = PERIOD_MONTHS[self.kind]
        first = (self.number - 1) * length + 1
        return list(range(first, first + length))

    @property
    def months(self) -> list[int]:
        """The months counted: all of them, or the complete ones of a running period."""
        return [month for month in self.all_months if month <= self.through]

    @property
    def truncated(self) -> bool:
        return len(self.months) < len(self.all_months)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.all_months[0], 1)

    @property
    def end(self) -> datetime.date:
        """The last day counted (the day before `start` when no month of a running period is complete)."""
        if not self.months:
            return self.start - datetime.timedelta(days=1)
        last = self.months[-1]
        return datetime.date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def full_end(self) -> datetime.date:
        last = self.all_months[-1]
        return datetime.date(self.year, last, calendar.monthrange(self.year, last)[1])

    def status_label(self, today: datetime.date) -> str:
        return core_periods.status_label(core_periods.Span(self.kind, self.year, self.number), today)

    def progress(self, today: datetime.date) -> float:
        return core_periods.progress(core_periods.Span(self.kind, self.year, self.number), today)

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}年{self.number}月"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}年第{self.number}季度"
        return f"{self.year}年"

    def buckets(self, period_months: int) -> list[int]:
        """Bit masks of the rule's buckets inside this period ("once every p months", calendar-aligned).

        A rule longer than the period (a yearly rule in a month) has no bucket here: not yet due.
        A bucket not yet complete (in a running period) is not due either.
        """
        if period_months > len(self.all_months):
            return []
        masks: dict[int, int] = {}
        sizes: dict[int, int] = {}
        for month in self.months:
            bucket = (month - 1) // period_months
            masks[bucket] = masks.get(bucket, 0) | (1 << (month - 1))
            sizes[bucket] = sizes.get(bucket, 0) + 1
        return [mask for bucket, mask in masks.items() if sizes[bucket] == period_months]


def make_period(kind: str, year: int, number: int = 1, *, today: datetime.date | None = None) -> Period:
    """Validated period; messages name the field.  With `today`, a running period keeps its complete
    months only (and says it is running); a future one has none."""
    if kind not in PERIOD_MONTHS:
        raise ValidationError({"period": "统计周期只能是月、季度或年"})
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度不正确"})
    top = 12 // PERIOD_MONTHS[kind]
    if not isinstance(number, int) or not 1 <= number <= top:
        raise ValidationError({"number": f"序号须在1至{top}之间"})
    period = Period(kind, year, number)
    if today is None:
        return period
    span = core_periods.Span(kind, year, number)
    done = core_periods.complete_months(span, today)
    if len(done) == len(period.all_months):
        return period
    return Period(
        kind, year, number, through=max(done, default=0), running=core_periods.is_running(span, today)
    )
