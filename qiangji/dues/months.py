"""Month arithmetic: a dues month is the first day of a calendar month (RULES: a month is a calendar month)."""

import datetime

from qiangji.members.validation import add_months


def first_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def shift(month: datetime.date, months: int) -> datetime.date:
    return add_months(first_of(month), months)


def between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every month from `first` to `last`, both included."""
    months, current = [], first_of(first)
    while current <= last:
        months.append(current)
        current = shift(current, 1)
    return months


def count(first: datetime.date, last: datetime.date) -> int:
    """Months from `first` to `last` inclusive (0 when last is before first)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def parse(text: str) -> datetime.date | None:
    """'2026-05' or '2026-05-01' → 2026-05-01; None for anything else."""
    try:
        year, month = str(text or "").strip()[:7].split("-")
        return datetime.date(int(year), int(month), 1)
    except (TypeError, ValueError):
        return None


def quarter_end(day: datetime.date) -> datetime.date:
    """The first day of the last month of `day`'s quarter."""
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 3, 1)
