"""Reads of the dashboard — the contract the screen, exports and API use (issue #6 items 2–4).

Every function takes an Organisation the caller has ALREADY resolved through
`Organisation.objects.visible_to(user, …)`; all reads are by organisation id or `parent_id` on the
rollup tables (a node's figures are one row), never over the base tables.

* `node_summary(org)` → {org, month, figures: {code: {value, numerator, denominator, completeness,
  updated_at, period}}, exception_counts: {kind: int}}
* `trend(org, months=12)` → [{month, figures: {code: value}}], oldest first
* `children(org)` → [{org_id, name, kind, numchild, path, figures: {code: value}, exception_counts}]
* `worst_children(org, code, n=5)` → the n children worst on `code` (children() rows plus "value")

The organisation itself is resolved here too, for the pages and the API alike: `dashboard_org(user, pk)`
(through the user's scope; a member's own branch does not open the dashboard), `own_roots(user)` and
`breadcrumbs(user, org)`.
"""

import datetime
from decimal import Decimal

from django.http import Http404

from qiangji.core import periods
from qiangji.core.choices import Action
from qiangji.core.dates import first_of_month
from qiangji.core.dates import today as local_today
from qiangji.core.scoping import ancestor_paths, get_in_scope_or_404, scope_of
from qiangji.dashboard.indicators import BY_CODE, EXCEPTION_KINDS, INDICATORS, Indicator
from qiangji.dashboard.models import FlowRollup, RollupState, StockRollup
from qiangji.dashboard.rollups.sql import shift
from qiangji.orgs.models import Organisation

__all__ = [
    "breadcrumbs",
    "children",
    "current_month",
    "dashboard_org",
    "data_state",
    "node_summary",
    "own_roots",
    "trend",
    "worst_children",
]

NOT_FOUND = "未找到该党组织，或不在您的管理范围内"


def current_month(today: datetime.date | None = None) -> datetime.date:
    return first_of_month(today or local_today())


def _number(value):
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def _sum(rows: dict, terms) -> float | int | None:
    total, seen = 0, False
    for term in terms:
        table, column = term.split(".")
        row = rows.get(table)
        if row is None:
            continue
        seen = True
        total += _number(row[column]) or 0
    return total if seen else None


def _ratio(part, whole, digits: int = 1) -> float | None:
    if part is None or not whole:
        return None
    return round(100 * part / whole, digits)


def _evaluate(indicator: Indicator, rows: dict) -> dict:
    numerator = _sum(rows, indicator.numerator)
    if indicator.is_ratio:
        denominator = _sum(rows, indicator.denominator)
        denominator = denominator * indicator.scale if denominator is not None else None
        value = _ratio(numerator, denominator)
    else:
        denominator, value = None, numerator
    return {
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "completeness": _completeness(indicator, rows),
    }


def _completeness(indicator: Indicator, rows: dict) -> float | None:
    """Share (0–1) of the records behind the figure that carry the data it needs.

    Member fields (ethnicity, education, post): records with the field filled in.  Other figures: the
    average completeness of the node's member records (the registry's own measure)."""
    stock = rows.get("stock")
    if stock is None or not stock["m_on_roll"]:
        return None
    if indicator.quality:
        known, of = indicator.quality
        whole = _sum(rows, of)
        return round((_sum(rows, known) or 0) / whole, 3) if whole else None
    return round(stock["m_completeness_sum"] / (stock["m_on_roll"] * 100), 3)


def _rows_for(stocks: dict, flows: dict, month: datetime.date, indicator: Indicator, summary: bool) -> dict:
    """Which rows an indicator reads: in a summary, 'last_month' figures read the previous month."""
    if summary and indicator.period == "last_month":
        month = shift(month, -1)
    return {"stock": stocks.get(month), "flow": flows.get(month)}


def _exception_counts(figures: dict) -> dict:
    counts = {}
    for indicator in INDICATORS:
        if indicator.exception:
            counts[indicator.exception] = int(figures[indicator.code]["value"] or 0)
    return {kind: counts.get(kind, 0) for kind in EXCEPTION_KINDS}


def node_summary(org: Organisation, *, today: datetime.date | None = None) -> dict:
    """Headline figures of the node (two index lookups: stock and flow rows of this and last month)."""
    month = current_month(today)
    months = [shift(month, -1), month]
    stocks = {
        row["month"]: row for row in StockRollup.objects.filter(org_id=org.pk, month__in=months).values()
    }
    flows = {row["month"]: row for row in FlowRollup.objects.filter(org_id=org.pk, month__in=months).values()}
    figures = {}
    for indicator in INDICATORS:
        rows = _rows_for(stocks, flows, month, indicator, summary=True)
        figure = _evaluate(indicator, rows)
        stamps = [row["refreshed_at"] for row in rows.values() if row is not None]
        figure["updated_at"] = max(stamps) if stamps else None
        figure["period"] = shift(month, -1) if indicator.period == "last_month" else month
        figures[indicator.code] = figure
    return {"org": org, "month": month, "figures": figures, "exception_counts": _exception_counts(figures)}


