"""Compliance of a subtree for a period, set-wise in SQL (docs/architecture.md, "Organisational life").

One statement reads the organisation rows of the subtree (a path-prefix range) joined to the
per-(branch, year, type) rollup; which rule buckets were held is bit arithmetic on the rollup's month
mask, and a region's stricter frequency is a CASE on the path.  Attendance and checklist sums come
from the rollup for a year and from the meeting rows (index on org_path + held_on) for a month or
quarter.  The province figure (150,000 organisations, one year) is `qiangji bench compliance`.
"""

import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q

from qiangji.life.choices import HELD_STATES, PeriodKind
from qiangji.life.models import BranchLifeYear, Meeting, MeetingExemption, MeetingRuleOverride, MeetingType
from qiangji.life.rules import ancestor_paths
from qiangji.life.selectors.periods import Period
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

_PATH = re.compile(r"^[0-9A-Za-z]+$")


@dataclass
class TypeRule:
    id: int
    code: str
    name: str
    national: int
    overrides: list[tuple[str, int]] = field(default_factory=list)  # (path, months), strictest first


def rules_for(root_path: str) -> list[TypeRule]:
    """Required types with the overrides that can apply inside the subtree (above it or within it)."""
    types = [
        TypeRule(t.pk, t.code, t.name, t.period_months)
        for t in MeetingType.objects.filter(is_required=True).order_by("position", "pk")
    ]
    by_id = {t.id: t for t in types}
    overrides = MeetingRuleOverride.objects.filter(
        Q(org_path__in=ancestor_paths(root_path)) | Q(org_path__startswith=root_path),
        meeting_type_id__in=by_id,
    )
    for override in overrides.order_by("period_months", "-org_path"):
        by_id[override.meeting_type_id].overrides.append((override.org_path, override.period_months))
    return types


def _held(period: Period, months: int) -> str:
    """Rule buckets held, computed on one rollup row `r` (counts kept by the service avoid bit sums for a year)."""
    whole_year = period.kind == PeriodKind.YEAR and not period.truncated  # a running year: complete months
    if whole_year and months == 1:
        return "r.held_month_count"
    if whole_year and months == 3:
        return "r.held_quarter_count"
    buckets = period.buckets(months)
    return (
        " + ".join(f"(CASE WHEN (r.held_months & {bits}) <> 0 THEN 1 ELSE 0 END)" for bits in buckets) or "0"
    )


def _by_rule(rule: TypeRule, path_column: str, make) -> str:
    """An expression choosing, per branch path, the strictest applicable frequency (months -> SQL)."""
    cases = [
        f"WHEN {path_column} LIKE '{path}%%' THEN {make(months)}"
        for path, months in rule.overrides
        if _PATH.match(path) and months < rule.national
    ]
    default = make(rule.national)
    return f"(CASE {' '.join(cases)} ELSE {default} END)" if cases else default


def _counted_types() -> list[int]:
    """Types whose rollup rows are summed for attendance (a type counted toward another is inside that one)."""
    return list(MeetingType.objects.filter(counts_toward__isnull=True).values_list("pk", flat=True)) or [0]


def _sums_source(root: str, period: Period, params: list) -> tuple[str, str]:
    """(join clause, column prefix) for due/present/checklist sums of the period."""
    if period.kind == PeriodKind.YEAR and not period.truncated:
        return "", "r"
    held = ", ".join(f"'{s}'" for s in HELD_STATES)
    params += [root + "%", period.start, period.end]
    return (
        f"LEFT JOIN (SELECT organisation_id, SUM(due_count) AS due_sum, SUM(present_count) AS present_sum, "
        f"SUM(checklist_required) AS checklist_required, SUM(checklist_done) AS checklist_done "
        f"FROM {Meeting._meta.db_table} WHERE org_path LIKE %s AND held_on BETWEEN %s AND %s "
        f"AND status IN ({held}) GROUP BY organisation_id) a ON a.organisation_id = o.id"
    ), "a"


