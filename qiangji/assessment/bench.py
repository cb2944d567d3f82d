"""`qiangji bench scoring [--scale small|full] [--orgs N] [--loop N] [--keep]`: scoring a whole province's
indicator set set-wise against a per-organisation loop, measured in the same run, and the explanation of one
organisation's score (docs/rules.md §6; issue: ≤ 60 s for 150,000 organisations, p95 ≤ 100 ms).

The bench GENERATES what it needs under a scratch root (removed at the end unless `--keep`): counties of
branches (150,000 at full scale), per branch a committee, the year's organisational-life rollup rows
(every required type, a random share of months held), three members with dues accounts and a completeness,
a development plan for some; then the documented example set (services.sets EXAMPLE_*) owned by the root.

Measured:
* set-wise — `scoring.compute` for every organisation (each computed source ONE statement for the whole
  set), then storing the run (`services.runs.store_scores`, bulk inserts of scores and lines);
* loop — `scoring.compute(ids=(pk,))` for a random sample of `--loop` organisations, one at a time (what a
  per-organisation implementation does); its per-organisation time × N is set against the set-wise time;
* explanation — `selectors.explain_score` (every line with the records behind it) for 50 random scores: p95.
The totals of the loop sample must equal the set-wise totals (checked), so the two give equal answers.
"""

import argparse
import datetime
import random
import time
import uuid

from django.db import connection, transaction
from django.utils import timezone

from qiangji.assessment import scoring, selectors
from qiangji.assessment.choices import IndicatorKind, RunStatus
from qiangji.assessment.models import Indicator, IndicatorSet, Quota, Score, ScoringRun, StarThreshold
from qiangji.assessment.services import runs
from qiangji.assessment.services.sets import EXAMPLE_INDICATORS, EXAMPLE_SOURCE, EXAMPLE_THRESHOLDS
from qiangji.dues.models import DuesAccount
from qiangji.life.models import BranchLifeYear, MeetingType
from qiangji.members.models import Member
from qiangji.orgs.models import Committee, Organisation
from qiangji.recruitment.models import DevelopmentPlan
from qiangji.tooling.bench import Benchmark, BenchReport, add_org, peak_rss_mb, percentile, register

