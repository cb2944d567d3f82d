"""Dates: parsing as Chinese users write them (2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日, 20240501), and the
one calendar arithmetic every app uses (`today`, `add_months`, `add_years`, month helpers)."""

import calendar
import datetime
import re

_SEPARATED = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def parse_cn_date(value) -> datetime.date | None:
    """Parse a date cell; None for empty; ValueError (Chinese message) for anything else."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float | int) and not isinstance(value, bool):
        text = str(int(value)) if float(value).is_integer() else str(value)
    else:
        text = str(value).strip()
    if not text:
        return None
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    match = _SEPARATED.match(text) or _COMPACT.match(text)
    if not match:
        raise ValueError(f"无法识别的日期“{text}”，请使用 2024-05-01、2024/5/1 或 2024年5月1日")
    year, month, day = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"日期“{text}”不存在")


def parse_cn_year_month(value) -> datetime.date | None:
    """A year and month (失去联系日期 may be given as 2023年5月); returns the first of the month."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        match = _YEAR_MONTH.match(value.strip())
        if match:
            try:
                return datetime.date(int(match.group(1)), int(match.group(2)), 1)
            except ValueError:
                raise ValueError(f"年月“{value.strip()}”不存在")
    return parse_cn_date(value)


# --- The calendar every app shares -------------------------------------------------------------------
# One definition each, so that a term, a probation and a letter's validity end on the same day wherever
# they are computed.  Dates are the platform's zone (settings.TIME_ZONE, Asia/Shanghai), never the server's.


def today() -> datetime.date:
    """Today in the platform's zone (Asia/Shanghai), not the server's."""
    from django.utils import timezone

    return timezone.localdate()


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months later (or earlier, for a negative count).

    A month is a calendar month; a day the target month lacks falls back to that month's last day
    (31 August + 6 months = 28/29 February), the rule of 《中华人民共和国民法典》第二百零二条:
    "到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日".
    """
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    return datetime.date(year, month0 + 1, min(day.day, _last_day(year, month0 + 1)))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February falls back to 28 February in a common year
    (the same 民法典第二百零二条 rule as `add_months`: the month's last day when the day is missing)."""
    return add_months(day, 12 * years)


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=_last_day(day.year, day.month))


def month_index(day: datetime.date) -> int:
    """Months since year 0 (year × 12 + month − 1): differences of two are whole calendar months."""
    return day.year * 12 + day.month - 1


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from `start`'s month to `end`'s month (ignores the days)."""
    return month_index(end) - month_index(start)
