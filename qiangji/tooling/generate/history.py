"""History for every module on top of the organisations and members already written.

`add_history(plan)` reads one county at a time (organisations, members, committee seats: a few
tens of thousands of rows, streamed with `.iterator()`), draws that county's development cases,
meetings and attendance, mobile-member flows and transfers, and dues ledgers, and writes them in
bulk (COPY on PostgreSQL, `bulk_create` on SQLite).  It runs as part of `qiangji generate` and on
its own (`qiangji generate --history`) on an existing database, and refuses when history is already
there.  One audit entry per run; deterministic for a seed and an `as_of` date.

Each app writes its own share from its `demo` module (`recruitment/demo.py`, `mobility/demo.py`,
`life/demo.py`, `dues/demo.py`), which calls `register(...)` below; `parts()` finds those modules by
autodiscovery over the installed apps, so this module imports none of them.
"""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max
from django.utils.module_loading import autodiscover_modules

from qiangji.core import audit
from qiangji.core.models import AuditEntry
from qiangji.members.models import Member
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import CommitteeMember, Organisation
from qiangji.tooling.generate import places
from qiangji.tooling.generate.writers import database_bytes, writer_for_connection

BRANCHES = frozenset(str(kind) for kind in BRANCH_KINDS)
APPROVER_KINDS = frozenset({"committee", "working_committee", "industry_committee"})
MEMBER_FIELDS = (
    "id",
    "organisation_id",
    "org_path",
    "region_code",
    "name",
    "name_pinyin",
    "sex",
    "ethnicity",
    "birth_date",
    "id_number_encrypted",
    "id_number_hash",
    "id_suffix",
    "phone_encrypted",
    "phone_hash",
    "phone_suffix",
    "education",
    "employer",
    "address",
    "post",
    "status",
    "category",
    "joined_on",
    "confirmed_on",
    "lost_contact_since",
    "is_mobile",
    "mobile_destination",
)
ORG_FIELDS = ("id", "path", "depth", "kind", "category", "name", "unit_name", "region_code", "division_code")


class HistoryError(Exception):
    """A refusal with a Chinese message for the person at the console."""


@dataclass
class Org:
    id: int
    path: str
    depth: int
    kind: str
    category: str
    name: str
    unit_name: str
    region_code: str
    division_code: str
    approver: "Org | None" = (
        None  # the primary committee that pre-reviews and approves (《中国共产党发展党员工作细则》第二十四条)
    )

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCHES


@dataclass
class County:
    """What one county holds, read back from the database."""

    org: Org
    code: str
    name: str
    orgs: list[Org]
    members: list[dict]
    by_branch: dict[int, list[dict]]
    seats: dict[int, list[tuple[int | None, str, str]]]  # org id → (member id, name, post)

    @property
    def branches(self) -> list[Org]:
        return [org for org in self.orgs if org.is_branch and self.by_branch.get(org.id)]

    def secretary(self, org: Org | None) -> str:
        seats = self.seats.get(org.id, []) if org else []
        return seats[0][1] if seats else ""


