"""`qiangji bench`: the registry, the refusal on SQLite, and a tiny import run end to end."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from qiangji.core import dates
from qiangji.core.validators import parse_citizen_id
from qiangji.members.bench.roster import roster_rows
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation
from qiangji.tooling.bench import BENCHMARKS, discover, format_table


def test_registry_lists_the_import_benchmark():
    discover()
    assert "import" in BENCHMARKS
    out = io.StringIO()
    call_command("bench", "--list", stdout=out)
    assert any(line.startswith("import ") for line in out.getvalue().splitlines())


def test_generated_rows_are_valid_and_unique():
    rows = list(roster_rows(500, branch_names=["甲支部", "乙支部"], region="912345"))
    numbers = {row[3] for row in rows}
    assert len(numbers) == 500
    for row in rows[:50]:
        cid = parse_citizen_id(row[3])
        assert ("男" if cid.sex == "1" else "女") == row[1]


def test_table_aligns_chinese_labels_by_display_width():
    first, second = format_table([("行数", "10"), ("COPY", "1")]).splitlines()
    assert first == "  行数  10" and second == "  COPY  1"


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for SQLite")
def test_refuses_sqlite_without_the_flag(db):
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench", "import", "--rows", "10", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_tiny_import_run_writes_json_and_cleans_up(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    args = ["bench", "import", "--rows", "40", "--branches", "3"]
    if connection.vendor != "postgresql":
        args.append("--allow-sqlite")
    call_command(*args, stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "import csv 40 行" in text and "峰值内存" in text
    report = json.loads(next((tmp_path / "bench").glob("import-*.json")).read_text())
    assert report["data"]["rows"] == 40 and report["machine"]["cpus"]
    if connection.vendor == "postgresql":
        assert report["ratio"] > 0
    assert (
        not Member.objects.exists() and not Organisation.objects.filter(name__startswith="基准测试").exists()
    )


def test_generated_dates_are_not_in_the_future():
    today = dates.today()
    for row in roster_rows(200, branch_names=["甲"], region="912345", today=today):
        assert row[8] and row[4]


class _Recorder:
    seen: list = []


class _FakeOk:
    name = "fake-ok"
    help = "测试用：成功"

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=7)

    def run(self, options, log):
        from qiangji.tooling.bench import BenchReport, scaled

        _Recorder.seen.append(("fake-ok", options["size"], options["scale"], scaled(options, 1000, 10)))
        return BenchReport("fake-ok", [("大小", str(options["size"]))], "假基准 用时 1 ms，比值 0.500", 0.5)


class _FakeFail:
    name = "fake-fail"
    help = "测试用：失败"

    def add_arguments(self, parser):
        parser.add_argument("--boom", default="默认错误")

    def run(self, options, log):
        _Recorder.seen.append(("fake-fail", options["boom"], options["scale"]))
        raise RuntimeError(options["boom"])


@pytest.fixture
def fakes(monkeypatch, settings, tmp_path):
    from qiangji.tooling import bench

    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(bench, "BENCHMARKS", {"fake-ok": _FakeOk, "fake-fail": _FakeFail})
    monkeypatch.setattr(bench, "discover", lambda: bench.BENCHMARKS)
    _Recorder.seen = []
    return tmp_path


def _call(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("bench", *args, stdout=out, stderr=err)
        error = None
    except CommandError as caught:
        error = caught
    return out.getvalue(), err.getvalue(), error


def test_runner_runs_every_benchmark_with_defaults_goes_on_after_a_failure_and_fails_at_the_end(fakes, db):
    out, err, error = _call("--scale", "small")
    # Both ran, in name order, each with its own defaults and the shared scale.
    assert _Recorder.seen == [("fake-fail", "默认错误", "small"), ("fake-ok", 7, "small", 10)]
    assert "fake-fail 失败：默认错误" in err and "RuntimeError" in err
    assert "假基准 用时 1 ms，比值 0.500" in out and "== 汇总 ==" in out
    summary = out.split("== 汇总 ==")[1]
    assert "fake-ok" in summary and "比值 0.5" in summary and "fake-fail  失败：默认错误" in summary
    assert error is not None and "1 个基准失败：fake-fail" in str(error)
    run = json.loads(next((fakes / "bench").glob("run-*.json")).read_text())
    assert [r["name"] for r in run["results"]] == ["fake-fail", "fake-ok"] and run["scale"] == "small"
    assert [r["ok"] for r in run["results"]] == [False, True] and run["machine"]["cpus"]
    single = json.loads(next((fakes / "bench").glob("fake-ok-*.json")).read_text())
    assert single["ratio"] == 0.5 and single["options"]["scale"] == "small"


def test_one_benchmark_by_name_with_its_options_and_scale_before_or_after_the_name(fakes, db):
    out, _err, error = _call("fake-ok", "--size", "3")
    assert error is None and _Recorder.seen == [("fake-ok", 3, "full", 1000)]
    assert "== 汇总 ==" not in out and "假基准" in out
    _Recorder.seen = []
    assert _call("--no-json", "fake-ok", "--scale", "small")[2] is None
    assert _call("--no-json", "--scale", "small", "fake-ok")[2] is None
    assert _Recorder.seen == [("fake-ok", 7, "small", 10), ("fake-ok", 7, "small", 10)]
    _out, err, error = _call("--no-json", "fake-fail", "--boom", "坏了")
    assert "fake-fail 失败：坏了" in err and "1 个基准失败" in str(error)


def test_all_passing_exits_zero_and_list_shows_both(fakes, db, monkeypatch):
    from qiangji.tooling import bench

    monkeypatch.setitem(bench.BENCHMARKS, "fake-fail", _FakeOk)
    out, _err, error = _call("--no-json")
    assert error is None and out.count("假基准") >= 2
    listing = _call("--list")[0]
    assert "fake-ok" in listing and "fake-fail" in listing


def test_existing_benchmarks_accept_the_scale_option():
    from qiangji.tooling.bench import discover
    from qiangji.tooling.management.commands.bench import benchmark_defaults

    for name, cls in discover().items():
        defaults = benchmark_defaults(cls)
        assert "scale" not in defaults or defaults["scale"] in (None, "full"), name
    from qiangji.members.bench import import_roster
    from qiangji.recruitment import bench as due_bench

    assert due_bench.SCALES["full"] == due_bench.SCALES["province"]
    assert import_roster.ImportBenchmark.name == "import"
