"""`qiangji bench search`: the subtree member search (name, pinyin initials, ID-number suffix) at every
level of the tree, against the same search without indexes, measured in the same run.

Levels: the province root, a city, a county, a township and a branch — the ancestors of one sample
member's branch (the member with the smallest id), so every level is a real subtree containing it.
Queries: a fixed set (common surnames and names, initials such as "zs", full pinyin, four-digit ID
suffixes, a name that does not exist) plus the sample member's own name, surname, initials, pinyin
and ID suffix, so that each level has hits.  Each query is what the search box does
(`selectors.search_page`: the first page of 25 in the roster order and the matches counted up to 200, or estimated beyond),
over `Member.objects` limited to the subtree (the scope filter a committee user gets).

Baseline (PostgreSQL): the same `search_page` with the planner forbidden to use any index
(`SET LOCAL enable_indexscan / enable_bitmapscan / enable_indexonlyscan = off`): a sequential scan of
the member table, i.e. the search as it would run without the subtree and search indexes.  Measured
once per query for a subset of the queries at every level (it reads the whole table each time).
The ratio printed is baseline p50 / indexed p50 per level (how many times faster), and the summary
ratio is the indexed p95 of the worst level over the 50 ms goal.

`--scale small` uses the members already in the database when there are at least 1,000 (any
database, e.g. the county demo), otherwise builds a scratch tree of 5,000 members (removed after).
On SQLite there is no baseline (no planner switches): the table shows the indexed figures only.
"""

import datetime
import random
import statistics
import time
import uuid
from dataclasses import dataclass, field

from django.core.management import CommandError
from django.db import connection, transaction

from qiangji.core.pinyin import name_pinyin
from qiangji.members.models import Member
from qiangji.members.selectors import search_page
from qiangji.orgs.models import Organisation
from qiangji.tooling.bench import Benchmark, BenchReport, add_org, percentile, register, scaled
from qiangji.tooling.generate.people import GIVEN, SURNAME_WEIGHTS, SURNAMES

GOAL = "目标：子树党员检索（姓名、拼音首字母、身份证号尾号）各层级 p95 ≤ 50 ms（省库 300 万党员，PostgreSQL）"
FIXED = [
    "王",
    "李建军",
    "张伟",
    "建军",
    "刘",
    "zs",
    "ly",
    "wjj",
    "wang",
    "zhangwei",
    "x",
    "1234",
    "002X",
    "龘龘",
]
BASELINE_FIXED = ["王", "李建军", "zs", "wang", "1234"]
LEVEL_NAMES = {1: "省", 2: "市", 3: "县", 4: "乡镇"}
NO_INDEX = (
    "SET LOCAL enable_indexscan = off",
    "SET LOCAL enable_bitmapscan = off",
    "SET LOCAL enable_indexonlyscan = off",
)


@dataclass
class Level:
    label: str
    org: Organisation
    members: int = 0
    times: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")


@register
class SearchBenchmark(Benchmark):
    name = "search"
    help = "子树党员检索（姓名/拼音首字母/身份证尾号）各层级 p50/p95 vs. 无索引顺序扫描（--scale small|full）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repeat", type=int, help="每个查询计时次数（默认 5；--scale small 为 3）")
        parser.add_argument("--no-baseline", action="store_true", help="不测无索引的对照")
        parser.add_argument("--keep", action="store_true", help="保留 --scale small 生成的临时数据")

    def run(self, options: dict, log) -> BenchReport:
        repeat = max(1, options.get("repeat") or scaled(options, 5, 3))
        scratch = None
        if Member.objects.order_by()[:1000].count() < 1000:
            if options.get("scale") != "small":
                raise CommandError(
                    "数据库中党员不足 1000 人：请在省库上运行（make generate-province），"
                    "或用 --scale small（自动生成 5000 名临时党员）"
                )
            log("生成临时数据：5,000 名党员 …")
            scratch = ScratchMembers.create(5000)
        try:
            return self._measure(repeat, not options.get("no_baseline"), log)
        finally:
            if scratch is not None and not options.get("keep"):
                log("清理临时数据 …")
                scratch.cleanup()

    def _measure(self, repeat: int, with_baseline: bool, log) -> BenchReport:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Member._meta.db_table}")
        sample = Member.objects.order_by("id").select_related("organisation").first()
        levels = levels_of(sample.organisation)
        own = [sample.name, sample.name[:1], sample.name_initials, sample.name_pinyin, sample.id_suffix]
        queries = list(dict.fromkeys(FIXED + own))
        baseline_queries = list(dict.fromkeys(BASELINE_FIXED + own[:1] + own[2:3]))
        with_baseline = with_baseline and connection.vendor == "postgresql"
        data = {
            "queries": queries,
            "baseline_queries": baseline_queries if with_baseline else [],
            "levels": {},
        }
        for level in levels:
            path = level.org.path
            scope = Member.objects.filter(org_path__startswith=path)
            level.members = scope.count()
            log(
                f"{level.label}（{level.org.name}，{level.members:,} 名党员）：{len(queries)} 个查询 × {repeat} 次 …"
            )
            for query in queries:
                search_page(scope, query, within=path)  # warm: the first run plans it and reads its pages
                times = [
                    _timed(lambda q=query, s=scope, p=path: search_page(s, q, within=p))
                    for _ in range(repeat)
                ]
                level.times += times
                level.slowest = max(level.slowest, (max(times), query))
            if with_baseline:
                for query in baseline_queries:
                    level.baseline.append(_timed(lambda q=query, s=scope, p=path: _without_indexes(s, q, p)))
            data["levels"][level.label] = {
                "org": level.org.name,
                "path": level.org.path,
                "members": level.members,
                "times_ms": [round(t * 1000, 2) for t in level.times],
                "baseline_ms": [round(t * 1000, 1) for t in level.baseline],
            }
        return _report(levels, data, with_baseline, repeat)


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _without_indexes(scope, query: str, within: str):
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in NO_INDEX:
            cursor.execute(statement)
        return search_page(scope, query, within=within)


