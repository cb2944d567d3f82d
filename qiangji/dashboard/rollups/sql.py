"""Small SQL helpers shared by the rollup statements (SQLite and PostgreSQL alike)."""

import datetime
import re
from collections.abc import Iterable

from django.db import connection

from qiangji.core.dates import add_months, first_of_month

CHUNK = 500


def month_of(column: str) -> str:
    """SQL: the first day of the month of a date column."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def date_param() -> str:
    """A date literal bound as a parameter, typed on PostgreSQL (so UNION branches agree)."""
    return "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"


class Subtree:
    """A whole subtree as a filter (the bench's base-table baseline): the organisations under `path`."""

    def __init__(self, path: str):
        if not re.fullmatch(r"[0-9A-Za-z]+", path):
            raise ValueError("bad path")
        self.path = path


def id_filter(column: str, ids: "Iterable[int] | Subtree | None") -> str:
    """`AND column IN (…)` with the ids inlined as integers (never user text); '' for all rows."""
    if ids is None:
        return ""
    if isinstance(ids, Subtree):  # executed with a parameter list, so '%%' is a literal '%'
        return f" AND {column} IN (SELECT id FROM orgs_organisation WHERE path LIKE '{ids.path}%%')"
    values = ",".join(str(int(i)) for i in ids)
    return f" AND {column} IN ({values})" if values else " AND 1 = 0"


def chunks(ids: list[int], size: int = CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def shift(month: datetime.date, count: int) -> datetime.date:
    """The first day of the month `count` calendar months from `month`'s month."""
    return add_months(first_of_month(month), count)


def execute(sql: str, params: list | tuple = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def union(
    parts: list[tuple[str, list, tuple[str, ...]]], columns: tuple[str, ...], keys: str
) -> tuple[str, list]:
    """UNION ALL of (sql, params, the columns it yields) padded with 0 for the others.

    Every part yields `oid` (and the other `keys`) first; the caller SUMs the union grouped by the keys.
    """
    selects, params = [], []
    for sql, part_params, given in parts:
        cols = ", ".join(f"q.{c} AS {c}" if c in given else f"0 AS {c}" for c in columns)
        selects.append(f"SELECT {keys}, {cols} FROM ({sql}) q")
        params.extend(part_params)
    return " UNION ALL ".join(selects), params