GOAL = "目标：全省15万个组织集合式计算 ≤ 60 秒；单个组织得分说明 p95 ≤ 100 毫秒"
YEAR = 2026
AS_OF = datetime.date(2026, 12, 4)
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(n: int) -> str:
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def generate(orgs: int, seed: int, log) -> tuple[Organisation, IndicatorSet]:
    rng = random.Random(seed)
    tag = uuid.uuid4().hex[:8]
    root = add_org(None, f"评星基准省委{tag}", "committee", "government", code=f"BS{tag}")
    counties = max(1, orgs // 1000)
    per_county = -(-orgs // counties)
    types = list(MeetingType.objects.filter(is_required=True))
    made = 0
    for c in range(counties):
        county = add_org(
            root,
            f"基准县{c}",
            "committee",
            "government",
            code=f"BS{tag}C{c}",
            region_code=f"{c % 999999:06d}",
        )
        count = min(per_county, orgs - made)
        if count <= 0:
            break
        branches = [
            Organisation(
                path=county.path + _step(i + 1),
                depth=county.depth + 1,
                numchild=0,
                name=f"基准县{c}第{i + 1}党支部",
                kind="branch",
                category="rural" if i % 3 == 0 else "community",
                code=f"BS{tag}C{c}B{i}",
                region_code=county.region_code,
            )
            for i in range(count)
        ]
        with transaction.atomic():
            Organisation.objects.bulk_create(branches, batch_size=2000)
            Organisation.objects.filter(pk=county.pk).update(numchild=count)
            branches = list(Organisation.objects.filter(path__startswith=county.path, depth=county.depth + 1))
            Committee.objects.bulk_create(
                [
                    Committee(
                        organisation=b,
                        org_path=b.path,
                        elected_on=datetime.date(2023 + rng.randint(0, 1) - (rng.random() < 0.1) * 3, 3, 1),
                        term_years=3,
                        term_ends_on=datetime.date(
                            2026 + rng.randint(0, 1) - (rng.random() < 0.1) * 3, 2, 28
                        ),
                    )
                    for b in branches
                ],
                batch_size=5000,
            )
            rollups = []
            for b in branches:
                for t in types:
                    mask = sum(1 << m for m in range(12) if rng.random() < 0.85)
                    rollups.append(
                        BranchLifeYear(
                            organisation=b,
                            org_path=b.path,
                            year=YEAR,
                            meeting_type=t,
                            held_months=mask,
                            held_count=bin(mask).count("1"),
                            held_month_count=bin(mask).count("1"),
                            held_quarter_count=sum(1 for q in range(4) if mask & (0b111 << (3 * q))),
                        )
                    )
            BranchLifeYear.objects.bulk_create(rollups, batch_size=5000)
            members = [
                Member(
                    organisation=b,
                    org_path=b.path,
                    name=f"党员{k}",
                    sex="1",
                    id_number_encrypted="bench",
                    id_number_hash=uuid.uuid4().hex,
                    id_suffix="0000",
                    birth_date=datetime.date(1980, 1, 1),
                    category="1",
                    status="full",
                    political_status="01",
                    membership_status="1",
                    completeness=rng.choice((60, 80, 100, 100)),
                )
                for b in branches
                for k in range(3)
            ]
            Member.objects.bulk_create(members, batch_size=5000)
            DuesAccount.objects.bulk_create(
                [
                    DuesAccount(
                        member=m,
                        start_month=datetime.date(2020, 1, 1),
                        paid_through=datetime.date(2026, 11 if rng.random() < 0.9 else 6, 1),
                    )
                    for m in members
                ],
                batch_size=5000,
            )
            DevelopmentPlan.objects.bulk_create(
                [
                    DevelopmentPlan(organisation=b, org_path=b.path, year=YEAR, group="farmer", planned=1)
                    for b in branches
                    if rng.random() < 0.3
                ],
                batch_size=5000,
            )
        made += count
        if c % 20 == 0:
            log(f"  生成 {made}/{orgs} 个支部")
    root.refresh_from_db()
    indicator_set = IndicatorSet.objects.create(
        organisation=root, org_path=root.path, name="基准指标体系", year=YEAR, source=EXAMPLE_SOURCE
    )
    for position, (code, name, key, weight, target, floor) in enumerate(EXAMPLE_INDICATORS):
        Indicator.objects.create(
            indicator_set=indicator_set,
            org_path=root.path,
            code=code,
            name=name,
            kind=IndicatorKind.COMPUTED if key else IndicatorKind.MANUAL,
            source_key=key,
            weight=weight,
            target=target,
            floor=floor,
            position=position,
            source=EXAMPLE_SOURCE,
        )
    for stars, points in EXAMPLE_THRESHOLDS:
        StarThreshold.objects.create(
            indicator_set=indicator_set, org_path=root.path, stars=stars, min_points=points
        )
    Quota.objects.create(
        indicator_set=indicator_set,
        organisation=root,
        org_path=root.path,
        stars=5,
        max_percent=10,
        source=EXAMPLE_SOURCE,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return root, indicator_set


def remove(root: Organisation) -> None:
    prefix = root.path + "%"
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in (
            "DELETE FROM assessment_scoreline WHERE score_id IN (SELECT id FROM assessment_score WHERE org_path LIKE %s)",
            "DELETE FROM assessment_score WHERE org_path LIKE %s",
            "DELETE FROM assessment_scoringrun WHERE org_path LIKE %s",
            "DELETE FROM assessment_quota WHERE org_path LIKE %s",
            "DELETE FROM assessment_starthreshold WHERE org_path LIKE %s",
            "DELETE FROM assessment_indicator WHERE org_path LIKE %s",
            "DELETE FROM assessment_indicatorset WHERE org_path LIKE %s",
            "DELETE FROM dues_duesaccount WHERE member_id IN (SELECT id FROM members_member WHERE org_path LIKE %s)",
            "DELETE FROM members_member WHERE org_path LIKE %s",
            "DELETE FROM life_branchlifeyear WHERE org_path LIKE %s",
            "DELETE FROM recruitment_developmentplan WHERE org_path LIKE %s",
            "DELETE FROM orgs_committee WHERE org_path LIKE %s",
            "DELETE FROM orgs_organisation WHERE path LIKE %s",
        ):
            cursor.execute(sql, [prefix])


@register
class ScoringBenchmark(Benchmark):
    name = "scoring"
    help = "评星定级：全省指标体系集合式计算 vs. 逐个组织循环；单个组织得分说明 p95（会生成所需数据）"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale",
            choices=("small", "full"),
            default=argparse.SUPPRESS,
            help="small 5千个支部，full 15万个（默认）",
        )
        parser.add_argument("--orgs", type=int, help="支部数（覆盖 --scale）")
        parser.add_argument("--loop", type=int, default=200, help="逐个组织循环的抽样数（默认200）")
        parser.add_argument("--seed", type=int, default=20261204)
        parser.add_argument("--keep", action="store_true", help="保留生成的数据")

    def run(self, options: dict, log) -> BenchReport:
        orgs = options.get("orgs") or (5_000 if options.get("scale") == "small" else 150_000)
        log(f"生成 {orgs} 个支部的基准数据 …")
        started = time.perf_counter()
        root, indicator_set = generate(orgs, options.get("seed", 20261204), log)
        generated = time.perf_counter() - started
        try:
            started = time.perf_counter()
            computed = scoring.compute(indicator_set, AS_OF)
            compute_seconds = time.perf_counter() - started
            started = time.perf_counter()
            with transaction.atomic():
                run = ScoringRun.objects.create(
                    indicator_set=indicator_set,
                    org_path=root.path,
                    as_of=AS_OF,
                    org_count=len(computed),
                    status=RunStatus.PUBLISHED,
                    published_at=timezone.now(),
                )
                runs.store_scores(run, computed)
            store_seconds = time.perf_counter() - started
            by_id = {c.org_id: c for c in computed}
            rng = random.Random(7)
            sample = rng.sample(sorted(by_id), min(options.get("loop", 200), len(by_id)))
            started = time.perf_counter()
            for pk in sample:
                (one,) = scoring.compute(indicator_set, AS_OF, ids=(pk,))
                if one.total != by_id[pk].total:
                    raise AssertionError(
                        f"loop and set-wise disagree for {pk}: {one.total} != {by_id[pk].total}"
                    )
            loop_per_org = (time.perf_counter() - started) / len(sample)
            loop_total = loop_per_org * len(computed)
            scores = list(
                Score.objects.filter(
                    run=run, organisation_id__in=rng.sample(sorted(by_id), 50)
                ).select_related("run__indicator_set", "organisation")
            )
            times = []
            for score in scores:
                started = time.perf_counter()
                view = selectors.explain_score(score)
                _ = [lv.missing for lv in view.lines]
                times.append((time.perf_counter() - started) * 1000)
            p95 = percentile(times, 0.95)
        finally:
            if not options.get("keep"):
                remove(root)
        ratio = loop_total / compute_seconds if compute_seconds else None
        rows = [
            ("数据库", connection.vendor),
            ("支部数", f"{len(computed):,}"),
            ("生成数据用时", f"{generated:.1f} s"),
            ("集合式计算（全部指标）", f"{compute_seconds:.2f} s"),
            ("保存得分与明细", f"{store_seconds:.2f} s"),
            ("集合式合计", f"{compute_seconds + store_seconds:.2f} s"),
            (f"逐个组织循环（抽样{len(sample)}个）每个", f"{loop_per_org * 1000:.1f} ms"),
            ("逐个组织循环推算全部", f"{loop_total:.0f} s"),
            ("得分说明 p95（50个组织）", f"{p95:.1f} ms"),
            ("峰值内存", f"{peak_rss_mb():.0f} MB"),
        ]
        summary = (
            f"集合式 {compute_seconds + store_seconds:.1f} s（计算 {compute_seconds:.1f} s）/ {len(computed):,} 个组织；"
            f"逐个循环推算 {loop_total:.0f} s（× {ratio:.0f}）；得分说明 p95 {p95:.0f} ms"
        )
        return BenchReport(
            self.name, rows, summary, ratio=ratio, goal=GOAL, data={"orgs": len(computed), "p95_ms": p95}
        )
