"""`qiangji bench compliance` (PostgreSQL): generates a province-sized subtree (`--orgs`, default 150,000
organisations) with a year of rollups and a month of meetings, then times the compliance summary, the
missing-branch page and the monthly series.  Registered by importing it from qiangji/life/bench.py.
"""

import statistics
import time

from django.core.management import CommandError
from django.db import connection

from qiangji.core.bench import Benchmark, BenchReport, register
from qiangji.life.bench_data import ProvinceFixture

GOAL_COMPLIANCE = "目标：全省（150,000 个组织，一年）组织生活达标统计 ≤ 2 s"


def _require_postgres():
    if connection.vendor != "postgresql":
        raise CommandError("该基准需要 PostgreSQL：请设置 QIANGJI_DATABASE_URL 或 --database-url")


@register
class ComplianceBenchmark(Benchmark):
    name = "compliance"
    help = "全省组织生活达标统计（--orgs 150000，一年）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--orgs", type=int, default=150_000, help="组织数（默认150000）")
        parser.add_argument("--year", type=int, default=2026)
        parser.add_argument("--repeat", type=int, default=3, help="每项重复次数（取中位数）")
        parser.add_argument("--keep", action="store_true", help="保留生成的数据，下次直接复用")

    def run(self, options: dict, log) -> BenchReport:
        _require_postgres()
        fixture = ProvinceFixture.find_or_create(options["orgs"], options["year"], log)
        try:
            return self._measure(fixture, options, log)
        finally:
            if not options["keep"]:
                log("清理临时数据 …")
                fixture.cleanup()

    def _measure(self, fixture, options: dict, log) -> BenchReport:
        from qiangji.life import selectors

        year, repeat = options["year"], options["repeat"]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        measures = {
            "全年汇总（含下一级分解）": lambda: selectors.compliance_summary(fixture.root, selectors.make_period("year", year)),
            "全年缺会支部（计数+首页100）": lambda: selectors.compliance_rows(
                fixture.root, selectors.make_period("year", year), only_missing=True),
            "按月图表数据": lambda: selectors.monthly_series(fixture.root, year),
            "单月汇总": lambda: selectors.compliance_summary(fixture.root, selectors.make_period("month", year, 3)),
            "季度汇总": lambda: selectors.compliance_summary(fixture.root, selectors.make_period("quarter", year, 1)),
        }
        rows, data = [("组织 / 支部", f"{fixture.orgs:,} / {fixture.branches:,}"),
                      ("汇总行 / 会议行", f"{fixture.rollups:,} / {fixture.meetings:,}")], {}
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
        summary = measures["全年汇总（含下一级分解）"]()
        rows.append(("缺会支部（全年）", f"{summary['missing']:,} / {summary['branches']:,}"))
        return BenchReport("compliance", rows, f"全省一年汇总 {year_time:.2f} s（目标 ≤ 2 s），比值 {year_time / 2:.2f}",
                           year_time / 2, GOAL_COMPLIANCE, data={"orgs": fixture.orgs, "times": data})
