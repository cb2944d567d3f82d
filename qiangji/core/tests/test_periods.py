"""core.periods: the last complete period, the running one, labels and progress (issue #12 item 2)."""

import datetime

import pytest

from qiangji.core import periods

D = datetime.date


@pytest.mark.parametrize(
    ("kind", "today", "expected"),
    [
        ("month", D(2026, 12, 3), periods.Span("month", 2026, 11)),
        ("month", D(2026, 12, 1), periods.Span("month", 2026, 11)),  # the first: November just ended
        ("month", D(2026, 11, 30), periods.Span("month", 2026, 10)),  # the last day: November still runs
        ("month", D(2027, 1, 3), periods.Span("month", 2026, 12)),
        ("quarter", D(2026, 12, 3), periods.Span("quarter", 2026, 3)),
        ("quarter", D(2026, 2, 3), periods.Span("quarter", 2025, 4)),
        ("year", D(2026, 12, 3), periods.Span("year", 2025, 1)),
    ],
)
def test_last_complete(kind, today, expected):
    assert periods.last_complete(kind, today) == expected


def test_running_complete_months_and_progress():
    december = periods.Span("month", 2026, 12)
    assert periods.is_running(december, D(2026, 12, 3))
    assert not periods.is_running(december, D(2026, 11, 30)) and not periods.is_running(
        december, D(2027, 1, 1)
    )
    year = periods.Span("year", 2026)
    assert periods.complete_months(year, D(2026, 12, 3)) == list(range(1, 12))
    assert periods.complete_months(year, D(2026, 12, 31)) == list(range(1, 12))  # December ends tonight
    assert periods.complete_months(year, D(2027, 1, 1)) == list(range(1, 13))
    assert periods.complete_months(december, D(2026, 12, 3)) == []
    assert periods.progress(december, D(2026, 12, 3)) == pytest.approx(3 / 31)
    assert periods.progress(december, D(2026, 11, 3)) == 0 and periods.progress(december, D(2027, 2, 1)) == 1


def test_labels():
    assert periods.label(periods.Span("quarter", 2026, 4)) == "2026年第4季度"
    assert (
        periods.status_label(periods.Span("month", 2026, 12), D(2026, 12, 3))
        == "2026年12月（进行中，截至12月3日）"
    )
    assert periods.status_label(periods.Span("month", 2026, 11), D(2026, 12, 3)) == "2026年11月"
    with pytest.raises(ValueError):
        periods.Span("quarter", 2026, 5)


def test_month_starts_cover_every_month():
    months = periods.month_starts(D(2026, 3, 15), 4)
    assert months == [D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
