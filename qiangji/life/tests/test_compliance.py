import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from qiangji.life import selectors, services
from qiangji.life.models import MemberLife
from qiangji.life.tests.factories import meeting_type, schedule
from qiangji.members.models import Member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with freeze_time("2026-12-31 12:00:00+08:00"):
        yield


def held(world, code, day, branch=None, present=()):
    meeting = schedule(world, code, planned_on=day, branch=branch)
    for member in present:
        services.record_attendance(
            actor=world.users["jiedao"], meeting=meeting, member=member, status="present"
        )
    return services.record_held(actor=world.users["jiedao"], meeting=meeting, held_on=day)


def status_of(row, code):
    return next(t for t in row.types if t.code == code)


def test_quarter_month_and_year_buckets_with_exemption(world, branch_members):
    held(world, "branch_general", datetime.date(2026, 2, 10), present=branch_members[:3])
    held(world, "branch_general", datetime.date(2026, 5, 10), present=branch_members)
    services.grant_exemption(
        actor=world.users["jiedao"],
        organisation=world.branch2,
        meeting_type=meeting_type("branch_general"),
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 3, 31),
        reason="支部撤并中",
    )
    total, rows = selectors.compliance_rows(world.community, selectors.make_period("quarter", 2026, 1))
    assert total == 2
    first, second = rows
    assert (status_of(first, "branch_general").held, status_of(first, "branch_general").required) == (1, 1)
    general2 = status_of(second, "branch_general")
    assert general2.exempt and not general2.missing and "支部党员大会" not in second.missing
    assert "党小组会" in second.missing
    assert first.attendance_rate == 0.75 and first.due == 4
    month = selectors.compliance_rows(world.community, selectors.make_period("month", 2026, 2))[1][0]
    assert status_of(month, "branch_general").required == 0  # a quarterly rule is not due within a month
    year = selectors.compliance_rows(world.community, selectors.make_period("year", 2026))[1][0]
    assert (status_of(year, "branch_general").held, status_of(year, "branch_general").required) == (2, 4)
    assert (year.present, year.due) == (7, 8)  # year sums come from the rollup, the same figures


def test_secretary_lecture_counts_as_lecture_and_override_tightens(world):
    held(world, "secretary_lecture", datetime.date(2026, 4, 2))
    year = selectors.compliance_rows(world.community, selectors.make_period("year", 2026))[1][0]
    assert status_of(year, "secretary_lecture").held == 1 and status_of(year, "lecture").held == 1
    services.set_rule_override(
        actor=world.users["xian"],
        organisation=world.county,
        meeting_type=meeting_type("branch_general"),
        period_months=1,
        reason="县委从严",
    )
    quarter = selectors.compliance_rows(world.community, selectors.make_period("quarter", 2026, 2))[1][0]
    assert status_of(quarter, "branch_general").required == 3


def test_summary_children_missing_list_and_series(world, branch_members):
    held(world, "theme_day", datetime.date(2026, 3, 5), present=branch_members[:2])
    period = selectors.make_period("month", 2026, 3)
    summary = selectors.compliance_summary(world.street, period)
    assert summary["branches"] == 2 and summary["missing"] == 2
    theme = next(t for t in summary["types"] if t["code"] == "theme_day")
    assert (theme["due_branches"], theme["held_branches"], theme["missing_branches"]) == (2, 1, 1)
    assert summary["children"] == [
        {
            "path": world.community.path,
            "name": world.community.name,
            "branches": 2,
            "missing": 2,
            "attendance_rate": 0.5,
            "checklist_score": None,
        }
    ]
    assert selectors.compliance_rows(world.street, period, only_missing=True)[0] == 2
    series = selectors.monthly_series(world.street, 2026)
    assert next(s for s in series["series"] if s["code"] == "theme_day")["data"][2] == 1
    assert selectors.compliance_summary(world.foreign_county, period)["branches"] == 1


def test_lapse_at_six_calendar_months_not_a_day_before(world, branch_members):
    Member.objects.update(created_at=datetime.datetime(2025, 1, 1, tzinfo=timezone.get_current_timezone()))
    MemberLife.objects.create(
        member=branch_members[0], org_path=world.branch.path, last_attended_on=datetime.date(2026, 1, 31)
    )
    for member in branch_members[1:]:
        MemberLife.objects.create(
            member=member, org_path=world.branch.path, last_attended_on=datetime.date(2026, 7, 1)
        )
    scoped = Member.objects.filter(org_path__startswith=world.branch.path)
    # 2026-01-31 → 2026-07-30 is 5 months 30 days; 2026-07-31 is 6 months.
    assert list(selectors.lapsed_members(scoped, datetime.date(2026, 7, 30))) == []
    flagged = list(selectors.lapsed_members(scoped, datetime.date(2026, 7, 31)))
    assert flagged == [branch_members[0]] and flagged[0].last_life_on == datetime.date(2026, 1, 31)
    assert selectors.is_lapsed(branch_members[0], datetime.date(2026, 7, 31))
    never = Member.objects.filter(organisation=world.foreign_branch)
    assert list(selectors.lapsed_members(never, datetime.date(2025, 6, 30))) == []
    assert list(selectors.lapsed_members(never, datetime.date(2025, 7, 1))) == [world.foreign_member]


def test_due_for_lists_open_required_meetings_and_themes(world):
    services.push_theme(
        actor=world.users["jiedao"],
        organisation=world.street,
        year=2026,
        month=12,
        title="年终",
        items=[{"kind": "required", "title": "学习一小时"}],
    )
    held(world, "group", datetime.date(2026, 12, 3))
    todo = selectors.due_for(world.branch, 2026, 12)
    by_code = {item.meeting_type.code: item for item in todo["due"]}
    assert by_code["group"].is_done and not by_code["theme_day"].is_done
    assert by_code["review"].period_start == datetime.date(2026, 1, 1)
    assert [i.title for i in todo["items"]] == ["学习一小时"]