@dataclass
class HistoryResult:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    database_bytes: int = 0
    seconds_by_part: dict[str, float] = field(default_factory=dict)

    def add(self, label: str, number: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + number


@dataclass
class Context:
    """What the per-app modules share during one run."""

    seed: int
    as_of: datetime.date
    scale: str
    root: Org
    writer: object
    next_ids: dict[str, int]
    result: HistoryResult
    extra: dict = field(default_factory=dict)

    def timed(self, label: str, function, *args):
        started = time.monotonic()
        try:
            return function(*args)
        finally:
            seconds = self.result.seconds_by_part
            seconds[label] = round(seconds.get(label, 0.0) + time.monotonic() - started, 1)

    def rng(self, code: str, module: str) -> random.Random:
        return random.Random(f"{self.seed}:{code}:{module}")

    def take_ids(self, model, count: int) -> int:
        """The first of `count` fresh primary keys of `model` (rows are written with explicit ids).

        On PostgreSQL the block is taken from the table's sequence at once (`setval`, visible to every
        session immediately), so services writing on the same database meanwhile never get one of
        these ids; elsewhere the loader is alone and counts on from the largest id."""
        if connection.vendor == "postgresql":
            table = model._meta.db_table
            with connection.cursor() as cursor:
                # Loaders running side by side (--part) take their blocks one at a time.
                cursor.execute("SELECT pg_advisory_lock(hashtext('qiangji.generate.ids'))")
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute(
                    f"SELECT setval(%s, GREATEST((SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}),"
                    f" (SELECT last_value FROM {sequence})) + %s)",
                    [sequence, max(count, 1)],
                )
                last = cursor.fetchone()[0]
                cursor.execute("SELECT pg_advisory_unlock(hashtext('qiangji.generate.ids'))")
            return last - max(count, 1) + 1
        key = model._meta.label_lower
        if key not in self.next_ids:
            self.next_ids[key] = (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        first = self.next_ids[key]
        self.next_ids[key] += count
        return first

    def write(self, model, rows: list[dict], label: str | None = None) -> None:
        self.writer.write_dicts(model, rows)
        self.result.add(label or model._meta.db_table, len(rows))


@dataclass(frozen=True)
class HistoryPart:
    """One app's share of the history, registered from its `demo` module.

    Parts run in `order` in each phase: `setup(ctx, counties, progress)` once before the counties (in
    one transaction), `county(ctx, county)` for each county (in that county's transaction, timed under
    `label`), `finish(ctx)` once after the last county.  `tables` (label → (model, path lookup)) are the
    large tables whose rows under the province mean that history is already there."""

    label: str
    order: int
    setup: Callable | None = None
    county: Callable | None = None
    finish: Callable | None = None
    tables: dict = field(default_factory=dict)


PARTS: dict[str, HistoryPart] = {}


def register(
    label: str,
    *,
    order: int,
    setup: Callable | None = None,
    county: Callable | None = None,
    finish: Callable | None = None,
    tables: dict | None = None,
) -> HistoryPart:
    """Called by `<app>/demo.py` at import: add (or replace) the app's part of the history."""
    part = HistoryPart(label, order, setup, county, finish, dict(tables or {}))
    PARTS[label] = part
    return part


def parts() -> list[HistoryPart]:
    """Every registered part in order (the installed apps' `demo` modules are imported first)."""
    autodiscover_modules("demo")
    return sorted(PARTS.values(), key=lambda part: (part.order, part.label))


def history_models():
    """Tables whose rows this loader writes; a run refuses if any of them has rows under the root."""
    return {label: table for part in parts() for label, table in part.tables.items()}


def refuse_existing(root_path: str) -> None:
    """A second run would duplicate everything: refuse after an earlier run (its audit entry) or when
    the large history tables already hold rows under the province (a few mobile-member rows written
    through the services do not count: the loader adds its own beside them)."""
    if AuditEntry.objects.filter(action="core.data.history_generated", org_path=root_path).exists():
        raise HistoryError("该省已经生成过历史数据（见审计日志“生成演示历史数据”）：--history 只能运行一次")
    for label, (model, column) in history_models().items():
        if model._base_manager.filter(**{f"{column}__startswith": root_path}).exists():
            raise HistoryError(
                f"该省的历史数据（{label}）已经存在，再次生成会重复：--history 只能在没有历史数据的数据库上运行一次"
            )


def county_orgs(codes: list[str]) -> list[tuple[str, Organisation]]:
    """The county committees of the plan, in plan order (depth 3, division code = county code)."""
    found = {o.division_code: o for o in Organisation.objects.filter(division_code__in=codes, depth=3)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise HistoryError(
            f"数据库中没有区划 {missing[0]} 的县级党委：请先运行 qiangji generate 生成组织和党员"
        )
    return [(code, found[code]) for code in codes]


def load_county(code: str, county: Organisation) -> County:
    orgs = [
        Org(*row)
        for row in Organisation.objects.filter(path__startswith=county.path)
        .order_by("path")
        .values_list(*ORG_FIELDS)
        .iterator(chunk_size=5000)
    ]
    by_path = {org.path: org for org in orgs}
    for org in orgs:
        org.approver = _approver(org, by_path)
    members, by_branch = [], {}
    rows = (
        Member._base_manager.filter(org_path__startswith=county.path)
        .order_by("org_path", "id")
        .values(*MEMBER_FIELDS)
        .iterator(chunk_size=5000)
    )
    for row in rows:
        members.append(row)
        by_branch.setdefault(row["organisation_id"], []).append(row)
    seats: dict[int, list] = {}
    for org_id, member_id, name, post in (
        CommitteeMember.objects.filter(
            org_path__startswith=county.path, ended_on__isnull=True, committee__ended_on__isnull=True
        )
        .order_by("committee__organisation_id", "id")
        .values_list("committee__organisation_id", "member_id", "name", "post")
        .iterator(chunk_size=5000)
    ):
        seats.setdefault(org_id, []).append((member_id, name, post))
    name = places.county(code).name if code else county.name
    return County(by_path[county.path], code, name, orgs, members, by_branch, seats)


def _approver(org: Org, by_path: dict[str, Org]) -> Org | None:
    """Nearest ancestor that may approve: a primary committee; not a general branch, and not a village
    committee under a township committee (《中国共产党发展党员工作细则》第二十四条) — that case goes up to the township."""
    path = org.path[:-4]
    while len(path) >= 4:
        parent = by_path.get(path)
        if parent is not None and parent.kind in APPROVER_KINDS and parent.depth >= 4:
            grand = by_path.get(path[:-4])
            village_under_township = (
                parent.category == "rural"
                and grand is not None
                and grand.kind == "committee"
                and grand.depth >= 4
            )
            if not village_under_township:
                return parent
        path = path[:-4]
    return by_path.get(org.path[:12]) if len(org.path) >= 12 else None


def use_large_cache() -> None:
    """SQLite: a 256 MiB page cache for this connection while the history is written (the default
    ~2 MiB makes every index insert of the payment and attendance tables go to the file)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")


def use_replica_role() -> None:
    """On PostgreSQL, skip the per-row foreign-key triggers for this transaction (the loader writes
    keys it has just read; tests check every key). Needs a superuser; otherwise the checks stay on."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def has_history(path: str) -> bool:
    """Whether a county already got its history (each county is written in one transaction)."""
    return any(
        model._base_manager.filter(**{f"{column}__startswith": path}).exists()
        for model, column in history_models().values()
    )


def add_history(
    plan,
    *,
    actor=None,
    progress=print,
    root_id: int | None = None,
    audit_entry: bool = True,
    writer=None,
    resume: bool = False,
    part: tuple[int, int] = (0, 1),
) -> HistoryResult:
    """`resume`: skip the counties that already have history (after a run stopped half-way) instead of
    refusing; `part` (i, n): only every n-th county from the i-th, to run n loaders side by side."""
    """Write every module's history for the counties of `plan` (already present in the database)."""
    registered = parts()
    started = time.monotonic()
    result = HistoryResult()
    counties = county_orgs(plan.counties)
    root_org = Organisation.objects.get(pk=root_id) if root_id else counties[0][1].get_root()
    if not resume:
        refuse_existing(root_org.path)
    counties = [c for index, c in enumerate(counties) if index % part[1] == part[0]]
    writer = writer or writer_for_connection()
    use_large_cache()
    root = Org(*[getattr(root_org, name) for name in ORG_FIELDS])
    ctx = Context(plan.seed, plan.as_of, plan.scale, root, writer, {}, result)
    ctx.extra["dues_months"] = getattr(plan, "dues_months", None)
    ctx.extra["resume"] = resume
    # One transaction per county (inside the caller's when `generate` runs it): locks on the member
    # table last seconds, not the whole run, and others see the counties done so far. A run that
    # fails half-way leaves whole counties behind, and a second run is refused (refuse_existing).
    with transaction.atomic():
        use_replica_role()
        if connection.vendor == "postgresql":  # loaders side by side (--part): one creates the themes
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('qiangji.generate.themes'))")
        for registered_part in registered:
            if registered_part.setup:
                registered_part.setup(ctx, counties, progress)
    for index, (code, county_org) in enumerate(counties):
        if resume and has_history(county_org.path):
            progress(f"  历史 [{index + 1}/{len(counties)}] {county_org.name}: 已有历史数据，跳过")
            continue
        with transaction.atomic():
            use_replica_role()
            county = ctx.timed("read", load_county, code, county_org)
            for registered_part in registered:
                if registered_part.county:
                    ctx.timed(registered_part.label, registered_part.county, ctx, county)
        progress(
            f"  历史 [{index + 1}/{len(counties)}] {county.name}: 发展党员 {result.counts.get('cases', 0)}、"
            f"会议 {result.counts.get('meetings', 0)}、出席 {result.counts.get('attendance', 0)}、"
            f"党费 {result.counts.get('payments', 0)}（{time.monotonic() - started:.1f} 秒；"
            + "，".join(f"{k} {v}" for k, v in result.seconds_by_part.items())
            + "）"
        )
    with transaction.atomic():
        for registered_part in registered:
            if registered_part.finish:
                registered_part.finish(ctx)
        result.seconds = round(time.monotonic() - started, 1)
        if audit_entry:
            audit.record(
                actor=actor,
                action="core.data.history_generated",
                org=root_org,
                target_repr=f"演示历史数据（{plan.scale}，种子 {plan.seed}）",
                after={
                    "scale": plan.scale,
                    "seed": plan.seed,
                    "as_of": plan.as_of,
                    "county_count": len(counties),
                    "counts": result.counts,
                    "seconds": result.seconds,
                    "seconds_by_part": result.seconds_by_part,
                },
            )
    result.database_bytes = database_bytes()
    return result
