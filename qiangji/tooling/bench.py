"""Named benchmarks for `qiangji bench <name>`.

A benchmark is a class registered with `@register`; it adds its own command-line options, runs, and
returns a `BenchReport`: a table of measurements, a one-line summary with its ratio against a bare
baseline, and any extra data.  The command prints the table and the summary and writes JSON with the
machine description under `var/bench/`.  Apps add benchmarks in a `bench` module or package
(`<app>/bench.py`, `<app>/bench/__init__.py`), found by autodiscovery over the installed apps.

Also here, for the apps' scratch data: `add_org`, a scratch organisation under a given parent.
"""

import datetime
import json
import math
import os
import platform
import resource
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError
from django.db import connection
from django.utils.module_loading import autodiscover_modules

from qiangji.orgs.models import Organisation

BENCHMARKS: dict[str, type] = {}
SCALES = ("small", "full")  # options["scale"]: "small" for a quick run, "full" (default) for the real figures


def register(cls):
    BENCHMARKS[cls.name] = cls
    return cls


def discover() -> dict[str, type]:
    """Every registered benchmark (the installed apps' `bench` modules are imported first)."""
    autodiscover_modules("bench")
    return BENCHMARKS


@dataclass
class BenchReport:
    name: str
    rows: list[tuple[str, str]]  # (measurement, value) for the table
    summary: str  # one line, with the ratio
    ratio: float | None = None
    goal: str = ""
    data: dict = field(default_factory=dict)


class Benchmark:
    """`run(options, log)` reads its own options and `options.get("scale")` ("small" or "full")."""

    name = ""
    help = ""

    def add_arguments(self, parser) -> None:
        """Options of this benchmark (argparse subparser)."""

    def run(self, options: dict, log) -> BenchReport:
        raise NotImplementedError


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (the smallest value with at least `share` of the values at or below it)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        raise CommandError("该基准需要 PostgreSQL：请设置 QIANGJI_DATABASE_URL 或 --database-url")


def peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine_description() -> dict:
    description = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_mb": _memory_mb(),
        "database": connection.vendor,
        "database_version": _database_version(connection),
        "commit": _git_commit(),
    }
    try:
        description["load_average"] = os.getloadavg()
    except OSError:
        pass
    return description


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _memory_mb() -> int | None:
    try:
        import psutil

        return psutil.virtual_memory().total // 2**20
    except ImportError:
        return None


def _database_version(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        return str(cursor.fetchone()[0])


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def write_json(report: BenchReport, options: dict) -> Path:
    folder = Path(settings.VAR_DIR) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{report.name}-{stamp}.json"
    payload = {
        "benchmark": report.name,
        "at": datetime.datetime.now().astimezone().isoformat(),
        "options": {k: v for k, v in options.items() if isinstance(v, str | int | float | bool | None)},
        "summary": report.summary,
        "ratio": report.ratio,
        "goal": report.goal,
        "table": [{"measure": k, "value": v} for k, v in report.rows],
        "data": report.data,
        "machine": machine_description(),
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    return path


def write_run_json(results: list[dict], options: dict) -> Path:
    """The summary of a `qiangji bench` run over several benchmarks (each also wrote its own file)."""
    folder = Path(settings.VAR_DIR) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"run-{datetime.datetime.now().astimezone().strftime('%Y%m%d-%H%M%S')}.json"
    payload = {
        "run": [r["name"] for r in results],
        "scale": options.get("scale"),
        "at": datetime.datetime.now().astimezone().isoformat(),
        "results": results,
        "machine": machine_description(),
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    return path


def scaled(options: dict, full, small):
    """The size for options["scale"]: `small` for a quick run, else `full`."""
    return small if options.get("scale") == "small" else full


def format_table(rows: list[tuple[str, str]]) -> str:
    def width(text: str) -> int:  # CJK characters take two columns in a terminal
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    left = max((width(k) for k, _ in rows), default=0)
    return "\n".join(f"  {k}{' ' * (left - width(k))}  {v}" for k, v in rows)


def add_org(
    parent: Organisation | None, name: str, kind: str, category: str = "other", *, code: str, **fields
) -> Organisation:
    """A scratch organisation for a benchmark's data: a root when `parent` is None, else a child
    (treebeard's add_child, with the parent re-read so that its child count is current)."""
    values = {"name": name, "kind": kind, "category": category, "code": code, **fields}
    if parent is None:
        return Organisation.objects.add_root(create_kwargs=values)
    parent.refresh_from_db()
    return Organisation.objects.add_child(parent, create_kwargs=values)


from qiangji.tooling import soak  # noqa: E402, F401 - `qiangji bench soak` (registers itself)
