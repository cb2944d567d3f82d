"""`qiangji bench due-list [--scale small|medium|full] [--cases N]`: the set-wise due list against a
per-case Python loop (what peer systems do) and a hand-written SQL query, for the whole tree and
for one county.

Scratch data (the second half of this module): a root committee with counties and branches, cases
spread uniformly over the 25 steps, COPY on PostgreSQL.  Measured, each the best of `--repeat` runs:

* set-wise — `selectors.due.summary` (one aggregate query: two filtered counts per deadline rule over
  the subtree); and the whole page (those counts plus the 50 earliest-due cases of each rule);
* loop — every case of the subtree fetched, each deadline rule evaluated in Python per case with the
  rules module's date arithmetic;
* hand SQL — one statement a person would write: a single pass over the subtree computing every due
  date with the database's date arithmetic (`+ interval` / `date(..., '+N months')`), counted per rule.

The counts of the three must agree (checked), so the comparison is between equal answers.
"""

import argparse
import datetime
import io
import random
import time
import uuid
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from qiangji.core.choices import Role
from qiangji.core.dates import add_years
from qiangji.orgs.models import Grant, Organisation
from qiangji.recruitment import rules
from qiangji.recruitment.choices import ACTIVE_STATUSES, REFERENCE_FIELDS, STEP_STAGES, CaseStatus
from qiangji.recruitment.models import Case, RuleOverride
from qiangji.recruitment.selectors import due
from qiangji.tooling.bench import Benchmark, BenchReport, peak_rss_mb, register

GOAL = "目标：集合式 SQL ≥ 50 × 逐条 Python 循环；≤ 2 × 手写 SQL 的用时"
SCALES = {"small": (20_000, 10, 40), "medium": (100_000, 20, 60), "full": (500_000, 40, 100)}
SCALES["province"] = SCALES["full"]  # the earlier name of the full scale
HORIZON = 30


@register
class DueListBenchmark(Benchmark):
    name = "due-list"
    help = "发展党员到期清单：集合式 SQL vs. 逐条 Python 循环 vs. 手写 SQL（--scale small|medium|full）"

    def add_arguments(self, parser) -> None:
        # No default here: `qiangji bench --scale small` (before the name) or the runner's "full" applies.
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default=argparse.SUPPRESS,
            help="small ≈ 2 万件，medium ≈ 10 万件，full（= province）≈ 50 万件（默认）",
        )
        parser.add_argument("--cases", type=int, help="件数（覆盖 --scale 的件数）")
        parser.add_argument("--counties", type=int, help="临时县数（覆盖 --scale）")
        parser.add_argument("--branches", type=int, help="每县党支部数（覆盖 --scale）")
        parser.add_argument("--repeat", type=int, default=3, help="每项取最好的一次（默认 3 次）")
        parser.add_argument("--keep", action="store_true", help="保留临时数据（默认删除）")

    def run(self, options: dict, log) -> BenchReport:
        count, counties, branches = SCALES[options.get("scale") or "full"]
        count = options.get("cases") or count
        counties, branches = options.get("counties") or counties, options.get("branches") or branches
        log(f"建立临时组织树：{counties} 个县 × {branches} 个党支部 …")
        tree = scratch_tree(counties, branches)
        try:
            return self._measure(tree, count, max(1, options.get("repeat") or 3), log)
        finally:
            if not options.get("keep"):
                log("清理临时数据 …")
                tree.cleanup()

    def _measure(self, tree, count: int, repeat: int, log) -> BenchReport:
        today = timezone.localdate()
        log(f"生成 {count:,} 件发展党员记录 …")
        started = time.perf_counter()
        written = write_cases(case_rows(count, tree.branches, today))
        generate_seconds = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Case._meta.db_table}")
        figures, data = [], {"cases": written, "generate_seconds": round(generate_seconds, 2)}
        for label, path in (("全树", tree.root_path), ("一个县", tree.county_paths[0])):
            log(f"计时：{label} …")
            figures.append((label, self._compare(tree.user, path, today, repeat)))
        return _report(figures, data, written, generate_seconds)

    def _compare(self, user, path: str, today: datetime.date, repeat: int) -> dict:
        setwise, counts = _best(repeat, lambda: setwise_counts(user, path, today))
        page, page_counts = _best(repeat, lambda: setwise_due_list(user, path, today))
        loop, loop_counts = _best(1, lambda: python_loop(path, today))
        hand, hand_counts = _best(repeat, lambda: hand_sql(path, today))
        if not (counts == page_counts == loop_counts == hand_counts):
            raise RuntimeError(f"三种算法结果不一致：{counts} / {loop_counts} / {hand_counts}")
        pending = sum(overdue + soon for overdue, soon in counts.values())
        return {
            "setwise": setwise,
            "page": page,
            "loop": loop,
            "hand": hand,
            "due": pending,
            "cases": Case.objects.filter(org_path__startswith=path).count(),
        }