def levels_of(branch: Organisation) -> list[Level]:
    """The branch's ancestors from the root down (at most 4 named levels) and the branch itself."""
    ancestors = list(branch.get_ancestors())
    levels = [
        Level(LEVEL_NAMES.get(org.depth, f"第{org.depth}级"), org) for org in ancestors if org.depth <= 4
    ]
    return [*levels, Level("支部", branch)]


def _report(levels: list[Level], data: dict, with_baseline: bool, repeat: int) -> BenchReport:
    rows, worst, ratios = [], 0.0, []
    for level in levels:
        p50, p95 = percentile(level.times, 0.5) * 1000, percentile(level.times, 0.95) * 1000
        worst = max(worst, p95)
        text = f"p50 {p50:.1f} ms，p95 {p95:.1f} ms，最慢 {level.slowest[0] * 1000:.1f} ms（「{level.slowest[1]}」）"
        if level.baseline:
            base = statistics.median(level.baseline) * 1000
            ratios.append(base / p50)
            text += f"；无索引 p50 {base:,.0f} ms（{base / p50:,.0f} ×）"
        rows.append((f"{level.label}（{level.members:,} 人）", text))
        data["levels"][level.label].update(p50_ms=p50, p95_ms=p95)
    count = len(data["queries"]) * repeat
    rows.append(
        (
            "查询",
            f"每层 {len(data['queries'])} 个 × {repeat} 次 = {count} 次；首页 25 条（按组织、拼音排序）+ 计数（至多 200，更多时用估计值）",
        )
    )
    if with_baseline:
        rows.append(
            ("对照", f"同一查询禁止使用索引（顺序扫描），每层 {len(data['baseline_queries'])} 个查询各 1 次")
        )
    summary = f"检索各层级 p95 最高 {worst:.1f} ms（目标 ≤ 50 ms）"
    if ratios:
        summary += f"，比无索引快 {min(ratios):,.0f}–{max(ratios):,.0f} ×"
    data.update(worst_p95_ms=worst, speedups=ratios)
    return BenchReport(
        "search", rows, summary + f"，比值 {worst / 50:.2f}（p95 / 50 ms）", worst / 50, GOAL, data
    )


@dataclass
class ScratchMembers:
    """root → 2 cities → 2 counties each → 2 townships each → 5 branches each; members spread over the branches."""

    root: Organisation
    member_ids: list[int]

    @classmethod
    def create(cls, count: int) -> "ScratchMembers":
        tag = uuid.uuid4().hex[:6]
        root = add_org(None, f"检索基准省委-{tag}", "committee", code=f"BSR-{tag}")
        branches = []
        for c in range(2):
            city = add_org(root, f"检索基准市委{c + 1}", "committee", code=f"BSR-{tag}-{c}")
            for k in range(2):
                county = add_org(city, f"检索基准县委{c + 1}-{k + 1}", "committee", code=f"BSR-{tag}-{c}{k}")
                for t in range(2):
                    town = add_org(
                        county,
                        f"检索基准街道{c + 1}-{k + 1}-{t + 1}",
                        "committee",
                        code=f"BSR-{tag}-{c}{k}{t}",
                    )
                    branches += [
                        add_org(
                            town,
                            f"检索基准支部{c + 1}-{k + 1}-{t + 1}-{b + 1}",
                            "branch",
                            code=f"BSR-{tag}-{c}{k}{t}{b}",
                        )
                        for b in range(5)
                    ]
        rng = random.Random(7)
        members = []
        for i in range(count):
            branch, sex = branches[i % len(branches)], rng.choice("12")
            name = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + rng.choice(GIVEN[sex])
            full, initials = name_pinyin(name)
            suffix = f"{rng.randrange(10000):04d}"
            members.append(
                Member(
                    organisation=branch,
                    org_path=branch.path,
                    name=name,
                    name_pinyin=full[:120],
                    name_initials=initials[:30],
                    sex=sex,
                    id_number_encrypted="-",
                    id_number_hash=f"bench-search-{tag}-{i}",
                    id_suffix=suffix,
                    birth_date=datetime.date(1980, 1, 1),
                    category="full",
                    status="full",
                    political_status="01",
                )
            )
        made = Member.objects.bulk_create(members, batch_size=2000)
        return cls(root, [m.pk for m in made])

    def cleanup(self) -> None:
        Member.objects.filter(pk__in=self.member_ids).delete()
        with connection.cursor() as cursor:
            table = Organisation._meta.db_table
            cursor.execute(f"DELETE FROM {table} WHERE path LIKE %s AND depth > 1", [self.root.path + "%"])
            cursor.execute(f"DELETE FROM {table} WHERE path = %s", [self.root.path])
