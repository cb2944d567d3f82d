"""Dates as Chinese users write them: 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日, 20240501."""

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
