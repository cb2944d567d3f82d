"""The screen's data, read from the rollup selectors and shaped for the templates, the exports and the PDF.

Only `dashboard.selectors` (rollups) is read here; values are formatted once, in Python, so the page, the
xlsx files and the PDF show the same text.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join

from qiangji.dashboard import exceptions, selectors
from qiangji.dashboard.indicators import INDICATORS


def node_url(pk: int) -> str:
    """The screen of node `pk`: reversed once, then formatted (a screen links to ~150 nodes)."""
    return _NODE_URL[0].replace("/0/", f"/{int(pk)}/", 1) if _NODE_URL else _node_url_first(pk)


_NODE_URL: list[str] = []


def _node_url_first(pk: int) -> str:
    _NODE_URL.append(reverse("dashboard:node", kwargs={"pk": 0}))
    return node_url(pk)


def indicators() -> list:
    return list(INDICATORS)


def is_rate(indicator) -> bool:
    return getattr(indicator, "unit", "") == "%"


def display(value, indicator) -> str:
    """A figure as people read it: rates (already in percent) with one decimal, counts with separators."""
    if value is None:
        return "—"
    if is_rate(indicator):
        return f"{float(value):.1f}%"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}{indicator.unit}"
    return f"{int(value):,}{indicator.unit}"


def chart_value(value, indicator):
    """A number for the chart and the spreadsheet cells (rates in percent, as displayed)."""
    return None if value is None else float(value)


def _value(entry):
    """A figure may come as a dict ({value, numerator, ...}) or a bare number."""
    return entry.get("value") if isinstance(entry, dict) else entry


def quality(figure: dict | None, month=None) -> str:
    """The data-quality note beside a figure: completeness (0–1), the month it counts, last update."""
    if not isinstance(figure, dict):
        return "暂无数据"
    parts = []
    completeness = figure.get("completeness")
    if completeness is not None:
        parts.append(f"完整度 {float(completeness) * 100:.0f}%")
    period = figure.get("period")
    if period and period != month:
        parts.append(f"{period:%Y年%-m月}")
    updated = figure.get("updated_at")
    parts.append(f"更新于 {timezone.localtime(updated):%m-%d %H:%M}" if updated else "尚未汇总")
    return " · ".join(parts)


def _plain(number) -> str:
    number = number or 0
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.2f}"


def cards(summary: dict) -> list[dict]:
    org = summary.get("org")
    result = []
    for indicator in indicators():
        figure = summary.get("figures", {}).get(indicator.code)
        detail = ""
        if isinstance(figure, dict) and figure.get("denominator"):
            detail = f"{_plain(figure.get('numerator'))} / {_plain(figure['denominator'])}"
        result.append(
            {
                "indicator": indicator,
                "text": display(_value(figure), indicator),
                "detail": detail,
                "quality": quality(figure, summary.get("month")),
                "how": getattr(indicator, "how", ""),
                "url": _exception_url(org, getattr(indicator, "exception", None)),
                "group": getattr(indicator, "group", ""),
            }
        )
    return result


def _exception_url(org, kind: str | None) -> str:
    if org is None or kind not in exceptions.KINDS:
        return ""
    return reverse("dashboard:exceptions", kwargs={"pk": org.pk, "kind": kind})


def exception_rows(org, counts: dict) -> list[dict]:
    return [
        {
            "kind": kind,
            "count": int(counts.get(code) or 0),
            "url": reverse("dashboard:exceptions", kwargs={"pk": org.pk, "kind": code}),
        }
        for code, kind in exceptions.KINDS.items()
    ]


def trend_data(trend: list[dict]) -> dict:
    """Months and one series per indicator, for ECharts and for the PDF's trend table."""
    months = [point.get("label") or str(point.get("month"))[:7] for point in trend]
    series = []
    for indicator in indicators():
        values = [
            chart_value(_value(point.get("figures", {}).get(indicator.code)), indicator) for point in trend
        ]
        series.append(
            {
                "code": indicator.code,
                "name": indicator.label,
                "unit": indicator.unit,
                "rate": is_rate(indicator),
                "data": values,
                "text": [display(_value(p.get("figures", {}).get(indicator.code)), indicator) for p in trend],
            }
        )
    return {"months": months, "series": series}


def child_rows(org, children: list[dict], suffix: str = "") -> list[dict]:
    """Rows of the children table; the figure cells are rendered here at once (hundreds of cells)."""
    rows = []
    for child in children:
        figures = child.get("figures", {})
        counts = child.get("exception_counts", {})
        values = [display(_value(figures.get(i.code)), i) for i in indicators()]
        rows.append(
            {
                "pk": child["org_id"],
                "name": child["name"],
                "numchild": child.get("numchild", 0),
                "url": node_url(child["org_id"]) + suffix,
                "values": values,
                "cells": format_html_join("", "<td>{}</td>", ((value,) for value in values)),
                "raw": [_value(figures.get(i.code)) for i in indicators()],
                "exceptions": sum(int(v or 0) for v in counts.values()),
            }
        )
    return rows


def worst_rows(children: list[dict], indicator, n: int) -> list[dict]:
    """`selectors.worst_children` over children already read (one read for every indicator instead of one
    each): worst first (lowest when higher is better), children without a value left out, and for a
    "lower is better" count only children that have any.  test_views checks both agree."""
    rows = [dict(row, value=row["figures"].get(indicator.code)) for row in children]
    valued = [row for row in rows if row["value"] is not None]
    valued.sort(key=lambda row: (row["value"], row["path"]), reverse=indicator.better == "low")
    if indicator.better == "low":
        valued = [row for row in valued if row["value"]]
    return valued[: max(0, int(n))]


def worst_tables(org, n: int, children: list[dict] | None = None, suffix: str = "") -> list[dict]:
    if children is None:
        children = selectors.children(org) if org.numchild else []
    tables = []
    for indicator in indicators():
        rows = [
            {
                "pk": child["org_id"],
                "name": child["name"],
                "text": display(child["value"], indicator),
                "raw": child["value"],
                "url": node_url(child["org_id"]) + suffix,
            }
            for child in worst_rows(children, indicator, n)
        ]
        body = format_html_join(
            "",
            '<tr><td>{}</td><td><a href="{}">{}</a></td><td class="num-cell">{}</td></tr>',
            ((rank, r["url"], r["name"], r["text"]) for rank, r in enumerate(rows, start=1)),
        )
        tables.append(
            {
                "indicator": indicator,
                "rows": rows,
                "body": body,
                "order": "由低到高" if getattr(indicator, "better", "high") == "high" else "由高到低",
            }
        )
    return tables


def screen_data(org, n: int, *, wall: bool = False) -> dict:
    """Everything the screen shows, from the selectors only (a handful of rollup reads)."""
    summary = selectors.node_summary(org)
    children = selectors.children(org) if org.numchild else []
    suffix = "?wall=1" if wall else ""
    return {
        "summary": summary,
        "cards": cards(summary),
        "indicators": indicators(),
        "exceptions": exception_rows(org, summary.get("exception_counts", {})),
        "trend": trend_data(selectors.trend(org, months=12)),
        "children": child_rows(org, children, suffix),
        "worst": worst_tables(org, n, children, suffix) if children else [],
    }
