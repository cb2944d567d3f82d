"""Full rebuild and incremental refresh of the dashboard rollups (ADR 0008).

* `rebuild()` — every organisation's own figures (one GROUP BY per base table), then totals level by
  level from the deepest; flows for the last `KEEP_MONTHS` months, stock for the current month (and for
  the previous month when it has no snapshot yet).  One transaction: readers see the old figures until
  it commits.
* `refresh()` — reads the audit entries newer than the watermark (minus an overlap for transactions
  that committed late; recomputing is idempotent), takes the organisations they touched (both sides of
  a move or a transfer), recomputes their own figures for this and the previous month, then the totals
  of them and all their ancestors, deepest first.
"""

import datetime
import logging
import time

from django.db import connection, transaction
from django.utils import timezone

from qiangji.core.dates import first_of_month
from qiangji.core.dates import today as local_today
from qiangji.core.models import AuditEntry
from qiangji.dashboard.measures import STOCK_NAMES
from qiangji.dashboard.models import FlowRollup, OwnFlow, OwnStock, RollupState, StockRollup
from qiangji.dashboard.rollups import own, totals
from qiangji.dashboard.rollups.sql import chunks, date_param, execute, shift
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

logger = logging.getLogger(__name__)

KEEP_MONTHS = 24
OVERLAP = datetime.timedelta(seconds=120)  # a transaction committing up to 2 minutes after its audit entry
LOCK_KEY = 720_008  # PostgreSQL advisory lock shared by rebuild and refresh
STEPLEN = Organisation.steplen
# Entries whose before/after may name a second organisation (a move, a transfer, a flow's other side).
TWO_SIDED_PREFIXES = ("orgs.organisation.", "mobility.", "recruitment.case.transferred", "members.member.")
PATH_KEYS = ("path", "org_path", "other_path", "from_path", "to_path", "old_path", "new_path")
ORG_KEYS = (
    "organisation",
    "parent",
    "merged_into",
    "out_org",
    "in_org",
    "from_org",
    "to_org",
    "to_branch",
    "from_organisation",
    "to_organisation",
)


def state() -> RollupState:
    return RollupState.objects.get_or_create(key="default")[0]


def _lock() -> None:
    if connection.vendor == "postgresql":
        execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _months(today: datetime.date, count: int) -> list[datetime.date]:
    current = first_of_month(today)
    return [shift(current, -n) for n in range(count - 1, -1, -1)]


BASE_TABLES = (
    "orgs_organisation",
    "orgs_committee",
    "members_member",
    "recruitment_case",
    "recruitment_developmentplan",
    "life_meeting",
    "life_branchlifeyear",
    "life_meetingexemption",
    "dues_duesaccount",
    "dues_duesbase",
    "dues_payment",
    "dues_hardshipreduction",
    "mobility_mobileflow",
)


def analyze(tables, *, only_stale: bool = False) -> None:
    """PostgreSQL: fresh statistics, so the planner does not take a just-filled table (or a base table
    loaded in bulk since its last ANALYZE) for an empty one and choose nested loops over millions of rows.

    `only_stale`: only tables never analysed or changed by more than a fifth since (autovacuum would get
    there too, but not before a rebuild that starts right after a bulk load)."""
    if connection.vendor != "postgresql":
        return
    if only_stale:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid "
                "WHERE c.relname = ANY(%s) AND (c.reltuples < 0 OR s.n_mod_since_analyze > "
                "GREATEST(c.reltuples, 1000) * 0.2)",
                [list(tables)],
            )
            tables = [row[0] for row in cursor.fetchall()]
    for table in tables:
        execute(f"ANALYZE {table}")


def _tree_roots() -> list[str]:
    return list(Organisation.objects.filter(depth=1).order_by("path").values_list("path", flat=True))


