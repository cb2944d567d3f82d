"""Subtree totals, bottom-up by depth: a node's total = its own row + SUM(its children's totals).

One INSERT … SELECT per level (children are found by the `parent_id` stored in their total rows), so a
full rebuild is ~2 × depth statements and a refresh recomputes only the touched nodes' ancestors.
"""

from qiangji.dashboard.rollups.measures import BY_NAME, FLOW_NAMES, STOCK_NAMES
from qiangji.dashboard.rollups.sql import chunks, date_param, execute, id_filter

ORGS = "orgs_organisation"


def _aggregates(names) -> str:
    out = []
    for name in names:
        if BY_NAME[name].aggregate == "plan":
            # A node's own plan is the plan of its subtree; without one, its children's plans add up.
            out.append(f"CASE WHEN SUM(u.{name}) > 0 THEN SUM(u.{name}) ELSE SUM(u.{name}__children) END")
        else:
            out.append(f"COALESCE(SUM(u.{name}), 0)")
    return ", ".join(out)


def _own_cols(names, alias) -> str:
    cols = []
    for name in names:
        cols.append(f"{alias}.{name} AS {name}")
        if BY_NAME[name].aggregate == "plan":
            cols.append(f"0 AS {name}__children")
    return ", ".join(cols)


def _child_cols(names, alias) -> str:
    cols = []
    for name in names:
        if BY_NAME[name].aggregate == "plan":
            cols += [f"0 AS {name}", f"{alias}.{name} AS {name}__children"]
        else:
            cols.append(f"{alias}.{name} AS {name}")
    return ", ".join(cols)


def write_level(kind: str, month, depth: int, ids: list[int] | None, now) -> None:
    """Insert the total rows of the organisations at `depth` (only `ids` when given) for `month`.

    The caller has deleted those rows first; the children's rows (depth + 1) are already current.
    """
    from qiangji.dashboard.models import FlowRollup, OwnFlow, OwnStock, StockRollup

    names = STOCK_NAMES if kind == "stock" else FLOW_NAMES
    own, total = (OwnStock, StockRollup) if kind == "stock" else (OwnFlow, FlowRollup)
    own_table, total_table = own._meta.db_table, total._meta.db_table
    own_month = "" if kind == "stock" else f" AND f.month = {date_param()}"
    cols = ", ".join(names)
    for batch in ([None] if ids is None else chunks(sorted(ids))):
        params = [month, now]
        own_params = [] if kind == "stock" else [month]
        sql = (
            f"INSERT INTO {total_table} (org_id, parent_id, org_path, month, refreshed_at, {cols}) "
            f"SELECT o.id, p.id, o.path, {date_param()}, %s, {_aggregates(names)} FROM ("
            f"SELECT f.org_id AS oid, {_own_cols(names, 'f')} FROM {own_table} f "
            f"JOIN {ORGS} a ON a.id = f.org_id WHERE a.depth = %s{own_month}{id_filter('f.org_id', batch)} "
            f"UNION ALL "
            f"SELECT t.parent_id AS oid, {_child_cols(names, 't')} FROM {total_table} t "
            f"JOIN {ORGS} c ON c.id = t.org_id WHERE c.depth = %s AND t.month = {date_param()}"
            f"{id_filter('t.parent_id', batch)}"
            f") u JOIN {ORGS} o ON o.id = u.oid "
            f"LEFT JOIN {ORGS} p ON o.depth > 1 AND p.path = SUBSTR(o.path, 1, LENGTH(o.path) - 4) "
            f"GROUP BY o.id, p.id, o.path")
        execute(sql, [*params, depth, *own_params, depth + 1, month])


def delete_rows(kind: str, months, ids: list[int] | None) -> None:
    from qiangji.dashboard.models import FlowRollup, StockRollup

    table = (StockRollup if kind == "stock" else FlowRollup)._meta.db_table
    placeholders = ", ".join(date_param() for _ in months)
    for batch in ([None] if ids is None else chunks(sorted(ids))):
        execute(f"DELETE FROM {table} WHERE month IN ({placeholders}){id_filter('org_id', batch)}", list(months))


def max_depth() -> int:
    from django.db.models import Max

    from qiangji.orgs.models import Organisation

    return Organisation.objects.aggregate(d=Max("depth"))["d"] or 0
