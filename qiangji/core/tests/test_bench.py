"""`qiangji bench`: the registry, the refusal on SQLite, and a tiny import run end to end."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from qiangji.core.bench import BENCHMARKS, discover, format_table
from qiangji.core.bench.roster import roster_rows
from qiangji.core.validators import parse_citizen_id
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation


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
    assert not Member.objects.exists() and not Organisation.objects.filter(name__startswith="基准测试").exists()


def test_generated_dates_are_not_in_the_future():
    today = datetime.date.today()
    for row in roster_rows(200, branch_names=["甲"], region="912345", today=today):
        assert row[8] and row[4]
