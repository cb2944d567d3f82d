import datetime

from qiangji.dashboard.models import FlowRollup, StockRollup
from qiangji.dashboard.rollups import engine


def test_rebuild_runs(world):
    engine.rebuild(today=datetime.date(2026, 11, 28))
    row = StockRollup.objects.get(org=world.province, month=datetime.date(2026, 11, 1))
    assert row.m_on_roll == 5
    assert StockRollup.objects.get(org=world.branch, month=datetime.date(2026, 11, 1)).m_on_roll == 4
    assert FlowRollup.objects.count() >= 0
