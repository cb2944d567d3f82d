import datetime

from qiangji.dashboard.models import FlowRollup, StockRollup
from qiangji.dashboard.rollups import engine


def test_rebuild_runs(world):
    engine.rebuild(today=datetime.date(2026, 11, 28))
    row = StockRollup.objects.get(org=world.province, month=datetime.date(2026, 11, 1))
    assert row.m_on_roll == 5
    assert StockRollup.objects.get(org=world.branch, month=datetime.date(2026, 11, 1)).m_on_roll == 4
    assert FlowRollup.objects.count() >= 0


def test_selectors_answer(world):
    from qiangji.dashboard import selectors

    day = datetime.date(2026, 11, 28)
    engine.rebuild(today=day)
    summary = selectors.node_summary(world.province, today=day)
    assert summary["figures"]["members"]["value"] == 5
    assert set(summary["exception_counts"]) == {
        "dev_overdue",
        "life_missing",
        "term_overdue",
        "dues_arrears_6m",
        "mobile_unaccounted",
    }
    assert len(selectors.trend(world.province, today=day)) == 12
    kids = selectors.children(world.city, today=day)
    assert [k["name"] for k in kids] == ["某县委", "另一县委"]
    assert kids[0]["figures"]["members"] == 4
    assert selectors.worst_children(world.city, "members", n=1, today=day)[0]["name"] == "另一县委"
