import pytest

from qiangji.core.bench import discover
from qiangji.life import bench


def test_benchmarks_are_registered():
    names = discover()
    assert {"checkin", "compliance"} <= set(names)


def test_percentile_and_free_port():
    assert bench._percentile([float(i) for i in range(1, 101)], 0.99) == 100.0
    assert bench._percentile([1.0, 2.0], 0.5) == 2.0
    assert 1024 < bench._free_port() < 65536


@pytest.mark.django_db
def test_benchmarks_refuse_sqlite():
    from django.core.management import CommandError
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("the refusal is for SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        bench.CheckinBenchmark().run({}, log=print)