def rows_sql(root: str, period: Period, rules: list[TypeRule]) -> tuple[str, list]:
    """SQL of one row per branch of the subtree: per type held/required buckets and exemption, and sums."""
    if not _PATH.match(root):
        raise ValueError("bad path")
    kinds = ", ".join(f"'{k}'" for k in sorted(BRANCH_KINDS))
    params: list = []
    join, src = _sums_source(root, period, params)
    counted = ", ".join(str(pk) for pk in _counted_types())
    if src == "r":
        sums = ", ".join(
            f"SUM(CASE WHEN r.meeting_type_id IN ({counted}) THEN r.{c} ELSE 0 END) AS {c}"
            for c in ("due_sum", "present_sum", "checklist_required", "checklist_done")
        )
    else:
        sums = ", ".join(
            f"MAX(a.{c}) AS {c}" for c in ("due_sum", "present_sum", "checklist_required", "checklist_done")
        )
    held = ", ".join(
        f"MAX(CASE WHEN r.meeting_type_id = {t.id} THEN "
        f"{_by_rule(t, 'o.path', lambda months: _held(period, months))} END) AS h_{t.id}"
        for t in rules
    )
    inner = (
        f"SELECT o.id AS id, o.path AS path, o.name AS name, {held}, {sums} "
        f"FROM {Organisation._meta.db_table} o "
        f"LEFT JOIN {BranchLifeYear._meta.db_table} r ON r.organisation_id = o.id AND r.year = %s {join} "
        f"WHERE o.path LIKE %s AND o.kind IN ({kinds}) AND (o.dissolved_on IS NULL OR o.dissolved_on >= %s) "
        f"GROUP BY o.id, o.path, o.name"
    )
    params = [period.year, *params, root + "%", period.start]
    exempt_cols = ", ".join(
        f"MAX(CASE WHEN e.meeting_type_id IS NULL OR e.meeting_type_id = {t.id} THEN 1 ELSE 0 END) AS x_{t.id}"
        for t in rules
    )
    exempt = (
        f"SELECT e.organisation_id, {exempt_cols} FROM {MeetingExemption._meta.db_table} e "
        f"WHERE e.org_path LIKE %s AND e.starts_on <= %s AND e.ends_on >= %s GROUP BY e.organisation_id"
    )
    params += [root + "%", period.end, period.start]
    cols = []
    for t in rules:
        cols += [
            f"COALESCE(b.h_{t.id}, 0) AS held_{t.id}",
            f"{_by_rule(t, 'b.path', lambda months: str(len(period.buckets(months))))} AS req_{t.id}",
            f"COALESCE(x.x_{t.id}, 0) AS x_{t.id}",
        ]
    sql = (
        f"SELECT b.id, b.path, b.name, {', '.join(cols)}, COALESCE(b.due_sum, 0) AS due_sum, "
        f"COALESCE(b.present_sum, 0) AS present_sum, COALESCE(b.checklist_required, 0) AS checklist_required, "
        f"COALESCE(b.checklist_done, 0) AS checklist_done "
        f"FROM ({inner}) b LEFT JOIN ({exempt}) x ON x.organisation_id = b.id"
    )
    return sql, params


def missing_condition(rules: list[TypeRule]) -> str:
    return " OR ".join(f"(s.held_{t.id} < s.req_{t.id} AND s.x_{t.id} = 0)" for t in rules) or "1 = 0"