def _best(repeat: int, work):
    best, result = None, None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    return best, result


def setwise_counts(user, path: str, today: datetime.date) -> dict:
    """The due list's counts per rule (`selectors.due.summary`: one aggregate query)."""
    rows = due.summary(user, org_path=path, day=today, horizon=HORIZON)
    return {row.deadline.code: (row.overdue, row.soon) for row in rows}


def setwise_due_list(user, path: str, today: datetime.date) -> dict:
    """What the page and the API do: the counts and the 50 earliest-due cases of each rule."""
    rows = due.summary(user, org_path=path, day=today, horizon=HORIZON)
    cases = due.base_cases(user, path).select_related("organisation")
    for row in rows:
        if row.overdue or row.soon:
            due.items(row.deadline, due.rule_cases(cases, row.deadline, today, HORIZON)[:50], today)
    return {row.deadline.code: (row.overdue, row.soon) for row in rows}


def python_loop(path: str, today: datetime.date) -> dict:
    """The peer systems' way: every case loaded as an object, every rule evaluated per case in Python
    (the rule in force for the case's organisation, then `rules.due_date`).  Rules and overrides are
    read once, not per case, so the loop is not handicapped by N+1 queries."""
    deadlines = due.deadline_rules(today)
    overrides = list(RuleOverride.objects.filter(rule__in=[d.rule for d in deadlines]))
    counts = {d.code: [0, 0] for d in deadlines}
    end = today + datetime.timedelta(days=HORIZON)
    cases = Case.objects.filter(org_path__startswith=path, status__in=ACTIVE_STATUSES)
    for case in cases.iterator(chunk_size=2000):
        for deadline in deadlines:
            ref = _loop_reference(deadline, case)
            if ref is None:
                continue
            rule = _rule_for(deadline.rule, case.org_path, overrides)
            if rule is None:
                continue
            due_on = rules.due_date(rule, ref).date
            if due_on < today:
                counts[deadline.code][0] += 1
            elif due_on <= end:
                counts[deadline.code][1] += 1
    return {code: tuple(value) for code, value in counts.items()}


def _rule_for(rule, org_path: str, overrides):
    maximum, enabled = rule.maximum, rule.enabled
    for override in overrides:
        if override.rule_id == rule.pk and org_path.startswith(override.org_path):
            _min, maximum, enabled, _kind = rules.tighten(None, maximum, enabled, rule.kind, override)
    if not enabled:
        return None
    return SimpleNamespace(maximum=maximum, unit=rule.unit)


def _loop_reference(deadline, case):
    rule = deadline.rule
    if rule.reference_step == rule.step:  # interval rule (assessments): from the last one or the opener
        if not 3 <= case.step <= rule.step:
            return None
        return case.last_assessment_on or case.activist_on
    if case.step >= rule.step:
        return None
    return getattr(case, deadline.ref_field)


def hand_sql(path: str, today: datetime.date) -> dict:
    """What a careful person writes by hand: one pass over the subtree, the due date of each rule by
    the database's date arithmetic, two conditional counts per rule."""
    deadlines = due.deadline_rules(today)
    end = today + datetime.timedelta(days=HORIZON)
    measures = []
    for deadline in deadlines:
        rule, amount = deadline.rule, deadline.partitions[0].maximum
        if rule.reference_step == rule.step:
            ref, pending = "COALESCE(last_assessment_on, activist_on)", f"step BETWEEN 3 AND {int(rule.step)}"
        else:
            ref, pending = deadline.ref_field, f"step < {int(rule.step)}"
        due_on = _plus(ref, amount, rule.unit)
        measures += [
            f"SUM(CASE WHEN {pending} AND {due_on} < %(today)s THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {pending} AND {due_on} >= %(today)s AND {due_on} <= %(end)s THEN 1 ELSE 0 END)",
        ]
    sql = (
        f"SELECT {', '.join(measures)} FROM {Case._meta.db_table} WHERE org_path LIKE %(path)s "
        f"AND status IN ('open', 'probationary', 'confirmed')"
    )
    params = {"today": today, "end": end, "path": path + "%"}
    if connection.vendor != "postgresql":
        params.update(today=today.isoformat(), end=end.isoformat())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return {d.code: (int(row[2 * i] or 0), int(row[2 * i + 1] or 0)) for i, d in enumerate(deadlines)}


