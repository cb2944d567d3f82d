"""Rollups equal the base tables, after a full rebuild and after incremental refreshes."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from qiangji.dashboard import selectors
from qiangji.dashboard.indicators import INDICATORS
from qiangji.dashboard.models import FlowRollup, OwnStock, StockRollup
from qiangji.dashboard.rollups import engine
from qiangji.dues.models import DuesAccount, Payment
from qiangji.dues.selectors import arrears, arrears_row, collection_rates
from qiangji.life.selectors import compliance_summary, make_period
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member
from qiangji.mobility.models import MobileFlow
from qiangji.orgs.models import Committee
from qiangji.recruitment.models import Case
from qiangji.recruitment.selectors import due
from qiangji.recruitment.selectors.plans import planned_by_group


def stock(org, month):
    return StockRollup.objects.get(org=org, month=month)


def flow(org, month):
    return FlowRollup.objects.filter(org=org, month=month).first()


def expected(world, org, data) -> dict:
    """The same figures computed straight from the base tables with the apps' own selectors."""
    admin = world.users["admin"]
    members = Member.objects.filter(org_path__startswith=org.path)
    roll = members.filter(status__in=ON_ROLL)
    accounts = DuesAccount.objects.filter(member__org_path__startswith=org.path)
    old = [
        row
        for row in (arrears_row(a, data.month, data.today) for a in arrears(accounts, data.month))
        if row.is_old
    ]
    summary = compliance_summary(org, make_period("month", data.previous.year, data.previous.month))
    paid = Payment.objects.filter(org_path__startswith=org.path, kind="regular", month=data.previous)
    return {
        "m_on_roll": roll.count(),
        "m_female": roll.filter(sex="2").count(),
        "m_minority": roll.exclude(ethnicity__in=["", "01"]).count(),
        "m_suspended": members.filter(status="suspended").count(),
        "m_post_new_employment": roll.filter(post="0510").count(),
        "m_completeness_sum": roll.aggregate(s=Sum("completeness"))["s"] or 0,
        "dev_stage_1": Case.objects.filter(org_path__startswith=org.path, status="open", stage=1).count(),
        "dev_overdue": sum(s.overdue for s in due.summary(admin, org_path=org.path, day=data.today)),
        "dev_planned": sum(planned_by_group(admin, org.path, data.today.year).values()),
        "mob_out": MobileFlow.objects.filter(
            org_path__startswith=org.path, status__in=["outflow", "pending", "active"]
        ).count(),
        "mob_in": MobileFlow.objects.filter(other_path__startswith=org.path, status="active").count(),
        "dues_arrears_6m": len(old),
        "dues_due_amount": sum((r["due_amount"] for r in collection_rates(org, data.month)), Decimal(0)),
        "term_overdue": Committee.objects.filter(
            org_path__startswith=org.path, ended_on__isnull=True, term_ends_on__lt=data.today
        ).count(),
        "life_branches_missing": summary["missing"],
        "life_due_sum": summary["attendance"]["due"],
        "dues_paid_amount": paid.aggregate(s=Sum("amount"))["s"] or 0,
    }


def actual(org, data) -> dict:
    s, f = stock(org, data.month), flow(org, data.previous)
    values = {
        name: getattr(s, name)
        for name in (
            "m_on_roll",
            "m_female",
            "m_minority",
            "m_suspended",
            "m_post_new_employment",
            "m_completeness_sum",
            "dev_stage_1",
            "dev_overdue",
            "dev_planned",
            "mob_out",
            "mob_in",
            "dues_arrears_6m",
            "dues_due_amount",
            "term_overdue",
        )
    }
    for name in ("life_branches_missing", "life_due_sum", "dues_paid_amount"):
        values[name] = getattr(f, name) if f else 0
    return values


NODES = ("province", "city", "county", "community", "branch", "branch2", "foreign_county", "foreign_branch")


@pytest.mark.parametrize("node", NODES)
def test_rebuild_matches_the_base_tables(world, data, node):
    org = getattr(world, node)
    assert actual(org, data) == expected(world, org, data)