def fetch(sql: str, params: list) -> list[tuple]:
    """Run a compliance statement; on PostgreSQL without JIT (its compile time, ~0.25 s, exceeds its gain here)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


MASK_TYPES = 62  # required types that fit the bigint masks of `summary_sql`


def summary_sql(root: str, period: Period, rules: list[TypeRule]) -> tuple[str, list]:
    """SQL of the per-child totals (`compliance_summary`), in two passes instead of one row per branch and type.

    Pass 1 reads the subtree's rollup rows for the year (the (year, org_path) range) and folds them per
    branch into a bit mask of the types whose held buckets reach the required number (one CASE a row
    instead of one MAX(CASE …) a row and type) plus the attendance/checklist sums; pass 2 joins the
    branches, their exemptions as a mask of exempt types and, for a month or quarter, the meeting sums,
    and groups them by child and masks; `summary_totals` turns the groups into per-child counts.  The figures are those of `rows_sql` (a test compares them); the province
    year went from ≈ 1.5–2.0 s to ≈ 0.9 s (docs/performance.md, "Compliance").
    """
    if not _PATH.match(root):
        raise ValueError("bad path")
    if len(rules) > MASK_TYPES:  # pragma: no cover - there are nine national types
        raise ValueError("too many required types for the masks")
    kinds = ", ".join(f"'{k}'" for k in sorted(BRANCH_KINDS))
    bit = {t.id: 1 << k for k, t in enumerate(rules)}
    counted = ", ".join(str(pk) for pk in _counted_types())

    def ok(t: TypeRule) -> str:  # this rollup row's type has reached its required buckets
        return _by_rule(
            t,
            "r.org_path",
            lambda months: (
                f"(CASE WHEN {_held(period, months)} >= {len(period.buckets(months))} THEN {bit[t.id]} ELSE 0 END)"
            ),
        )

    cases = " ".join(f"WHEN {t.id} THEN {ok(t)}" for t in rules)
    params: list = [period.year, root + "%"]
    sums = ", ".join(
        f"SUM(r.{c}) FILTER (WHERE r.meeting_type_id IN ({counted})) AS {c}"
        for c in ("due_sum", "present_sum", "checklist_required", "checklist_done")
    )
    # One rollup row per (branch, year, type) (life_rollup_unique), so the SUM of the bits is their OR.
    held = (
        f"SELECT r.organisation_id, CAST(SUM(CASE r.meeting_type_id {cases or 'WHEN 0 THEN 0'} ELSE 0 END) "
        f"AS bigint) AS ok, {sums} FROM {BranchLifeYear._meta.db_table} r "
        f"WHERE r.year = %s AND r.org_path LIKE %s GROUP BY r.organisation_id"
    )
    join, src = _sums_source(root, period, params)
    src = "p" if src == "r" else src
    exempt_bits = (
        " + ".join(
            f"MAX(CASE WHEN e.meeting_type_id IS NULL OR e.meeting_type_id = {t.id} THEN {bit[t.id]} ELSE 0 END)"
            for t in rules
        )
        or "0"
    )
    exempt = (
        f"SELECT e.organisation_id, CAST({exempt_bits} AS bigint) AS mask "
        f"FROM {MeetingExemption._meta.db_table} e WHERE e.org_path LIKE %s AND e.starts_on <= %s "
        f"AND e.ends_on >= %s GROUP BY e.organisation_id"
    )
    due = {t.id: _by_rule(t, "o.path", lambda months: "1" if period.buckets(months) else "0") for t in rules}
    due_mask = " + ".join(f"({due[t.id]} * {bit[t.id]})" for t in rules) or "0"
    child = len(root) + Organisation.steplen
    # Grouped by child and by the three masks: a few hundred groups, whose per-type and missing
    # counts `summary_totals` adds up (27 aggregates a branch row cost more than the join itself).
    sql = (
        f"SELECT SUBSTR(o.path, 1, {child}) AS child, COALESCE(p.ok, 0), COALESCE(x.mask, 0), {due_mask}, "
        f"COUNT(*), "
        + ", ".join(
            f"COALESCE(SUM({src}.{c}), 0)"
            for c in ("due_sum", "present_sum", "checklist_required", "checklist_done")
        )
        + f" FROM {Organisation._meta.db_table} o LEFT JOIN ({held}) p ON p.organisation_id = o.id {join} "
        f"LEFT JOIN ({exempt}) x ON x.organisation_id = o.id "
        f"WHERE o.path LIKE %s AND o.kind IN ({kinds}) AND (o.dissolved_on IS NULL OR o.dissolved_on >= %s) "
        f"GROUP BY 1, 2, 3, 4"
    )
    params += [root + "%", period.end, period.start, root + "%", period.start]
    return sql, params


def summary_totals(rows: list[tuple], rules: list[TypeRule]) -> dict[str, list[int]]:
    """Per child: [branches, missing, due, present, checklist required, done, then per type
    (due branches, held branches, exempt branches)], from the (child, ok, exempt, due masks, count,
    sums) groups of `summary_sql`."""
    totals: dict[str, list[int]] = {}
    for child, ok, exempt, due, count, *sums in rows:
        ok, exempt, due, count = int(ok), int(exempt), int(due), int(count)
        entry = totals.setdefault(child, [0] * (6 + 3 * len(rules)))
        entry[0] += count
        entry[1] += count if due & ~(ok | exempt) else 0
        for i, value in enumerate(sums):
            entry[2 + i] += int(value or 0)
        for k in range(len(rules)):
            bit = 1 << k
            if due & bit and not exempt & bit:
                entry[6 + 3 * k] += count
                entry[7 + 3 * k] += count if ok & bit else 0
            entry[8 + 3 * k] += count if exempt & bit else 0
    return totals