def rebuild(*, today: datetime.date | None = None, months: int = KEEP_MONTHS, log=None) -> dict:
    """Recompute every rollup from the base tables; returns timings in seconds."""
    log = log or (lambda message: None)
    today = today or local_today()
    started, now = time.monotonic(), timezone.now()
    timings = {}
    analyze(BASE_TABLES, only_stale=True)  # outside the long transaction: its lock is released at once
    with transaction.atomic():
        _lock()
        if connection.vendor == "postgresql":
            execute("SET LOCAL jit = off")
            execute("SET LOCAL work_mem = '256MB'")  # the level sums group millions of rows
        mark = time.monotonic()
        own.write_own_stock(None, today, now)
        timings["own_stock"] = time.monotonic() - mark
        log(f"own stock: {timings['own_stock']:.1f} s")
        mark = time.monotonic()
        all_months = _months(today, months)
        roots = _tree_roots()
        execute(f"DELETE FROM {OwnFlow._meta.db_table}")
        # One statement for all months: each base table is scanned once (a month-by-month pass would scan
        # the payments and meetings tables 24 times: they are indexed by path or member, not by month alone).
        own.write_own_flow(None, all_months, now, roots)
        timings["own_flow"] = time.monotonic() - mark
        analyze([OwnStock._meta.db_table, OwnFlow._meta.db_table])
        log(f"own flows ({len(all_months)} months): {timings['own_flow']:.1f} s")
        mark = time.monotonic()
        current, previous = all_months[-1], shift(all_months[-1], -1)
        stock_months = [current]
        if not StockRollup.objects.filter(month=previous).exists():
            stock_months.append(previous)
        execute(f"DELETE FROM {FlowRollup._meta.db_table}")
        totals.delete_rows("stock", stock_months, None)
        depth = totals.max_depth()
        for level in range(depth, 0, -1):
            for month in stock_months:
                totals.write_level("stock", [month], level, None, now)
            for (
                month
            ) in all_months:  # month by month: each level-month fits in memory (one pass spilled to disk)
                totals.write_level("flow", [month], level, None, now)
            analyze([StockRollup._meta.db_table, FlowRollup._meta.db_table])
        timings["totals"] = time.monotonic() - mark
        log(f"totals ({depth} levels): {timings['totals']:.1f} s")
        timings["total"] = time.monotonic() - started
        row = state()
        row.last_rebuild_at = row.last_refresh_at = timezone.now()
        row.last_rebuild_seconds = timings["total"]
        row.watermark = now
        if row.first_month is None or row.first_month > min(stock_months):
            row.first_month = min(stock_months)
        row.save()
    return timings


# ----- incremental ---------------------------------------------------------------------------------------


def _collect(value, paths: set, ids: set, key: str = "") -> None:
    if isinstance(value, dict):
        for inner_key, inner in value.items():
            _collect(inner, paths, ids, inner_key)
    elif isinstance(value, list):
        for inner in value:
            _collect(inner, paths, ids, key)
    elif isinstance(value, str) and key in PATH_KEYS and value:
        paths.add(value)
    elif isinstance(value, int) and not isinstance(value, bool) and key in ORG_KEYS:
        ids.add(value)


def touched_since(since) -> tuple[set[str], set[int]]:
    """(paths, organisation ids) named by the audit entries created at or after `since`.

    The org_path of every entry is read set-wise (DISTINCT); before/after are parsed only for the
    actions that can name a second organisation, so a burst of check-ins costs one small query.
    """
    entries = AuditEntry.objects.filter(created_at__gte=since)
    paths = set(entries.exclude(org_path="").order_by().values_list("org_path", flat=True).distinct())
    ids: set[int] = set()
    two_sided = entries.none()
    for prefix in TWO_SIDED_PREFIXES:
        two_sided = two_sided | entries.filter(action__startswith=prefix)
    for target_type, target_id, before, after in two_sided.values_list(
        "target_type", "target_id", "before", "after"
    ):
        _collect(before, paths, ids)
        _collect(after, paths, ids)
        if target_type == "orgs.organisation" and target_id.isdigit():
            ids.add(int(target_id))
    return paths, ids


