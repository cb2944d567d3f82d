"""An organisation's OWN figures (no subtree), computed set-wise: one GROUP BY per base table, all of
them in one INSERT … SELECT over a UNION ALL.  `ids=None` computes every organisation (full rebuild);
a list of ids recomputes only those (incremental refresh).  Rules come from the apps that own them:
ON_ROLL (members), the due-list windows (recruitment), compliance rows (life), arrears (dues).
"""

import datetime

from django.db.models import Count

from qiangji.core.dates import add_years, first_of_month
from qiangji.dashboard.measures import FLOW_NAMES, STOCK_NAMES
from qiangji.dashboard.models import OwnFlow, OwnStock
from qiangji.dashboard.rollups.sql import (
    Subtree,
    chunks,
    date_param,
    execute,
    id_filter,
    month_of,
    shift,
    union,
)
from qiangji.dues.selectors import DUES_PAYING, LAPSE_MONTHS
from qiangji.life.choices import HELD_STATES, PeriodKind
from qiangji.life.selectors.compliance import missing_condition, rows_sql, rules_for
from qiangji.life.selectors.periods import Period
from qiangji.members.choices import ON_ROLL, MemberStatus
from qiangji.mobility.choices import OPEN_FLOW_STATUSES, FlowStatus
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation
from qiangji.recruitment.choices import ACTIVE_STATUSES, CaseStatus
from qiangji.recruitment.models import Case
from qiangji.recruitment.selectors import due

ORGS = "orgs_organisation"


def _quoted(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in sorted(str(v) for v in values))


