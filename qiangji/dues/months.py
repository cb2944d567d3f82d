"""Dues months: a dues month is the first day of a calendar month (docs/rules.md（日期计算）: a month is a
calendar month).  The calendar arithmetic itself is the kernel's (`core.dates`); what is here is the
dues view of it: months normalised to their first day, inclusive ranges, the "2026-05" notation and
the quarter a payment may reach."""

import datetime

from qiangji.core.dates import add_months, first_of_month, months_between, today


def shift(month: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` calendar months from `month`'s month."""
    return add_months(first_of_month(month), months)


def between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every month from `first` to `last`, both included."""
    months, current = [], first_of_month(first)
    while current <= last:
        months.append(current)
        current = shift(current, 1)
    return months


def count(first: datetime.date, last: datetime.date) -> int:
    """Months from `first` to `last` inclusive (0 when last is before first)."""
    return max(0, months_between(first, last) + 1)


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


def from_request(request, name: str = "month", default: datetime.date | None = None) -> datetime.date:
    """`?month=2026-05`, default this month; a bad value falls back to the default."""
    return parse(request.GET.get(name, "")) or default or first_of_month(today())
