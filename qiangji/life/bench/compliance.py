"""`qiangji bench compliance` (PostgreSQL): generates a province-sized subtree (`--orgs`, default 150,000
organisations; 5,000 with `--scale small`) with a year of rollups and a month of meetings, then times
the compliance summary, the missing-branch page and the monthly series.  Registered by importing it
from qiangji/life/bench/__init__.py.

Baseline, measured in the same run: the same year summary computed the previous way — one row per
branch from `rows_sql` (the organisation range joined to the rollup, one MAX(CASE …) per type), grouped
per child in an outer query.  The ratio is the summary's time over the baseline's (lower is better);
both must give the same figures (checked).
"""

import statistics
import time

from django.db import connection

from qiangji.life import selectors
from qiangji.life.bench.data import ProvinceFixture
from qiangji.life.selectors.compliance import fetch, missing_condition, rows_sql, rules_for
from qiangji.tooling.bench import Benchmark, BenchReport, register, require_postgres, scaled

GOAL_COMPLIANCE = "目标：全省（150,000 个组织，一年）组织生活达标统计 ≤ 2 s"


@register
class ComplianceBenchmark(Benchmark):
    name = "compliance"
    help = "全省组织生活达标统计（--orgs 150000，一年）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--orgs", type=int, help="组织数（默认150000；--scale small 为 5000）")
        parser.add_argument("--year", type=int, default=2026)
        parser.add_argument("--repeat", type=int, default=3, help="每项重复次数（取中位数）")
        parser.add_argument("--keep", action="store_true", help="保留生成的数据，下次直接复用")

    def run(self, options: dict, log) -> BenchReport:
        require_postgres()
        orgs = options.get("orgs") or scaled(options, 150_000, 5_000)
        fixture = ProvinceFixture.find_or_create(orgs, options.get("year") or 2026, log)
        try:
            return self._measure(fixture, options, log)
        finally:
            if not options.get("keep"):
                log("清理临时数据 …")
                fixture.cleanup()

    def _measure(self, fixture, options: dict, log) -> BenchReport:
        year, repeat = options.get("year") or 2026, max(1, options.get("repeat") or 3)
        year_period = selectors.make_period("year", year)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        measures = {
            "全年汇总（含下一级分解）": lambda: selectors.compliance_summary(fixture.root, year_period),
            "对照：逐支部行再汇总（旧写法）": lambda: baseline_summary(fixture.root, year_period),
            "全年缺会支部（计数+首页100）": lambda: selectors.compliance_rows(
                fixture.root, selectors.make_period("year", year), only_missing=True
            ),
            "按月图表数据": lambda: selectors.monthly_series(fixture.root, year),
            "单月汇总": lambda: selectors.compliance_summary(
                fixture.root, selectors.make_period("month", year, 3)
            ),
            "季度汇总": lambda: selectors.compliance_summary(
                fixture.root, selectors.make_period("quarter", year, 1)
            ),
        }
        rows, data = (
            [
                ("组织 / 支部", f"{fixture.orgs:,} / {fixture.branches:,}"),
                ("汇总行 / 会议行", f"{fixture.rollups:,} / {fixture.meetings:,}"),
            ],
            {},
        )
        for label, call in measures.items():
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                call()
                times.append(time.perf_counter() - started)
            data[label] = times
            rows.append((label, f"{statistics.median(times):.2f} s（最快 {min(times):.2f} s）"))
            log(f"{label}: {statistics.median(times):.2f} s")
        year_time = statistics.median(data["全年汇总（含下一级分解）"])
        base_time = statistics.median(data["对照：逐支部行再汇总（旧写法）"])
        summary = measures["全年汇总（含下一级分解）"]()
        totals = baseline_summary(fixture.root, year_period)
        if (summary["branches"], summary["missing"], summary["attendance"]["due"]) != totals:
            raise RuntimeError(f"汇总与对照不一致：{summary['branches'], summary['missing']} vs {totals}")
        rows.append(("缺会支部（全年）", f"{summary['missing']:,} / {summary['branches']:,}（与对照一致）"))
        ratio = year_time / base_time
        rows.append(("比值（汇总 / 对照）", f"{ratio:.2f}"))
        text = (
            f"{fixture.orgs:,} 个组织一年汇总 {year_time:.2f} s（目标 ≤ 2 s），对照（旧写法）{base_time:.2f} s，"
            f"比值 {ratio:.2f}"
        )
        return BenchReport(
            "compliance",
            rows,
            text,
            ratio,
            GOAL_COMPLIANCE,
            data={
                "orgs": fixture.orgs,
                "times": data,
                "year_seconds": year_time,
                "baseline_seconds": base_time,
            },
        )


def baseline_summary(root, period) -> tuple[int, int, int]:
    """The previous statement: `rows_sql` (one row per branch) grouped per child; (branches, missing, due)."""
    rules = rules_for(root.path)
    sql, params = rows_sql(root.path, period, rules)
    child = len(root.path) + 4
    rows = fetch(
        f"SELECT SUBSTR(s.path, 1, {child}), COUNT(*), SUM(CASE WHEN {missing_condition(rules)} THEN 1 "
        f"ELSE 0 END), SUM(s.due_sum) FROM ({sql}) s GROUP BY SUBSTR(s.path, 1, {child})",
        params,
    )
    return tuple(sum(int(r[i] or 0) for r in rows) for i in (1, 2, 3))
