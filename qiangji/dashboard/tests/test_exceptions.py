"""The records behind each exception count: the modules' own rules, scoped to the subtree, paged in SQL,
and the same number as the screen's count (`node_summary(org)["exception_counts"]`)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from qiangji.dashboard import exceptions
from qiangji.orgs.models import Committee

pytestmark = pytest.mark.django_db
D = datetime.date


ELECTED = D(2020, 1, 1)


def committee(org, ends_on, elected_on=ELECTED):
    return Committee.objects.create(
        organisation=org, org_path=org.path, elected_on=elected_on, term_years=5, term_ends_on=ends_on
    )


def outflow(world, member, *, accepted_by=None):
    """A mobile member registered out (docs/rules.md §5); with `accepted_by` an inflow branch has taken them in."""
    from qiangji.mobility.services import accept_inflow, register_outflow

    values = {
        "province": "广东省",
        "city": "深圳市",
        "county": "南山区",
        "employer": "某科技公司",
        "place": "",
        "reason": "work",
        "left_on": D(2025, 3, 1),
        "contact_phone": "13912345678",
    }
    flow = register_outflow(actor=world.users["admin"], member=member, values=values, in_org=accepted_by)
    if accepted_by is not None:
        flow = accept_inflow(actor=world.users["admin"], flow=flow)
    return flow


def troubles(world) -> dict:
    """One or more records of every kind inside the county, and one of each in the foreign county."""
    from qiangji.conftest import reseed_rule_tables

    reseed_rule_tables()  # a reused PostgreSQL test database may come empty from an earlier flush
    from qiangji.dues import services
    from qiangji.dues.tests.helpers import JANUARY, give_base
    from qiangji.recruitment.tests.factories import foreign_case, open_case
    from qiangji.testing import add_member

    today = timezone.localdate()
    cases = [
        open_case(world),
        open_case(world, name="赵小红", sex="2"),
    ]  # applied 2023: the talk is long overdue
    foreign_case(world)
    committee(world.street, today - datetime.timedelta(days=1))  # overdue since yesterday
    committee(world.community, today)  # ends today: not overdue yet
    committee(world.foreign_county, D(2024, 1, 1))
    give_base(world, effective=JANUARY)  # nothing paid since January
    foreign_debtor = add_member(world.foreign_branch, "外县欠费")
    services.record_base(
        actor=world.users["admin"],
        member=foreign_debtor,
        category="employed",
        income=Decimal("4000"),
        effective_month=JANUARY,
    )
    mobile = add_member(world.branch2, "流动党员甲")
    outflow(world, mobile)
    outflow(
        world, add_member(world.branch2, "流动党员乙"), accepted_by=world.foreign_branch
    )  # taken in: fine
    outflow(world, add_member(world.foreign_branch, "外县流动"))
    return {"cases": cases, "mobile": mobile, "today": today}


@pytest.fixture(autouse=True)
def _rule_tables(db):
    from qiangji.conftest import reseed_rule_tables

    reseed_rule_tables()


@pytest.fixture
def data(world):
    return troubles(world)


def test_every_kind_has_its_records_in_the_subtree_and_none_outside(world, data):
    user, org, day = world.users["xian"], world.county, data["today"]
    found = {code: exceptions.page(code, user, org, day) for code in exceptions.KINDS}
    assert found["dev_overdue"][0] >= 2 and {"王小明", "赵小红"} <= {
        r.record for r in found["dev_overdue"][1]
    }
    assert [r.record for r in found["term_overdue"][1]] == ["城关街道党工委"]
    assert [r.record for r in found["dues_arrears_6m"][1]] == ["李四"]
    assert [r.record for r in found["mobile_unaccounted"][1]] == ["流动党员甲"]
    assert found["life_missing"][0] == 2  # neither branch held any meeting last month
    for total, rows in found.values():
        assert total == len(rows)
        assert all(r.url.startswith("/") and "外县" not in r.record for r in rows)


def test_each_row_links_to_the_records_own_page(world, data):
    user, org, day = world.users["xian"], world.county, data["today"]
    case = data["cases"][0]
    urls = {code: exceptions.page(code, user, org, day)[1][0].url for code in exceptions.KINDS}
    assert f"/recruitment/cases/{case.pk}/" in {
        r.url for r in exceptions.page("dev_overdue", user, org, day)[1]
    }
    assert urls["term_overdue"] == f"/orgs/{world.street.pk}/"
    assert urls["dues_arrears_6m"] == f"/dues/members/{world.member.pk}/"
    assert urls["mobile_unaccounted"] == f"/mobility/members/{data['mobile'].pk}/"
    assert urls["life_missing"].startswith("/life/org/") and urls["life_missing"].endswith("/calendar/")


def test_a_branch_secretary_sees_only_the_branch(world, data):
    user, day = world.users["zhibu"], data["today"]
    assert exceptions.count("term_overdue", user, world.branch, day) == 0
    assert exceptions.count("dues_arrears_6m", user, world.branch, day) == 1
    assert (
        exceptions.count("mobile_unaccounted", user, world.branch, day) == 0
    )  # the mobile member is in branch2
    assert exceptions.count("life_missing", user, world.branch, day) == 1


def test_the_province_sees_the_foreign_county_too(world, data):
    user, day = world.users["sheng"], data["today"]
    assert exceptions.count("term_overdue", user, world.province, day) == 2
    assert exceptions.count("dues_arrears_6m", user, world.province, day) == 2
    assert exceptions.count("mobile_unaccounted", user, world.province, day) == 2


def test_term_overdue_boundary_day_of_and_after(world):
    user = world.users["xian"]
    committee(world.street, D(2026, 3, 31))
    assert exceptions.count("term_overdue", user, world.county, D(2026, 3, 30)) == 0
    assert (
        exceptions.count("term_overdue", user, world.county, D(2026, 3, 31)) == 0
    )  # the last day of the term
    assert exceptions.count("term_overdue", user, world.county, D(2026, 4, 1)) == 1


def test_dues_arrears_boundary_follows_the_dues_apps_old_flag(world):
    """`arrears_row(...).is_old`: the oldest unpaid month lies before the first of (this month - 6 months)."""
    from qiangji.dues import selectors
    from qiangji.dues.tests.helpers import give_base

    give_base(world, effective=D(2026, 1, 1))
    user = world.users["xian"]
    # On 2026-07-31 the limit is 2026-01-01: January is not before it; on 2026-08-01 it is.
    assert exceptions.count("dues_arrears_6m", user, world.county, D(2026, 7, 31)) == 0
    assert exceptions.count("dues_arrears_6m", user, world.county, D(2026, 8, 1)) == 1
    for day in (D(2026, 7, 31), D(2026, 8, 1)):
        month = exceptions.arrears_month(day)
        from qiangji.dues.models import DuesAccount

        accounts = selectors.arrears(DuesAccount.objects.all(), month)
        flagged = [a for a in accounts if selectors.arrears_row(a, month, day).is_old]
        assert len(flagged) == exceptions.count("dues_arrears_6m", user, world.county, day)


def test_pages_are_cut_in_sql_and_cover_every_row_once(world, data):
    from qiangji.recruitment.tests.factories import open_case

    for name in ("甲一", "甲二", "甲三"):
        open_case(world, name=name)
    user, org, day = world.users["xian"], world.county, data["today"]
    total, everything = exceptions.page("dev_overdue", user, org, day, limit=100)
    pieces = []
    for offset in range(0, total, 2):
        count, rows = exceptions.page("dev_overdue", user, org, day, limit=2, offset=offset)
        assert count == total and len(rows) <= 2
        pieces += [(r.record, r.detail) for r in rows]
    assert pieces == [(r.record, r.detail) for r in everything]


def test_unknown_kind_is_a_key_error():
    with pytest.raises(KeyError):
        exceptions.page("nope", None, None, D(2026, 1, 1))