def _plus(ref: str, amount: int, unit: str) -> str:
    months = amount * 12 if unit == "years" else amount
    if connection.vendor == "postgresql":
        if unit == "days":
            return f"({ref} + {int(amount)})"
        return f"({ref} + interval '{int(months)} months')::date"
    if unit == "days":
        return f"date({ref}, '+{int(amount)} days')"
    # SQLite rolls 31 Jan + 1 month over to 3 March: clamp to the last day of the target month.
    return (
        f"min(date({ref}, '+{int(months)} months'), "
        f"date({ref}, 'start of month', '+{int(months) + 1} months', '-1 day'))"
    )


def _report(figures, data, written: int, generate_seconds: float) -> BenchReport:
    rows = [("件数", f"{written:,}"), ("生成与写入", f"{generate_seconds:.1f} s")]
    for label, f in figures:
        data[label] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in f.items()}
        rows += [
            (f"{label}：范围内件数 / 逾期或将到期", f"{f['cases']:,} / {f['due']:,}"),
            (f"{label}：集合式 SQL（各规则计数）", f"{f['setwise'] * 1000:.0f} ms"),
            (f"{label}：到期清单整页（计数 + 每条规则前 50 人）", f"{f['page'] * 1000:.0f} ms"),
            (f"{label}：逐条 Python 循环", f"{f['loop'] * 1000:.0f} ms（{f['loop'] / f['setwise']:.0f} ×）"),
            (
                f"{label}：手写 SQL",
                f"{f['hand'] * 1000:.0f} ms（集合式为其 {f['setwise'] / f['hand']:.2f} 倍）",
            ),
        ]
    rows.append(("峰值内存", f"{peak_rss_mb():.0f} MB"))
    whole = figures[0][1]
    ratio = whole["loop"] / whole["setwise"]
    summary = (
        f"全树：集合式 {whole['setwise'] * 1000:.0f} ms，比逐条循环快 {ratio:.0f} 倍，"
        f"为手写 SQL 的 {whole['setwise'] / whole['hand']:.2f} 倍"
    )
    return BenchReport("due-list", rows, summary, ratio=ratio, goal=GOAL, data=data)


# --- Scratch data --------------------------------------------------------------------------------------
# A fast generator of development cases spread over all 25 steps, for the due-list benchmark.  Cases go
# into a scratch organisation tree (root committee → counties → branches) so that the real data is never
# touched; rows are written with PostgreSQL COPY (bulk_create on SQLite).  Dates are consistent with each
# case's step (application before talk before activist ...) and spread so that every deadline rule has
# overdue, soon-due and later cases.  Personal items are placeholders: the benchmark never decrypts them,
# and the blind index is a unique tag so the one-open-case rule holds.

COLUMNS = [
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
    "group",
    "status",
    "stage",
    "step",
    "last_step_on",
    *REFERENCE_FIELDS.values(),
    "probation_extended",
    "created_at",
    "updated_at",
]
# Typical gaps (days) between a step's reference date and the next one, for consistent histories.
GAPS = {2: 20, 3: 200, 6: 180, 7: 200, 13: 120, 15: 30, 17: 60, 20: 20, 21: 365, 23: 30, 24: 60, 25: 30}