def ancestors_of(paths: set[str]) -> set[str]:
    found = set()
    for path in paths:
        for end in range(STEPLEN, len(path) + 1, STEPLEN):
            found.add(path[:end])
    return found


def refresh_orgs(paths: set[str], ids: set[int], *, today: datetime.date | None = None, now=None) -> int:
    """Recompute the own figures of the touched organisations and the totals of them and their ancestors.

    Returns the number of total rows' organisations recomputed.  Runs in the caller's transaction.
    """
    today = today or local_today()
    now = now or timezone.now()
    touched = {
        row[0]: row
        for row in Organisation.objects.filter(path__in=list(paths)).values_list(
            "pk", "path", "depth", "kind"
        )
    }
    touched |= {
        row[0]: row
        for row in Organisation.objects.filter(pk__in=list(ids)).values_list("pk", "path", "depth", "kind")
    }
    if not touched:
        return 0
    current = first_of_month(today)
    previous = shift(current, -1)
    _roll_over(current, previous, now)
    own_ids = sorted(touched)
    branch_paths = sorted(row[1] for row in touched.values() if row[3] in BRANCH_KINDS)
    own.write_own_stock(own_ids, today, now)
    own.write_own_flow(own_ids, [previous, current], now, branch_paths)
    affected = {}
    prefixes = ancestors_of({row[1] for row in touched.values()})
    for chunk in chunks(sorted(prefixes)):
        for pk, depth in Organisation.objects.filter(path__in=chunk).values_list("pk", "depth"):
            affected.setdefault(depth, set()).add(pk)
    for pk, row in touched.items():
        affected.setdefault(row[2], set()).add(pk)
    every = sorted(set().union(*affected.values()))
    totals.delete_rows("stock", [current], every)
    totals.delete_rows("flow", [previous, current], every)
    for depth in sorted(affected, reverse=True):
        level = sorted(affected[depth])
        totals.write_level("stock", [current], depth, level, now)
        totals.write_level("flow", [previous, current], depth, level, now)
    return len(every)


def _roll_over(current: datetime.date, previous: datetime.date, now) -> None:
    """First refresh of a month: the stock totals start as a copy of last month's, so untouched
    subtrees keep their figures while the touched ones are recomputed (the past month stays a snapshot)."""
    if (
        StockRollup.objects.filter(month=current).exists()
        or not StockRollup.objects.filter(month=previous).exists()
    ):
        return
    cols = ", ".join(STOCK_NAMES)
    table = StockRollup._meta.db_table
    execute(
        f"INSERT INTO {table} (org_id, parent_id, org_path, depth, month, refreshed_at, {cols}) "
        f"SELECT org_id, parent_id, org_path, depth, {date_param()}, refreshed_at, {cols} FROM {table} "
        f"WHERE month = {date_param()}",
        [current, previous],
    )


def refresh(*, today: datetime.date | None = None) -> dict:
    """One incremental step from the watermark; returns what it did."""
    started = time.monotonic()
    now = timezone.now()
    with transaction.atomic():
        _lock()
        row = RollupState.objects.select_for_update().get_or_create(key="default")[0]
        since = (row.watermark - OVERLAP) if row.watermark else None
        count = new_entries = 0
        if since is not None:
            new_entries = AuditEntry.objects.filter(created_at__gte=row.watermark).count()
            paths, ids = touched_since(since)
            count = refresh_orgs(paths, ids, today=today, now=now)
        row.watermark = now
        row.last_refresh_at = timezone.now()
        row.last_refresh_seconds = time.monotonic() - started
        row.last_refresh_orgs = count
        row.save()
    return {
        "organisations": count,
        "new_entries": new_entries,
        "seconds": time.monotonic() - started,
        "since": since,
    }


def own_stock_exists() -> bool:
    return OwnStock.objects.exists()
