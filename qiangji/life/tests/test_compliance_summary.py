"""The two-pass summary SQL (`summary_sql`) gives the figures of the per-branch rows (`rows_sql`)."""

import datetime

import pytest
from freezegun import freeze_time

from qiangji.life import selectors, services
from qiangji.life.tests.factories import meeting_type, schedule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with freeze_time("2026-12-31 12:00:00+08:00"):
        yield


def held(world, code, day, present=()):
    meeting = schedule(world, code, planned_on=day)
    for member in present:
        services.record_attendance(
            actor=world.users["jiedao"], meeting=meeting, member=member, status="present"
        )
    return services.record_held(actor=world.users["jiedao"], meeting=meeting, held_on=day)


def from_rows(root, period) -> dict:
    """The summary computed in Python from the per-branch rows (the reference)."""
    total, rows = selectors.compliance_rows(root, period, limit=10_000)
    assert total == len(rows)
    types = {}
    for row in rows:
        for t in row.types:
            entry = types.setdefault(t.code, [0, 0, 0])
            due = t.required > 0 and not t.exempt
            entry[0] += due
            entry[1] += due and t.held >= t.required
            entry[2] += t.exempt
    return {
        "branches": len(rows),
        "missing": sum(1 for r in rows if r.missing),
        "due": sum(r.due for r in rows),
        "present": sum(r.present for r in rows),
        "required": sum(r.checklist_required for r in rows),
        "done": sum(r.checklist_done for r in rows),
        "types": types,
    }


def from_summary(root, period) -> dict:
    summary = selectors.compliance_summary(root, period)
    assert sum(c["branches"] for c in summary["children"]) == summary["branches"]
    return {
        "branches": summary["branches"],
        "missing": summary["missing"],
        "due": summary["attendance"]["due"],
        "present": summary["attendance"]["present"],
        "required": summary["checklist"]["required"],
        "done": summary["checklist"]["done"],
        "types": {
            t["code"]: [t["due_branches"], t["held_branches"], t["exempt_branches"]] for t in summary["types"]
        },
    }


PERIODS = [("year", 1), ("quarter", 1), ("quarter", 2), ("month", 2), ("month", 3), ("month", 4)]


def test_summary_equals_the_rows_with_exemptions_and_a_stricter_region(world, branch_members):
    held(world, "branch_general", datetime.date(2026, 2, 10), present=branch_members[:3])
    held(world, "branch_general", datetime.date(2026, 5, 10), present=branch_members)
    held(world, "theme_day", datetime.date(2026, 3, 5), present=branch_members[:2])
    held(world, "secretary_lecture", datetime.date(2026, 4, 2))
    boss = world.users["jiedao"]
    services.grant_exemption(
        actor=boss,
        organisation=world.branch2,
        meeting_type=meeting_type("branch_general"),
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 3, 31),
        reason="撤并中",
    )
    services.grant_exemption(
        actor=boss,
        organisation=world.branch2,
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 4, 30),
        reason="整顿期间全部免于考核",
    )
    for kind, number in PERIODS:
        period = selectors.make_period(kind, 2026, number)
        assert from_summary(world.street, period) == from_rows(world.street, period), period
    services.set_rule_override(
        actor=world.users["xian"],
        organisation=world.county,
        meeting_type=meeting_type("branch_general"),
        period_months=1,
        reason="县委从严",
    )
    for kind, number in PERIODS:
        period = selectors.make_period(kind, 2026, number)
        assert from_summary(world.street, period) == from_rows(world.street, period), period
        assert from_summary(world.county, period) == from_rows(world.county, period), period
    quarter = from_summary(world.street, selectors.make_period("quarter", 2026, 2))
    assert quarter["types"]["branch_general"][0] == 1  # branch2 is exempt from everything in April
    assert quarter["types"]["branch_general"][2] == 1


def test_empty_subtree_and_a_month_without_yearly_rules(world):
    period = selectors.make_period("month", 2026, 6)
    summary = from_summary(world.foreign_county, period)
    assert summary == from_rows(world.foreign_county, period)
    assert summary["types"]["review"] == [0, 0, 0]  # a yearly rule is not due within a month
    assert summary["types"]["theme_day"][0] == summary["branches"] == 1 and summary["missing"] == 1