@dataclass
class ScratchTree:
    root_id: int
    root_path: str
    county_paths: list[str]
    branches: list[tuple[int, str]]  # (id, path)
    user: object
    grant_id: int

    def cleanup(self) -> None:
        """Delete the scratch cases, step rows, grant and organisations (set-wise SQL)."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {Case._meta.db_table} WHERE org_path LIKE %s", [self.root_path + "%"]
            )
            Grant.objects.filter(pk=self.grant_id).delete()
            Organisation.objects.filter(path__startswith=self.root_path).delete()


def scratch_tree(counties: int, branches_per_county: int) -> ScratchTree:
    """A root committee with `counties` county committees of `branches_per_county` branches each.

    The children are bulk-created with their materialised paths computed by treebeard's own
    `_get_path` (one INSERT per level instead of one `add_child` per node).
    """
    tag = uuid.uuid4().hex[:6]
    root = Organisation.objects.add_root(
        create_kwargs=dict(
            name=f"发展党员基准党委-{tag}", kind="committee", category="other", code=f"RB-{tag}"
        )
    )
    county_rows = [
        Organisation(
            name=f"基准县{c + 1:02d}-{tag}",
            kind="committee",
            category="government",
            code=f"RB-{tag}-{c:03d}",
            depth=2,
            numchild=branches_per_county,
            path=Organisation._get_path(root.path, 2, c + 1),
        )
        for c in range(counties)
    ]
    Organisation.objects.bulk_create(county_rows)
    Organisation.objects.filter(pk=root.pk).update(numchild=counties)
    branch_rows = [
        Organisation(
            name=f"基准县{c + 1:02d}第{b + 1:03d}党支部-{tag}",
            kind="branch",
            category="community",
            code=f"RB-{tag}-{c:03d}-{b:04d}",
            depth=3,
            numchild=0,
            path=Organisation._get_path(county.path, 3, b + 1),
        )
        for c, county in enumerate(county_rows)
        for b in range(branches_per_county)
    ]
    Organisation.objects.bulk_create(branch_rows, batch_size=2000)
    branches = list(
        Organisation.objects.filter(path__startswith=root.path, depth=3)
        .order_by("path")
        .values_list("pk", "path")
    )
    user, _ = get_user_model().objects.get_or_create(
        username="bench-recruitment", defaults={"is_active": False}
    )
    grant = Grant.objects.create(user=user, organisation=root, org_path=root.path, role=Role.COMMITTEE)
    return ScratchTree(root.pk, root.path, [county.path for county in county_rows], branches, user, grant.pk)


def case_rows(count: int, branches: list[tuple[int, str]], today: datetime.date, seed: int = 1):
    """Tuples in COLUMNS order: steps uniform over 1–25, dates walked back from `today`."""
    rng = random.Random(seed)
    now = datetime.datetime.now(datetime.UTC)
    tag = uuid.uuid4().hex[:8]
    for index in range(count):
        branch_id, path = branches[index % len(branches)]
        step = rng.randint(1, 25)
        dates = _dates(step, today, rng)
        status = (
            CaseStatus.PROBATIONARY
            if 15 <= step < 23
            else (
                CaseStatus.CONFIRMED
                if step in (23, 24)
                else CaseStatus.ARCHIVED
                if step == 25
                else CaseStatus.OPEN
            )
        )
        yield (
            branch_id,
            path,
            "",
            f"申请人{index}",
            f"shenqingren{index}",
            "1",
            "01",
            datetime.date(1995, 1, 1),
            "bench",
            f"{tag}-{index}",
            f"{index % 10000:04d}",
            "",
            "",
            "",
            "",
            "",
            "",
            "other",
            status,
            STEP_STAGES[step],
            step,
            max(d for d in dates.values() if d),
            *dates.values(),
            False,
            now,
            now,
        )


def _dates(step: int, today: datetime.date, rng: random.Random) -> dict:
    """Reference dates of the steps done, the last one 0–400 days ago, earlier ones before it."""
    done = [s for s in REFERENCE_FIELDS if s <= step]
    dates = dict.fromkeys(REFERENCE_FIELDS.values())
    day = today - datetime.timedelta(days=rng.randint(0, 400))
    for number in reversed(done):
        dates[REFERENCE_FIELDS[number]] = day
        day -= datetime.timedelta(days=GAPS.get(number, 30) + rng.randint(0, 30))
    if (
        step >= 15
    ):  # probation ends a year after the branch meeting (《中国共产党发展党员工作细则》第三十二条)
        dates["probation_ends_on"] = add_years(dates["admitted_on"], 1)
    return dates


def write_cases(rows, *, batch: int = 20_000) -> int:
    """COPY on PostgreSQL, bulk_create elsewhere; returns the number of rows written."""
    if connection.vendor == "postgresql":
        return _copy(rows)
    written, chunk = 0, []
    for row in rows:
        chunk.append(Case(**dict(zip(COLUMNS, row, strict=True))))
        if len(chunk) >= batch:
            written += len(Case.objects.bulk_create(chunk))
            chunk = []
    return written + len(Case.objects.bulk_create(chunk))


def _copy(rows) -> int:
    columns = ", ".join(f'"{name}"' for name in COLUMNS)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {Case._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_cell(value) for value in row) + "\n")
            count += 1
            if count % 20_000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return count


def _cell(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)
