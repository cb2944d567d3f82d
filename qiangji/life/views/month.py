"""The month grid shared by the branch calendar: weeks of days, each with its events.

Pure Python over already-fetched events, so the page costs the same queries whatever the month holds.
"""

import calendar
import datetime
from dataclasses import dataclass, field

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


@dataclass
class Day:
    date: datetime.date | None
    events: list = field(default_factory=list)
    is_today: bool = False

    @property
    def weekday_label(self) -> str:
        return f"周{WEEKDAYS[self.date.weekday()]}" if self.date else ""


def month_days(year: int, month: int, events_by_date: dict, today: datetime.date) -> list[Day]:
    """Monday-first cells: leading pads (date None) then every day of the month with its events."""
    first = datetime.date(year, month, 1)
    cells = [Day(None) for _ in range(first.weekday())]
    for number in range(1, calendar.monthrange(year, month)[1] + 1):
        date = datetime.date(year, month, number)
        cells.append(Day(date, list(events_by_date.get(date, ())), date == today))
    return cells


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def parse_month(value: str | None, today: datetime.date) -> tuple[int, int]:
    """`2026-05` → (2026, 5); anything else (or a year outside 2000–2100) → this month."""
    try:
        year, month = (int(part) for part in (value or "").split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def month_key(year: int, month: int, delta: int = 0) -> str:
    """`2026-05` for the month `delta` months away (the calendar's ?month= value)."""
    year, month = shift_month(year, month, delta)
    return f"{year:04d}-{month:02d}"
