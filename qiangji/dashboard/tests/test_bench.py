"""`qiangji bench dashboard --scale small` on the test world: every level timed, baseline agrees,
the write at a branch is seen at the root and undone."""

from qiangji.dashboard.tests.rollup_world import populate
from qiangji.mobility.models import MobileFlow
from qiangji.tooling.bench import discover


def test_dashboard_bench_runs(world):
    populate(world)
    open_flows = MobileFlow.objects.exclude(status="returned").count()
    report = discover()["dashboard"]().run(
        {"scale": "small", "repeat": 2, "rebuild": True}, log=lambda text: None
    )
    assert report.name == "dashboard" and report.ratio > 0
    levels = report.data["levels"]
    assert [level["depth"] for level in levels] == list(range(1, len(levels) + 1))
    assert all(level["agree"] for level in levels), levels
    assert report.data["refresh"]["seen"] is True
    assert MobileFlow.objects.exclude(status="returned").count() == open_flows  # the write was undone
    assert "rebuild" in report.data


def test_on_an_empty_database_the_bench_says_what_it_needs(db):
    """Was `max() arg is an empty sequence` with a traceback (issue #12 item 13)."""
    import io

    import pytest
    from django.core.management import call_command
    from django.core.management.base import CommandError

    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("bench", "--no-json", "dashboard", "--scale", "small", stdout=io.StringIO(), stderr=err)
    said = err.getvalue()
    assert "没有任何党组织" in said and "qiangji generate --scale county" in said
    assert "Traceback" not in said and "max()" not in said
    assert "dashboard" in str(failed.value)
