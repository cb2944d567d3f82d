"""Reporting periods (month, quarter, year) and the rule buckets inside them."""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from qiangji.life.choices import PERIOD_MONTHS, PeriodKind


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int  # month 1–12, quarter 1–4, or 1 for a year

    @property
    def months(self) -> list[int]:
        length = PERIOD_MONTHS[self.kind]
        first = (self.number - 1) * length + 1
        return list(range(first, first + length))

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.months[0], 1)

    @property
    def end(self) -> datetime.date:
        last = self.months[-1]
        return datetime.date(self.year, last, calendar.monthrange(self.year, last)[1])

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
        """
        if period_months > len(self.months):
            return []
        masks: dict[int, int] = {}
        for month in self.months:
            bucket = (month - 1) // period_months
            masks[bucket] = masks.get(bucket, 0) | (1 << (month - 1))
        return list(masks.values())


def make_period(kind: str, year: int, number: int = 1) -> Period:
    """Validated period; messages name the field."""
    if kind not in PERIOD_MONTHS:
        raise ValidationError({"period": "统计周期只能是月、季度或年"})
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度不正确"})
    top = 12 // PERIOD_MONTHS[kind]
    if not isinstance(number, int) or not 1 <= number <= top:
        raise ValidationError({"number": f"序号须在1至{top}之间"})
    return Period(kind, year, number)
