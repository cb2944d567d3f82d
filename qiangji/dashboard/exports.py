"""Every dashboard table as spreadsheet rows (headers, rows), written by `core.exporting`.

The rows carry the same formatted text as the screen plus the raw value (a number cell), so a reader can
sort and sum in the spreadsheet and still see what the screen showed.
"""

from qiangji.dashboard import exceptions, selectors
from qiangji.dashboard import figures as fig


def children_table(org) -> tuple[list[str], list[list]]:
    indicators = fig.indicators()
    children = selectors.children(org) if org.numchild else []
    headers = ["党组织", *[f"{i.label}（{i.unit}）" if i.unit else i.label for i in indicators], "异常合计"]
    rows = [
        [
            row["name"],
            *[_cell(raw, i) for raw, i in zip(row["raw"], indicators, strict=True)],
            row["exceptions"],
        ]
        for row in fig.child_rows(org, children)
    ]
    return headers, rows


def trend_table(org) -> tuple[list[str], list[list]]:
    """The trend by month behind the chart: one row a month, one column an indicator."""
    indicators = fig.indicators()
    headers = ["月份", *[f"{i.label}（{i.unit}）" if i.unit else i.label for i in indicators]]
    rows = [
        [str(point["month"])[:7], *[_cell(point["figures"].get(i.code), i) for i in indicators]]
        for point in selectors.trend(org, months=24)
    ]
    return headers, rows


def worst_table(org, n: int) -> tuple[list[str], list[list]]:
    headers = ["指标", "排序", "名次", "党组织", "数值", "显示"]
    rows = []
    for table in fig.worst_tables(org, n):
        for rank, row in enumerate(table["rows"], start=1):
            rows.append(
                [
                    table["indicator"].label,
                    table["order"],
                    rank,
                    row["name"],
                    _cell(row["raw"], table["indicator"]),
                    row["text"],
                ]
            )
    return headers, rows


def exception_table(kind_code: str, user, org, day) -> tuple[list[str], list[list]]:
    """Every record of the kind in the subtree (no page limit: an export is the whole list)."""
    kind = exceptions.KINDS[kind_code]
    _total, rows = exceptions.page(kind_code, user, org, day, limit=10**7)
    return kind.headers, [row.cells() for row in rows]


def _cell(value, indicator):
    """A rate as a number in percent (as displayed), a count as a number; missing stays empty."""
    return fig.chart_value(value, indicator)