def trend(org: Organisation, months: int = 12, *, today: datetime.date | None = None) -> list[dict]:
    """One entry per month, oldest first (every month present); a stock figure is None before its first
    snapshot; the running month is marked (`running`, its label says 进行中)."""
    months = max(1, min(int(months), 24))
    last = current_month(today)
    wanted = [shift(last, -n) for n in range(months - 1, -1, -1)]
    stocks = {
        row["month"]: row for row in StockRollup.objects.filter(org_id=org.pk, month__gte=wanted[0]).values()
    }
    flows = {
        row["month"]: row for row in FlowRollup.objects.filter(org_id=org.pk, month__gte=wanted[0]).values()
    }
    result = []
    for month in wanted:
        rows = {"stock": stocks.get(month), "flow": flows.get(month)}
        running = month == last  # the month in progress (core.periods): figures to date, marked 进行中
        figures = {
            # A figure of a complete month ("last_month": compliance, collection) has no value yet for the
            # running month — None, never a 0 that reads as a collapse.
            i.code: None if running and i.period == "last_month" else _evaluate(i, rows)["value"]
            for i in INDICATORS
        }
        result.append(
            {
                "month": month,
                "running": running,
                "label": f"{month:%Y-%m}" + (f"（{periods.RUNNING_LABEL}）" if running else ""),
                "figures": figures,
            }
        )
    return result


def children(org: Organisation, *, today: datetime.date | None = None) -> list[dict]:
    """The node's active children with their figures (three queries, whatever the number of children).

    Children are found through the rollup rows' `parent_id`, so a node without rollups (never built)
    lists none."""
    month = current_month(today)
    months = [shift(month, -1), month]
    stocks, flows = {}, {}
    for row in StockRollup.objects.filter(parent_id=org.pk, month__in=months).values():
        stocks.setdefault(row["org_id"], {})[row["month"]] = row
    for row in FlowRollup.objects.filter(parent_id=org.pk, month__in=months).values():
        flows.setdefault(row["org_id"], {})[row["month"]] = row
    # The children are the organisations with a total row under this node (every active organisation has
    # one after a rebuild): a primary-key lookup, not a scan of the node's whole path range for one depth.
    kids = list(
        Organisation.objects.filter(pk__in=list(stocks), dissolved_on__isnull=True)
        .order_by("path")
        .values("pk", "name", "kind", "numchild", "path")
    )
    result = []
    for kid in kids:
        figures = {}
        for indicator in INDICATORS:
            rows = _rows_for(
                stocks.get(kid["pk"], {}), flows.get(kid["pk"], {}), month, indicator, summary=True
            )
            figures[indicator.code] = _evaluate(indicator, rows)
        result.append(
            {
                "org_id": kid["pk"],
                "name": kid["name"],
                "kind": kid["kind"],
                "numchild": kid["numchild"],
                "path": kid["path"],
                "figures": {code: f["value"] for code, f in figures.items()},
                "exception_counts": _exception_counts(figures),
            }
        )
    return result


def worst_children(
    org: Organisation,
    code: str,
    n: int = 5,
    *,
    today: datetime.date | None = None,
    rows: list[dict] | None = None,
) -> list[dict]:
    """The children worst on `code` (highest first when lower is better, else lowest first); children
    without a value are left out, and so are zeros of a "lower is better" count.  Each row is a
    `children()` row plus "value"; pass `rows` (a `children(org)` result) to rank without reading again."""
    indicator = BY_CODE[code]
    rows = [
        dict(row, value=row["figures"][code])
        for row in (children(org, today=today) if rows is None else rows)
    ]
    valued = [row for row in rows if row["value"] is not None]
    valued.sort(key=lambda row: (row["value"], row["path"]), reverse=indicator.better == "low")
    if indicator.better == "low":
        valued = [row for row in valued if row["value"]]
    return valued[: max(0, int(n))]


def data_state() -> dict:
    """For the data-quality note: when the rollups were last refreshed and rebuilt."""
    row = RollupState.objects.filter(key="default").first()
    if row is None:
        return {
            "last_refresh_at": None,
            "last_rebuild_at": None,
            "last_rebuild_seconds": None,
            "first_month": None,
        }
    return {
        "last_refresh_at": row.last_refresh_at,
        "last_rebuild_at": row.last_rebuild_at,
        "last_rebuild_seconds": row.last_rebuild_seconds,
        "first_month": row.first_month,
    }


def own_roots(user) -> list[Organisation]:
    """The nodes the user is bound to with a staff grant (nested ones folded away); superuser: the roots."""
    scope = scope_of(user)
    visible = Organisation.objects.visible_to(user, Action.VIEW)
    if scope.is_superuser:
        return list(visible.filter(depth=1).order_by("path"))
    paths = scope.paths_for(Action.VIEW)
    return list(visible.filter(path__in=paths).order_by("path")) if paths else []


def dashboard_org(user, pk) -> Organisation:
    """The node through the user's scope; a member's own-branch view does not open the dashboard (404)."""
    try:
        org = get_in_scope_or_404(Organisation, user, pk, Action.VIEW)
    except Http404:
        raise Http404(NOT_FOUND) from None
    if not scope_of(user).allows(Action.VIEW, org.path):
        raise Http404(NOT_FOUND)
    return org


def breadcrumbs(user, org: Organisation) -> list[Organisation]:
    """Ancestors down from the user's own node (never above it), then the node itself."""
    scope = scope_of(user)
    prefixes = ancestor_paths(org.path)
    if not scope.is_superuser:
        roots = scope.paths_for(Action.VIEW)
        prefixes = [p for p in prefixes if any(p.startswith(root) for root in roots)]
    if not prefixes:
        return [org]
    ancestors = Organisation.objects.visible_to(user, Action.VIEW).filter(path__in=prefixes).order_by("depth")
    return [*ancestors, org]
