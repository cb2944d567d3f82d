"""Reads of organisational life: compliance, the lapse list, a branch's to-do, the monthly chart, and
every read the pages and the API make.

One record through the user's scope: `objects` (`org_for`, `meeting_for`, … over
`core.scoping.get_in_scope_or_404`).  The other entry points take an organisation or record the caller
already read that way; everything below it is a path-prefix range.
"""

from dataclasses import dataclass

from qiangji.life.models import BranchLifeYear
from qiangji.life.selectors.compliance import (
    TypeRule,
    fetch,
    missing_condition,
    rows_sql,
    rules_for,
    summary_sql,
    summary_totals,
)
from qiangji.life.selectors.lapse import is_lapsed, lapse_cutoff, lapsed_in, lapsed_members
from qiangji.life.selectors.objects import (
    attachment_for,
    branch_for,
    changeable_branches,
    committee_for,
    may_change,
    meeting_for,
    member_for,
    org_for,
    plan_for,
    plan_item_for,
    round_for,
    schedulable_plan_item,
    scope_root,
    staff_allows,
    theme_for,
    visible_org,
)
from qiangji.life.selectors.periods import Period, make_period
from qiangji.life.selectors.todo import DueItem, due_for
from qiangji.orgs.models import Organisation

__all__ = [
    "BranchCompliance",
    "DueItem",
    "Period",
    "TypeRule",
    "attachment_for",
    "branch_for",
    "changeable_branches",
    "committee_for",
    "compliance_rows",
    "compliance_summary",
    "due_for",
    "is_lapsed",
    "lapse_cutoff",
    "lapsed_in",
    "lapsed_members",
    "make_period",
    "may_change",
    "meeting_for",
    "member_for",
    "monthly_series",
    "org_for",
    "plan_for",
    "plan_item_for",
    "round_for",
    "rules_for",
    "schedulable_plan_item",
    "scope_root",
    "staff_allows",
    "theme_for",
    "visible_org",
]


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class TypeStatus:
    code: str
    name: str
    held: int  # rule buckets (months/quarters/years) with a meeting
    required: int
    exempt: bool

    @property
    def missing(self) -> bool:
        return self.held < self.required and not self.exempt


@dataclass
class BranchCompliance:
    id: int
    path: str
    name: str
    types: list[TypeStatus]
    due: int
    present: int
    checklist_required: int
    checklist_done: int

    @property
    def attendance_rate(self) -> float | None:
        return _rate(self.present, self.due)

    @property
    def checklist_score(self) -> float | None:
        """Share of required activities done (规定动作完成率) at the theme days held."""
        return _rate(self.checklist_done, self.checklist_required)

    @property
    def missing(self) -> list[str]:
        return [t.name for t in self.types if t.missing]


def compliance_rows(
    root: Organisation,
    period: Period,
    *,
    only_missing: bool = False,
    limit: int = 100,
    offset: int = 0,
    rules: list[TypeRule] | None = None,
) -> tuple[int, list[BranchCompliance]]:
    """(total count, one page of branches) of the subtree, ordered by path.  `rules`: `rules_for(root.path)`
    when the caller already has them (a page reads them once per request)."""
    rules = rules_for(root.path) if rules is None else rules
    sql, params = rows_sql(root.path, period, rules)
    where = f"WHERE {missing_condition(rules)}" if only_missing else ""
    # One pass: the window count is taken before LIMIT (a second COUNT(*) statement would double the time).
    rows = fetch(
        f"SELECT s.*, COUNT(*) OVER () FROM ({sql}) s {where} ORDER BY s.path LIMIT %s OFFSET %s",
        [*params, int(limit), int(offset)],
    )
    total = (
        rows[0][-1]
        if rows
        else (fetch(f"SELECT COUNT(*) FROM ({sql}) s {where}", params)[0][0] if offset else 0)
    )
    result = []
    for row in (r[:-1] for r in rows):
        types = [
            TypeStatus(t.code, t.name, int(row[3 + 3 * i]), int(row[4 + 3 * i]), bool(row[5 + 3 * i]))
            for i, t in enumerate(rules)
        ]
        due, present, required, done = (int(v) for v in row[3 + 3 * len(rules) :])
        result.append(BranchCompliance(row[0], row[1], row[2], types, due, present, required, done))
    return total, result


def compliance_summary(root: Organisation, period: Period, *, rules: list[TypeRule] | None = None) -> dict:
    """Totals for the subtree and per direct child (the drill-down): one statement (`summary_sql`)."""
    rules = rules_for(root.path) if rules is None else rules
    per_child = summary_totals(fetch(*summary_sql(root.path, period, rules)), rules)
    rows = [(child, *values) for child, values in sorted(per_child.items())]
    names = dict(Organisation.objects.filter(path__in=[r[0] for r in rows]).values_list("path", "name"))
    totals = [sum(r[i] for r in rows) for i in range(1, 7 + 3 * len(rules))]
    return {
        "period": period.label,
        "running": period.running,  # 进行中: only its complete months are counted
        "months_counted": period.months,
        "branches": totals[0],
        "missing": totals[1],
        "attendance": {"due": totals[2], "present": totals[3], "rate": _rate(totals[3], totals[2])},
        "checklist": {"required": totals[4], "done": totals[5], "score": _rate(totals[5], totals[4])},
        "types": [
            {
                "code": t.code,
                "name": t.name,
                "due_branches": totals[6 + 3 * i],
                "held_branches": totals[7 + 3 * i],
                "missing_branches": totals[6 + 3 * i] - totals[7 + 3 * i],
                "exempt_branches": totals[8 + 3 * i],
            }
            for i, t in enumerate(rules)
        ],
        "children": [
            {
                "path": r[0],
                "name": names.get(r[0], root.name if r[0] == root.path else r[0]),
                "branches": r[1],
                "missing": r[2],
                "attendance_rate": _rate(r[4], r[3]),
                "checklist_score": _rate(r[6], r[5]),
            }
            for r in rows
        ],
    }


def monthly_series(root: Organisation, year: int, *, rules: list[TypeRule] | None = None) -> dict:
    """Per month and required type: branches of the subtree that held one (for the chart)."""
    rules = rules_for(root.path) if rules is None else rules
    cols = ", ".join(f"SUM(CASE WHEN (r.held_months & {1 << m}) <> 0 THEN 1 ELSE 0 END)" for m in range(12))
    rows = {
        row[0]: row[1:]
        for row in fetch(
            f"SELECT r.meeting_type_id, {cols} FROM {BranchLifeYear._meta.db_table} r WHERE r.year = %s "
            f"AND r.org_path LIKE %s GROUP BY r.meeting_type_id",
            [year, root.path + "%"],
        )
    }
    return {
        "year": year,
        "months": list(range(1, 13)),
        "series": [
            {"code": t.code, "name": t.name, "data": [int(v or 0) for v in rows.get(t.id, [0] * 12)]}
            for t in rules
        ],
    }