def test_the_world_has_something_in_every_figure(world, data):
    figures = actual(world.province, data)
    assert all(
        figures[name]
        for name in (
            "m_on_roll",
            "m_female",
            "m_minority",
            "m_suspended",
            "dev_overdue",
            "dev_planned",
            "mob_out",
            "mob_in",
            "dues_arrears_6m",
            "term_overdue",
            "life_due_sum",
            "dues_paid_amount",
        )
    ), figures


def test_a_parent_plan_is_not_added_to_its_branches_plans(world, data):
    assert stock(world.county, data.month).dev_planned == 10  # the county's plan covers its branch's 3
    assert stock(world.province, data.month).dev_planned == 12  # + the foreign branch's 2


def test_totals_are_own_plus_children(world, data):
    province = stock(world.province, data.month)
    kids = StockRollup.objects.filter(parent=world.province, month=data.month).aggregate(s=Sum("m_on_roll"))[
        "s"
    ]
    own = OwnStock.objects.get(org=world.province).m_on_roll
    assert province.m_on_roll == kids + own
    assert province.parent_id is None and stock(world.city, data.month).parent_id == world.province.pk


def test_rebuild_is_idempotent(world, data):
    before = actual(world.province, data)
    engine.rebuild()
    assert actual(world.province, data) == before


def test_selectors_read_the_rollups(world, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        summary = selectors.node_summary(world.province)
    figures = summary["figures"]
    assert figures["members"]["value"] == expected(world, world.province, data)["m_on_roll"]
    assert summary["exception_counts"]["term_overdue"] == 1
    assert summary["exception_counts"]["dev_overdue"] >= 1
    assert figures["dues_arrears_6m"]["updated_at"] is not None
    with django_assert_max_num_queries(3):
        kids = selectors.children(world.community)
    assert {k["name"] for k in kids} == {"幸福社区第一党支部", "幸福社区第二党支部"}
    worst = selectors.worst_children(world.community, "term_overdue")
    assert [k["name"] for k in worst] == ["幸福社区第二党支部"]


def test_flows_are_kept_by_month(world, data):
    assert flow(world.province, data.month).dev_applied == 1  # the application made today
    assert flow(world.province, data.previous).life_meetings == 1
    assert (
        FlowRollup.objects.filter(org=world.province, month__lt=data.previous).aggregate(
            s=Sum("dues_paid_members")
        )["s"]
        == 5
    )  # five earlier months paid at once


def test_trend_has_a_value_per_month(world, data):
    rows = selectors.trend(world.province, months=12)
    assert [r["month"] for r in rows][-1] == data.month
    assert rows[-1]["figures"]["members"] == expected(world, world.province, data)["m_on_roll"]
    assert rows[0]["figures"]["members"] is None  # no stock snapshot that far back: said, not guessed


def test_first_rebuild_takes_a_snapshot_of_last_month(world, data):
    assert StockRollup.objects.filter(org=world.province, month=data.previous).exists()
    assert not StockRollup.objects.filter(org=world.province, month__lt=data.previous).exists()


def test_month_rollover_copies_the_snapshot(world, data):
    next_month = data.month.replace(
        year=data.month.year + (data.month.month == 12), month=data.month.month % 12 + 1
    )
    engine.refresh_orgs({world.branch.path}, set(), today=next_month + datetime.timedelta(days=2))
    assert (
        stock(world.foreign_branch, next_month).m_on_roll == stock(world.foreign_branch, data.month).m_on_roll
    )
    assert stock(world.province, next_month).m_on_roll == stock(world.province, data.month).m_on_roll


def test_trend_marks_the_running_month_instead_of_dropping_it_to_zero(world, data):
    rows = selectors.trend(world.province, months=12)
    assert len(rows) == 12 and len({r["month"] for r in rows}) == 12  # every month present
    assert [r["running"] for r in rows] == [False] * 11 + [True]
    assert rows[-1]["label"].endswith("（进行中）")
    monthly = [i.code for i in INDICATORS if i.period == "last_month"]
    assert monthly and all(rows[-1]["figures"][code] is None for code in monthly)  # not yet measured, not 0
    assert rows[-1]["figures"]["members"] is not None  # a stock figure of the running month is shown to date