def _count_if(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


EDUCATION = {
    "m_edu_postgraduate": ("10", "11", "14"),
    "m_edu_university": ("20",),
    "m_edu_college": ("30",),
    "m_edu_secondary": ("40", "50", "60"),
    "m_edu_basic": ("70", "80", "90"),
}
POSTS = {
    "m_post_civil_servant": ("0110",),
    "m_post_public_institution": ("0210", "0220"),
    "m_post_enterprise": ("0310", "0320"),
    "m_post_farmer": ("0400",),
    "m_post_new_employment": ("0510",),
    "m_post_student": ("0700",),
    "m_post_retired": ("0900",),
    "m_post_other": ("0500", "0600", "0800", "9900"),
}
AGE_BANDS = (("m_age_35", 36, None), ("m_age_36_45", 46, 36), ("m_age_46_60", 61, 46), ("m_age_61", None, 61))


# ----- stock sources ---------------------------------------------------------------------------------


def _members(ids, today) -> tuple[str, list, tuple]:
    roll = f"m.status IN ({_quoted(ON_ROLL)})"
    cols = {
        "m_on_roll": _count_if(roll),
        "m_full": _count_if(f"m.status = '{MemberStatus.FULL}'"),
        "m_probationary": _count_if(f"m.status = '{MemberStatus.PROBATIONARY}'"),
        "m_lost_contact": _count_if(f"m.status = '{MemberStatus.LOST_CONTACT}'"),
        "m_suspended": _count_if(f"m.status = '{MemberStatus.SUSPENDED}'"),
        "m_male": _count_if(f"{roll} AND m.sex = '1'"),
        "m_female": _count_if(f"{roll} AND m.sex = '2'"),
        "m_han": _count_if(f"{roll} AND m.ethnicity = '01'"),
        "m_minority": _count_if(f"{roll} AND m.ethnicity <> '' AND m.ethnicity <> '01'"),
        "m_ethnicity_unknown": _count_if(f"{roll} AND m.ethnicity = ''"),
        "m_edu_unknown": _count_if(f"{roll} AND m.education = ''"),
        "m_post_unknown": _count_if(f"{roll} AND m.post = ''"),
        "m_completeness_sum": f"SUM(CASE WHEN {roll} THEN m.completeness ELSE 0 END)",
        "m_mobile": _count_if(f"{roll} AND m.is_mobile"),
    }
    cols |= {
        name: _count_if(f"{roll} AND m.education IN ({_quoted(codes)})") for name, codes in EDUCATION.items()
    }
    cols |= {name: _count_if(f"{roll} AND m.post IN ({_quoted(codes)})") for name, codes in POSTS.items()}
    params = []
    for name, younger_than, at_least in AGE_BANDS:  # age in whole years on `today`
        terms = [roll]
        if younger_than is not None:
            terms.append("m.birth_date > %s")
            params.append(add_years(today, -younger_than))
        if at_least is not None:
            terms.append("m.birth_date <= %s")
            params.append(add_years(today, -at_least))
        cols[name] = _count_if(" AND ".join(terms))
    select = ", ".join(f"{sql} AS {name}" for name, sql in cols.items())
    sql = (
        f"SELECT m.organisation_id AS oid, {select} FROM members_member m WHERE 1 = 1"
        f"{id_filter('m.organisation_id', ids)} GROUP BY m.organisation_id"
    )
    return sql, params, tuple(cols)


def _cases(ids, today) -> tuple[str, list, tuple]:
    active = f"c.status IN ('{CaseStatus.OPEN}', '{CaseStatus.PROBATIONARY}')"
    cols = {f"dev_stage_{n}": _count_if(f"{active} AND c.stage = {n}") for n in range(1, 6)}
    cols["dev_admitted_ytd"] = _count_if("c.admitted_on >= %s AND c.admitted_on <= %s")
    select = ", ".join(f"{sql} AS {name}" for name, sql in cols.items())
    year_start = datetime.date(today.year, 1, 1)
    sql = (
        f"SELECT c.organisation_id AS oid, {select} FROM recruitment_case c "
        f"WHERE ({active} OR c.admitted_on >= %s){id_filter('c.organisation_id', ids)} GROUP BY c.organisation_id"
    )
    return sql, [year_start, today, year_start], tuple(cols)


def _overdue(ids, today) -> tuple[str, list, tuple] | None:
    """Overdue step deadlines per branch: the due-list windows (recruitment.selectors.due), one grouped query."""
    deadlines = due.deadline_rules(today)
    if not deadlines:
        return None
    cases = Case.objects.filter(status__in=ACTIVE_STATUSES)
    if isinstance(ids, Subtree):
        cases = cases.filter(org_path__startswith=ids.path)
    elif ids is not None:
        cases = cases.filter(organisation_id__in=list(ids))
    measures = {
        f"late_{i}": Count("pk", filter=due._window_q(d, today, 0, overdue=True, soon=False))
        for i, d in enumerate(deadlines)
    }
    inner, params = cases.order_by().values("organisation_id").annotate(**measures).query.sql_with_params()
    total = " + ".join(f"g.late_{i}" for i in range(len(deadlines)))
    return (
        f"SELECT g.organisation_id AS oid, {total} AS dev_overdue FROM ({inner}) g",
        list(params),
        ("dev_overdue",),
    )


def _plans(ids, today) -> tuple[str, list, tuple]:
    sql = (
        f"SELECT p.organisation_id AS oid, SUM(p.planned) AS dev_planned FROM recruitment_developmentplan p "
        f"WHERE p.year = %s{id_filter('p.organisation_id', ids)} GROUP BY p.organisation_id"
    )
    return sql, [today.year], ("dev_planned",)


def _flows_out(ids, today) -> tuple[str, list, tuple]:
    waiting = _quoted((FlowStatus.OUTFLOW, FlowStatus.PENDING))
    sql = (
        f"SELECT f.out_org_id AS oid, COUNT(*) AS mob_out, {_count_if(f'f.status IN ({waiting})')} "
        f"AS mob_unaccounted FROM mobility_mobileflow f WHERE f.status IN ({_quoted(OPEN_FLOW_STATUSES)})"
        f"{id_filter('f.out_org_id', ids)} GROUP BY f.out_org_id"
    )
    return sql, [], ("mob_out", "mob_unaccounted")


def _flows_in(ids, today) -> tuple[str, list, tuple]:
    sql = (
        f"SELECT f.in_org_id AS oid, COUNT(*) AS mob_in FROM mobility_mobileflow f "
        f"WHERE f.status = '{FlowStatus.ACTIVE}' AND f.in_org_id IS NOT NULL{id_filter('f.in_org_id', ids)} "
        f"GROUP BY f.in_org_id"
    )
    return sql, [], ("mob_in",)


def arrears_cutoff(today: datetime.date) -> datetime.date:
    """Unpaid since before this month = in arrears ≥ 6 months (dues.selectors.arrears_row `is_old`)."""
    return shift(first_of_month(today), -LAPSE_MONTHS)


def _arrears(ids, today) -> tuple[str, list, tuple]:
    cut = arrears_cutoff(today)
    sql = (
        f"SELECT m.organisation_id AS oid, COUNT(*) AS dues_arrears_6m FROM dues_duesaccount a "
        f"JOIN members_member m ON m.id = a.member_id WHERE m.status IN ({_quoted(DUES_PAYING)}) "
        f"AND ((a.paid_through IS NOT NULL AND a.paid_through < %s) OR (a.paid_through IS NULL AND a.start_month < %s))"
        f"{id_filter('m.organisation_id', ids)} GROUP BY m.organisation_id"
    )
    return sql, [shift(cut, -1), cut], ("dues_arrears_6m",)


def _dues_due(ids, today) -> tuple[str, list, tuple]:
    """Members owing dues for this month and the amount: an approved reduction, else the latest base."""
    month = first_of_month(today)
    sql = (
        f"SELECT m.organisation_id AS oid, COUNT(*) AS dues_due_members, "
        f"SUM(COALESCE(r.amount, b.monthly_amount, 0)) AS dues_due_amount "
        f"FROM dues_duesaccount a JOIN members_member m ON m.id = a.member_id "
        f"LEFT JOIN (SELECT b.member_id, b.monthly_amount FROM dues_duesbase b WHERE b.effective_month <= %s "
        f"AND NOT EXISTS (SELECT 1 FROM dues_duesbase b2 WHERE b2.member_id = b.member_id "
        f"AND b2.effective_month <= %s AND b2.effective_month > b.effective_month)) b ON b.member_id = m.id "
        f"LEFT JOIN (SELECT member_id, MIN(reduced_amount) AS amount FROM dues_hardshipreduction "
        f"WHERE status = 'approved' AND from_month <= %s AND to_month >= %s GROUP BY member_id) r "
        f"ON r.member_id = m.id "
        f"WHERE m.status IN ({_quoted(DUES_PAYING)}) AND a.start_month <= %s{id_filter('m.organisation_id', ids)} "
        f"GROUP BY m.organisation_id"
    )
    return sql, [month, month, month, month, month], ("dues_due_members", "dues_due_amount")


def _terms(ids, today) -> tuple[str, list, tuple]:
    sql = (
        f"SELECT c.organisation_id AS oid, COUNT(DISTINCT c.organisation_id) AS term_overdue "
        f"FROM orgs_committee c JOIN {ORGS} o ON o.id = c.organisation_id "
        f"WHERE c.ended_on IS NULL AND o.dissolved_on IS NULL AND c.term_ends_on < %s"
        f"{id_filter('c.organisation_id', ids)} GROUP BY c.organisation_id"
    )
    return sql, [today], ("term_overdue",)


def _orgs(ids, today) -> tuple[str, list, tuple]:
    sql = (
        f"SELECT o.id AS oid, 1 AS orgs, CASE WHEN o.kind IN ({_quoted(BRANCH_KINDS)}) THEN 1 ELSE 0 END "
        f"AS branches FROM {ORGS} o WHERE o.dissolved_on IS NULL{id_filter('o.id', ids)}"
    )
    return sql, [], ("orgs", "branches")


STOCK_SOURCES = (
    _orgs,
    _members,
    _cases,
    _overdue,
    _plans,
    _flows_out,
    _flows_in,
    _arrears,
    _dues_due,
    _terms,
)


def stock_sql(ids, today) -> tuple[str, list]:
    parts = [part for source in STOCK_SOURCES if (part := source(ids, today)) is not None]
    return union(parts, STOCK_NAMES, "q.oid AS oid")


def write_own_stock(ids: list[int] | None, today: datetime.date, now) -> None:
    """Replace the own stock rows of `ids` (all when None)."""
    table = OwnStock._meta.db_table
    batches = [None] if ids is None else list(chunks(sorted(ids)))
    for batch in batches:
        execute(f"DELETE FROM {table} WHERE 1 = 1{id_filter('org_id', batch)}")
        body, params = stock_sql(batch, today)
        cols = ", ".join(STOCK_NAMES)
        sums = ", ".join(f"COALESCE(SUM(u.{c}), 0)" for c in STOCK_NAMES)
        execute(
            f"INSERT INTO {table} (org_id, org_path, depth, refreshed_at, {cols}) "
            f"SELECT o.id, o.path, o.depth, %s, {sums} FROM ({body}) u JOIN {ORGS} o ON o.id = u.oid "
            f"GROUP BY o.id, o.path, o.depth",
            [now, *params],
        )


# ----- flow sources (per month) ------------------------------------------------------------------------


def _dated_cases(column: str, measure: str):
    def source(ids, first, end, months, branch_roots):
        month = month_of(f"c.{column}")
        sql = (
            f"SELECT c.organisation_id AS oid, {month} AS month, COUNT(*) AS {measure} FROM recruitment_case c "
            f"WHERE c.{column} >= %s AND c.{column} < %s{id_filter('c.organisation_id', ids)} "
            f"GROUP BY c.organisation_id, {month}"
        )
        return [(sql, [first, end], (measure,))]

    return source


def _meetings(ids, first, end, months, branch_roots):
    month = month_of("g.held_on")
    held = _quoted(HELD_STATES)
    sql = (
        f"SELECT g.organisation_id AS oid, {month} AS month, COUNT(*) AS life_meetings, "
        f"SUM(g.due_count) AS life_due_sum, SUM(g.present_count) AS life_present_sum FROM life_meeting g "
        f"WHERE g.status IN ({held}) AND g.held_on >= %s AND g.held_on < %s{id_filter('g.organisation_id', ids)} "
        f"GROUP BY g.organisation_id, {month}"
    )
    return [(sql, [first, end], ("life_meetings", "life_due_sum", "life_present_sum"))]


def _compliance(ids, first, end, months, branch_roots):
    """Branches that held each required meeting of the month (life.selectors.compliance rows)."""
    parts = []
    for month in months:
        period = Period(PeriodKind.MONTH, month.year, month.month)
        for root in branch_roots:
            rules = rules_for(root)
            sql, params = rows_sql(root, period, rules)
            due_cond = " OR ".join(f"(s.req_{t.id} > 0 AND s.x_{t.id} = 0)" for t in rules) or "1 = 0"
            missing = missing_condition(rules)
            parts.append(
                (
                    f"SELECT s.id AS oid, {date_param()} AS month, {_count_if(due_cond)} AS life_branches_due, "
                    f"{_count_if(f'({due_cond}) AND NOT ({missing})')} AS life_branches_ok, "
                    f"{_count_if(missing)} AS life_branches_missing FROM ({sql}) s "
                    f"WHERE 1 = 1{'' if isinstance(ids, Subtree) else id_filter('s.id', ids)} "
                    f"GROUP BY s.id",
                    [month, *params],
                    ("life_branches_due", "life_branches_ok", "life_branches_missing"),
                )
            )
    return parts


def _payments(ids, first, end, months, branch_roots):
    # A regular payment is unique per member and month (dues_payment_month_unique), so COUNT(*) counts members
    # — and, unlike COUNT(DISTINCT), lets PostgreSQL hash-aggregate one sequential scan.
    sql = (
        f"SELECT p.organisation_id AS oid, p.month AS month, COUNT(*) AS dues_paid_members, "
        f"SUM(p.amount) AS dues_paid_amount FROM dues_payment p WHERE p.kind = 'regular' AND p.month >= %s "
        f"AND p.month < %s{id_filter('p.organisation_id', ids)} GROUP BY p.organisation_id, p.month"
    )
    return [(sql, [first, end], ("dues_paid_members", "dues_paid_amount"))]


FLOW_SOURCES = (
    _dated_cases("applied_on", "dev_applied"),
    _dated_cases("admitted_on", "dev_admitted"),
    _dated_cases("confirmed_on", "dev_confirmed"),
    _meetings,
    _compliance,
    _payments,
)


def flow_sql(ids, months: list[datetime.date], branch_roots: list[str]) -> tuple[str, list]:
    first, end = min(months), shift(max(months), 1)
    parts = []
    for source in FLOW_SOURCES:
        parts.extend(source(ids, first, end, months, branch_roots))
    return union(parts, FLOW_NAMES, "q.oid AS oid, q.month AS month")


def write_own_flow(ids: list[int] | None, months: list[datetime.date], now, branch_roots: list[str]) -> None:
    """Replace the own flow rows of `ids` (all when None) for `months`.

    `branch_roots`: the paths whose compliance rows are computed (the tree roots for a rebuild, the
    touched branches for a refresh).
    """
    table = OwnFlow._meta.db_table
    month_list = ", ".join(date_param() for _ in months)
    batches = [None] if ids is None else list(chunks(sorted(ids), 100))
    for batch in batches:
        roots = branch_roots if batch is None else [p for p in branch_roots if p in set(_paths(batch))]
        execute(f"DELETE FROM {table} WHERE month IN ({month_list}){id_filter('org_id', batch)}", months)
        body, params = flow_sql(batch, months, roots)
        cols = ", ".join(FLOW_NAMES)
        sums = ", ".join(f"COALESCE(SUM(u.{c}), 0)" for c in FLOW_NAMES)
        execute(
            f"INSERT INTO {table} (org_id, org_path, depth, month, refreshed_at, {cols}) "
            f"SELECT o.id, o.path, o.depth, u.month, %s, {sums} FROM ({body}) u JOIN {ORGS} o ON o.id = u.oid "
            f"GROUP BY o.id, o.path, o.depth, u.month ORDER BY u.month, o.depth",
            [now, *params],
        )
        # ORDER BY: rows of one month lie together on disk, so the rebuild's per-level-and-month sums
        # read a twenty-fourth of the table each, not every page.


def _paths(ids) -> list[str]:
    return list(Organisation.objects.filter(pk__in=list(ids)).values_list("path", flat=True))
