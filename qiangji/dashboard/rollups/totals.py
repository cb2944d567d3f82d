"""Subtree totals, bottom-up by depth: a node's total = its own row + SUM(its children's totals).

One INSERT … SELECT per level (children are found by the `parent_id` stored in their total rows), so a
full rebuild is ~2 × depth statements and a refresh recomputes only the touched nodes' ancestors.
"""

from django.db.models import Max

from qiangji.dashboard.measures import BY_NAME, FLOW_NAMES, STOCK_NAMES
from qiangji.dashboard.models import FlowRollup, OwnFlow, OwnStock, StockRollup
from qiangji.dashboard.rollups.sql import chunks, date_param, execute, id_filter
from qiangji.orgs.models import Organisation

ORGS = "orgs_organisation"


def _aggregates(names) -> str:
    out = []
    for name in names:
        if BY_NAME[name].aggregate == "plan":
            # A node's own plan is the plan of its subtree; without one, its children's plans add up.
            out.append(
                f"CASE WHEN SUM(u.{name}) > 0 THEN SUM(u.{name}) ELSE SUM(u.{name}__children) END AS {name}"
            )
        else:
            out.append(f"COALESCE(SUM(u.{name}), 0) AS {name}")
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


def write_level(kind: str, months: list, depth: int, ids: list[int] | None, now) -> None:
    """Insert the total rows of the organisations at `depth` (only `ids` when given) for `months`.

    The caller has deleted those rows first; the children's rows (depth + 1) are already current.  A
    full rebuild selects the level by the rows' `depth` (fresh: written in the same run); a refresh
    selects by id and by `parent_id`.  Stock: `months` is one month, taken from the (month-less) own row.
    """
    names = STOCK_NAMES if kind == "stock" else FLOW_NAMES
    own, total = (OwnStock, StockRollup) if kind == "stock" else (OwnFlow, FlowRollup)
    own_table, total_table = own._meta.db_table, total._meta.db_table
    in_months = ", ".join(date_param() for _ in months)
    cols = ", ".join(names)
    for batch in [None] if ids is None else chunks(sorted(ids)):
        if kind == "stock":
            own_month, own_where, own_params = date_param(), "", list(months)
        else:
            own_month, own_where, own_params = "f.month", f" AND f.month IN ({in_months})", list(months)
        own_level = f"f.depth = {int(depth)}" if batch is None else "1 = 1"
        child_level = f"t.depth = {int(depth) + 1}" if batch is None else "1 = 1"
        g_cols = ", ".join(f"g.{name}" for name in names)
        # Sum by (organisation, month) first — narrow keys — then attach path and parent once per row.
        sql = (
            f"INSERT INTO {total_table} (org_id, parent_id, org_path, depth, month, refreshed_at, {cols}) "
            f"SELECT l.id, l.parent_id, l.path, l.depth, g.month, %s, {g_cols} FROM ("
            f"SELECT u.oid AS oid, u.month AS month, {_aggregates(names)} FROM ("
            f"SELECT f.org_id AS oid, {own_month} AS month, {_own_cols(names, 'f')} FROM {own_table} f "
            f"WHERE {own_level}{own_where}{id_filter('f.org_id', batch)} "
            f"UNION ALL "
            f"SELECT t.parent_id AS oid, t.month AS month, {_child_cols(names, 't')} FROM {total_table} t "
            f"WHERE {child_level} AND t.month IN ({in_months}){id_filter('t.parent_id', batch)}"
            f") u GROUP BY u.oid, u.month) g "
            f"JOIN (SELECT o.id, o.path, o.depth, p.id AS parent_id FROM {ORGS} o "
            f"LEFT JOIN {ORGS} p ON o.depth > 1 AND p.path = SUBSTR(o.path, 1, LENGTH(o.path) - 4) "
            f"WHERE o.depth = %s{id_filter('o.id', batch)}) l ON l.id = g.oid"
        )
        execute(sql, [now, *own_params, *months, int(depth)])


def delete_rows(kind: str, months, ids: list[int] | None) -> None:
    table = (StockRollup if kind == "stock" else FlowRollup)._meta.db_table
    placeholders = ", ".join(date_param() for _ in months)
    for batch in [None] if ids is None else chunks(sorted(ids)):
        execute(
            f"DELETE FROM {table} WHERE month IN ({placeholders}){id_filter('org_id', batch)}", list(months)
        )


def max_depth() -> int:
    return Organisation.objects.aggregate(d=Max("depth"))["d"] or 0
