"""`qiangji bench import --rows N [--format csv|xlsx]`: the roster import against PostgreSQL COPY.

Generates a valid roster of N rows, imports it through the real path (`import_roster`, the function the
page, the API, the CLI and the worker call) as a committee user over a scratch organisation tree, then
COPYs the same stored rows into a bare table with the member table's columns (no indexes, no
constraints, but logged like the real one).  The ratio is import rows/s over COPY rows/s.  For xlsx it also times a bare
python-calamine read of the file.  Scratch members and organisations are deleted afterwards (the
audit entry of the import stays: the log is append-only).
"""

import os
import resource
import tempfile
import time

from django.conf import settings
from django.core.management import CommandError
from django.db import connection
from python_calamine import CalamineWorkbook

from qiangji.members.bench.roster import generate_roster, scratch_tree
from qiangji.members.models import Member
from qiangji.members.roster.importing import import_roster
from qiangji.members.roster.prepare import process_count
from qiangji.tooling.bench import Benchmark, BenchReport, peak_rss_mb, register, scaled

GOAL = "目标（100 万行）：CSV 比值 ≥ 0.25；xlsx 导入用时 ≤ 2 × calamine 纯读取用时；峰值内存 ≤ 500 MB"


@register
class ImportBenchmark(Benchmark):
    name = "import"
    help = "党员名册导入 vs. PostgreSQL COPY（--rows N --format csv|xlsx）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rows", type=int, help="行数（默认 100000；--scale small 为 5000）")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", dest="file_format")
        parser.add_argument("--branches", type=int, help="临时党支部数（默认 200；--scale small 为 20）")
        parser.add_argument("--keep", action="store_true", help="保留导入的临时数据（默认删除）")
        parser.add_argument(
            "--processes", type=int, help="准备数据的子进程数（默认：CPU 数 − 1，最多 4；0 表示不用子进程）"
        )
        parser.add_argument(
            "--allow-sqlite", action="store_true", help="允许在 SQLite 上运行（无 COPY 对比）"
        )

    def run(self, options: dict, log) -> BenchReport:
        if connection.vendor != "postgresql" and not options.get("allow_sqlite"):
            raise CommandError(
                "导入基准需要 PostgreSQL：请设置 QIANGJI_DATABASE_URL 或 --database-url"
                "（或加 --allow-sqlite 只测导入本身）"
            )
        rows = options.get("rows") or scaled(options, 100_000, 5_000)
        fmt = options.get("file_format") or "csv"
        if options.get("processes") is not None:
            settings.QIANGJI_IMPORT_PROCESSES = options["processes"]
        folder = tempfile.mkdtemp(prefix="qiangji-bench-")
        path = os.path.join(folder, f"roster.{fmt}")
        tree = scratch_tree(options.get("branches") or scaled(options, 200, 20))
        try:
            return self._measure(tree, path, rows, fmt, log)
        finally:
            if not options.get("keep"):
                log("清理临时数据 …")
                tree.cleanup()
            if os.path.exists(path):
                os.remove(path)
            os.rmdir(folder)

    def _measure(self, tree, path: str, rows: int, fmt: str, log) -> BenchReport:
        log(f"生成 {rows:,} 行 {fmt} …")
        started = time.perf_counter()
        generate_roster(path, rows, branch_names=tree.branch_names, fmt=fmt, region=tree.region)
        generate_seconds = time.perf_counter() - started
        size_mb = os.path.getsize(path) / 2**20
        log(f"导入（真实路径）{size_mb:.1f} MB …")
        cpu_before = _cpu_seconds()
        imported, import_seconds = _time_import(tree, path, log)
        cpu = _cpu_seconds() - cpu_before
        table = [
            ("行数", f"{rows:,}"),
            ("文件", f"{fmt}, {size_mb:.1f} MB（生成 {generate_seconds:.1f} s）"),
            ("导入", f"{import_seconds:.2f} s  {rows / import_seconds:,.0f} 行/秒"),
            (
                "导入 CPU（含子进程）",
                f"{cpu:.2f} s（{cpu / rows * 1e6:.0f} µs/行，{process_count(rows)} 个子进程；"
                "机器繁忙时墙钟时间偏大）",
            ),
        ]
        data = {
            "rows": rows,
            "format": fmt,
            "file_mb": round(size_mb, 1),
            "import_seconds": import_seconds,
            "import_rows_per_second": rows / import_seconds,
            "import_cpu_seconds": cpu,
        }
        if fmt == "xlsx":
            bare = _time_calamine(path)
            table.append(("calamine 纯读取", f"{bare:.2f} s（导入 / 读取 = {import_seconds / bare:.2f}×）"))
            data["calamine_seconds"] = bare
        ratio = None
        if connection.vendor == "postgresql":
            copy_seconds = _time_copy(tree)
            ratio = copy_seconds / import_seconds
            table.append(("COPY 同样的行到裸表", f"{copy_seconds:.2f} s  {rows / copy_seconds:,.0f} 行/秒"))
            table.append(("比值（导入 / COPY）", f"{ratio:.3f}（目标 ≥ 0.25）"))
            data.update(copy_seconds=copy_seconds, copy_rows_per_second=rows / copy_seconds, ratio=ratio)
            indexed_seconds = _time_copy_indexed(tree)
            indexed_ratio = indexed_seconds / import_seconds
            table.append(
                (
                    "COPY 同样的行到党员表（同样的索引）",
                    f"{indexed_seconds:.2f} s  {rows / indexed_seconds:,.0f} 行/秒",
                )
            )
            table.append(("比值（导入 / 同表 COPY）", f"{indexed_ratio:.3f}（目标 ≥ 0.5）"))
            data.update(copy_indexed_seconds=indexed_seconds, indexed_ratio=indexed_ratio)
        rss, child_rss = peak_rss_mb(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        table.append(("峰值内存（RSS）", f"{rss:,.0f} MB（最大的子进程 {child_rss:,.0f} MB）"))
        data.update(peak_rss_mb=rss, peak_child_rss_mb=child_rss)
        if imported != rows:
            raise RuntimeError(f"导入了 {imported} 行，应为 {rows} 行")
        return BenchReport(
            "import", table, _summary(rows, fmt, import_seconds, ratio, data, rss), ratio, GOAL, data
        )


def _summary(rows, fmt, seconds, ratio, data, rss) -> str:
    text = f"import {fmt} {rows:,} 行：{rows / seconds:,.0f} 行/秒"
    if ratio is not None:
        text += f"，COPY {data['copy_rows_per_second']:,.0f} 行/秒，比值 {ratio:.3f}"
        if "indexed_ratio" in data:
            text += f"，对同表 COPY 比值 {data['indexed_ratio']:.3f}"
    if "calamine_seconds" in data:
        text += f"，导入/calamine 读取 {seconds / data['calamine_seconds']:.2f}×"
    return text + f"，峰值内存 {rss:,.0f} MB"


def _cpu_seconds() -> float:
    """This process plus its finished children (the preparing workers are joined when done)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def _time_import(tree, path: str, log) -> tuple[int, float]:
    last = [0.0]

    def progress(done, total):
        now = time.perf_counter()
        if now - last[0] > 2:
            last[0] = now
            log(f"  {done:,}/{total:,}")

    started = time.perf_counter()
    result = import_roster(actor=tree.user, path=path, file_name=os.path.basename(path), progress=progress)
    seconds = time.perf_counter() - started
    if not result.ok:
        raise RuntimeError(f"基准数据导入失败：{result.message} {result.errors[:5]}")
    return result.created, seconds


def _time_calamine(path: str) -> float:
    started = time.perf_counter()
    count = 0
    for _row in CalamineWorkbook.from_path(path).get_sheet_by_index(0).iter_rows():
        count += 1
    return time.perf_counter() - started


def _time_copy_indexed(tree) -> float:
    """COPY the imported rows back into the member table itself (same indexes and constraints), timed alone:
    inside one transaction the rows (and their status events) are deleted, COPYed back, and everything
    rolled back, so the data stays as imported."""
    from django.db import transaction

    from qiangji.members.models import MemberStatusEvent

    table = Member._meta.db_table
    events = MemberStatusEvent._meta.db_table
    with tempfile.TemporaryFile() as dump:
        with connection.cursor() as cursor:
            with cursor.cursor.copy(
                f"COPY (SELECT * FROM {table} WHERE org_path LIKE %s) TO STDOUT", [tree.root_path + "%"]
            ) as copy:
                for chunk in copy:
                    dump.write(chunk)
        dump.seek(0)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute(
                    f"DELETE FROM {events} WHERE member_id IN (SELECT id FROM {table} WHERE org_path LIKE %s)",
                    [tree.root_path + "%"],
                )
                cursor.execute(f"DELETE FROM {table} WHERE org_path LIKE %s", [tree.root_path + "%"])
                started = time.perf_counter()
                with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    while chunk := dump.read(1 << 20):
                        copy.write(chunk)
                seconds = time.perf_counter() - started
                raise _RollBack
        except _RollBack:
            pass
    return seconds


class _RollBack(Exception):
    pass


def _time_copy(tree) -> float:
    """COPY the imported rows (as stored) into a bare table with the same columns, timed alone."""
    table = Member._meta.db_table
    with tempfile.TemporaryFile() as dump, connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY (SELECT * FROM {table} WHERE org_path LIKE %s) TO STDOUT", [tree.root_path + "%"]
        ) as copy:
            for chunk in copy:
                dump.write(chunk)
        dump.seek(0)
        # A regular (logged) table like the real one, so both sides pay for the WAL; no indexes.
        bare = f"bench_bare_{os.getpid()}"
        cursor.execute(f"CREATE TABLE {bare} (LIKE {table})")
        try:
            started = time.perf_counter()
            with cursor.cursor.copy(f"COPY {bare} FROM STDIN") as copy:
                while chunk := dump.read(1 << 20):
                    copy.write(chunk)
            seconds = time.perf_counter() - started
        finally:
            cursor.execute(f"DROP TABLE {bare}")
    return seconds
