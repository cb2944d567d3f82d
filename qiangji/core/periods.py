"""Reporting periods (月、季度、年) for every figure: which period is complete, which one is running, its
label and its progress to date (issue #12 item 2).

The rule every page follows: a figure's default period is the last COMPLETE one (`last_complete`); the
running period (`is_running`) may be shown, labelled 进行中 with its progress to date, and is counted
only over its complete part (`complete_months`): a month that has not ended is never a failure.

    >>> p = last_complete("month", datetime.date(2026, 12, 3))   # 2026年11月
    >>> is_running(of("year", datetime.date(2026, 12, 3)), datetime.date(2026, 12, 3))
    True
"""

import calendar
import datetime
from dataclasses import dataclass

__all__ = [
    "KINDS",
    "MONTHS_IN",
    "RUNNING_LABEL",
    "Span",
    "complete_months",
    "is_running",
    "label",
    "last_complete",
    "month_starts",
    "of",
    "progress",
    "shift_month",
    "status_label",
]

MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}
KINDS = tuple(MONTHS_IN)
RUNNING_LABEL = "进行中"


@dataclass(frozen=True)
class Span:
    """A calendar period: kind, year and number (month 1–12, quarter 1–4, 1 for a year)."""

    kind: str
    year: int
    number: int = 1

    def __post_init__(self):
        if self.kind not in MONTHS_IN:
            raise ValueError(f"unknown period kind {self.kind!r}")
        if not 1 <= self.number <= 12 // MONTHS_IN[self.kind]:
            raise ValueError(f"{self.kind} number {self.number} out of range")

    @property
    def months(self) -> list[int]:
        length = MONTHS_IN[self.kind]
        first = (self.number - 1) * length + 1
        return list(range(first, first + length))

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.months[0], 1)

    @property
    def end(self) -> datetime.date:
        last = self.months[-1]
        return datetime.date(self.year, last, calendar.monthrange(self.year, last)[1])


def _span(period) -> Span:
    return period if isinstance(period, Span) else Span(period.kind, period.year, period.number)


def of(kind: str, day: datetime.date) -> Span:
    """The period of `kind` that contains `day`."""
    length = MONTHS_IN[kind]
    return Span(kind, day.year, (day.month - 1) // length + 1)


def last_complete(kind: str, today: datetime.date) -> Span:
    """The latest period of `kind` that ended before `today` (on 3 December: November, Q3, last year)."""
    current = of(kind, today)
    if kind == "year":
        return Span("year", current.year - 1, 1)
    if current.number > 1:
        return Span(kind, current.year, current.number - 1)
    return Span(kind, current.year - 1, 12 // MONTHS_IN[kind])


def is_running(period, today: datetime.date) -> bool:
    """The period has begun and not yet ended on `today`."""
    span = _span(period)
    return span.start <= today <= span.end


def is_future(period, today: datetime.date) -> bool:
    return _span(period).start > today


def complete_months(period, today: datetime.date) -> list[int]:
    """The months of the period that have ended before `today` (all of a past period, none of a future
    one, the finished part of a running one)."""
    span = _span(period)
    done = []
    for month in span.months:
        last_day = datetime.date(span.year, month, calendar.monthrange(span.year, month)[1])
        if last_day < today:
            done.append(month)
    return done


def progress(period, today: datetime.date) -> float:
    """Share of the period's days elapsed up to and including `today` (0 before it, 1 after it)."""
    span = _span(period)
    if today < span.start:
        return 0.0
    if today > span.end:
        return 1.0
    total = (span.end - span.start).days + 1
    return ((today - span.start).days + 1) / total


def label(period) -> str:
    """2026年11月, 2026年第4季度, 2026年."""
    span = _span(period)
    if span.kind == "month":
        return f"{span.year}年{span.number}月"
    if span.kind == "quarter":
        return f"{span.year}年第{span.number}季度"
    return f"{span.year}年"


def status_label(period, today: datetime.date) -> str:
    """The label with its state: "2026年12月（进行中，截至12月3日）" for the running period, else the label."""
    if not is_running(period, today):
        return label(period)
    return f"{label(period)}（{RUNNING_LABEL}，截至{today.month}月{today.day}日）"


def shift_month(month: datetime.date, count: int) -> datetime.date:
    """The first of the month `count` months after (before, if negative) `month`'s month."""
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_starts(last: datetime.date, count: int) -> list[datetime.date]:
    """The first days of `count` consecutive months ending with `last`'s month, oldest first."""
    first = last.replace(day=1)
    return [shift_month(first, -n) for n in range(count - 1, -1, -1)]
