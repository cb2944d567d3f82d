import datetime

import pytest

from qiangji.members.models import Member
from qiangji.orgs import selectors
from qiangji.orgs.models import Committee, CommitteeMember, StructureRule, TermRule
from qiangji.testing import add_member, add_org

pytestmark = pytest.mark.django_db
END = datetime.date(2026, 3, 1)


def committee(org, elected_on=datetime.date(2021, 3, 1), ends_on=END, secretary=True):
    made = Committee.objects.create(
        organisation=org, org_path=org.path, elected_on=elected_on, term_years=5, term_ends_on=ends_on
    )
    if secretary:
        CommitteeMember.objects.create(
            committee=made, org_path=org.path, name="书记甲", post="secretary", started_on=elected_on
        )
    return made


def test_rules_are_seeded_with_sources():
    assert TermRule.objects.rule_for("committee", "government").years == 5
    assert TermRule.objects.rule_for("branch", "state_enterprise").years == 3
    assert TermRule.objects.rule_for("branch", "rural").years == 5
    assert TermRule.objects.rule_for("branch", "community").years == 5
    assert TermRule.objects.rule_for("general_branch", "school").years == 3
    assert TermRule.objects.rule_for("leading_group", "government") is None
    assert all(rule.source for rule in TermRule.objects.all())
    rules = StructureRule.values()
    assert rules == {
        "branch_min_full_members": 3,
        "branch_max_members": 50,
        "committee_full_members": 7,
        "committee_min_seats": 3,
        "committee_max_seats": 7,
    }
    assert all("zbtl-2018" in rule.source for rule in StructureRule.objects.all())


@pytest.mark.parametrize(
    "today,state",
    [
        (END - datetime.timedelta(days=91), "ok"),
        (END - datetime.timedelta(days=90), "due"),
        (END - datetime.timedelta(days=1), "due"),
        (END, "due"),
        (END + datetime.timedelta(days=1), "overdue"),
    ],
)
def test_term_status_boundaries(world, today, state):
    committee(world.branch)
    status = selectors.term_status(world.branch, today=today)
    assert status["state"] == state
    assert status["ends_on"] == END
    assert status["days_left"] == (END - today).days
    assert "zbtl-2018" in status["source"]


def test_term_due_days_is_a_setting(world, settings):
    settings.QIANGJI_TERM_DUE_DAYS = 30
    committee(world.branch)
    assert selectors.term_status(world.branch, today=END - datetime.timedelta(days=31))["state"] == "ok"
    assert selectors.term_status(world.branch, today=END - datetime.timedelta(days=30))["state"] == "due"


def test_term_status_none_without_committee_and_after_new_election(world):
    assert selectors.term_status(world.branch) is None
    old = committee(world.branch, ends_on=datetime.date(2020, 1, 1))
    Committee.objects.filter(pk=old.pk).update(ended_on=datetime.date(2019, 12, 1))
    new = committee(world.branch, elected_on=datetime.date(2019, 12, 1), ends_on=datetime.date(2024, 12, 1))
    assert selectors.term_status(world.branch, today=datetime.date(2021, 1, 1))["committee"] == new


@pytest.mark.parametrize(
    "today,level",
    [
        (END - datetime.timedelta(days=1), "warning"),
        (END, "warning"),
        (END + datetime.timedelta(days=1), "danger"),
    ],
)
def test_alerts_for_term(world, today, level):
    committee(world.branch)
    term_alerts = [a for a in selectors.alerts_for(world.users["xian"], today=today) if "任期" in a["text"]]
    assert len(term_alerts) == 1
    assert term_alerts[0]["level"] == level and term_alerts[0]["org"] == world.branch
    assert term_alerts[0]["url"] == f"/orgs/{world.branch.pk}/"


def test_alerts_for_no_term_alert_far_from_end(world):
    committee(world.branch)
    alerts = selectors.alerts_for(world.users["xian"], today=END - datetime.timedelta(days=91))
    assert not [a for a in alerts if "任期" in a["text"]]


def test_alerts_respect_scope(world):
    committee(world.foreign_branch)
    today = END + datetime.timedelta(days=1)
    assert not [
        a for a in selectors.alerts_for(world.users["xian"], today=today) if a["org"] == world.foreign_branch
    ]
    assert [
        a
        for a in selectors.alerts_for(world.users["foreign"], today=today)
        if a["org"] == world.foreign_branch
    ]
    assert selectors.alerts_for(world.users["dangyuan"], today=today) == []
    assert selectors.alerts_for(world.users["nobody"], today=today) == []


def fill(org, full, probationary=0):
    for index in range(full):
        add_member(org, f"正式{index}")
    for index in range(probationary):
        add_member(org, f"预备{index}", status="probationary")


@pytest.mark.parametrize("full,warned", [(2, True), (3, False)])
def test_structure_min_full_members(world, full, warned):
    org = add_org(world.community, "测试支部", "branch", "community")
    committee(org)
    fill(org, full, probationary=2)
    warnings = selectors.structure_warnings(org)
    assert any("少于3人" in w for w in warnings) is warned


@pytest.mark.parametrize("count,warned", [(50, False), (51, True)])
def test_structure_max_members(world, count, warned):
    org = add_org(world.community, "测试支部", "branch", "community")
    committee(org)
    fill(org, 40, probationary=count - 40)
    warnings = selectors.structure_warnings(org)
    assert any("超过50人" in w for w in warnings) is warned


@pytest.mark.parametrize("full,warned", [(6, False), (7, True)])
def test_structure_committee_required(world, full, warned):
    org = add_org(world.community, "测试支部", "branch", "community")
    fill(org, full)
    warnings = selectors.structure_warnings(org)
    assert any("应设立由3人以上组成的支部委员会" in w for w in warnings) is warned
    made = committee(org)  # a secretary only: not yet a committee for 7 or more full members
    assert any("支部委员会" in w for w in selectors.structure_warnings(org)) is warned
    for post in ("organisation", "publicity"):
        CommitteeMember.objects.create(
            committee=made, org_path=org.path, name=post, post=post, started_on=made.elected_on
        )
    assert not any("支部委员会" in w for w in selectors.structure_warnings(org))


def test_structure_committee_seats_of_ended_committee_do_not_count(world):
    org = add_org(world.community, "测试支部", "branch", "community")
    fill(org, 7)
    old = committee(org)
    for post in ("organisation", "publicity"):
        CommitteeMember.objects.create(
            committee=old, org_path=org.path, name=post, post=post, started_on=old.elected_on
        )
    Committee.objects.filter(pk=old.pk).update(ended_on=datetime.date(2024, 1, 1))
    assert any("支部委员会" in w for w in selectors.structure_warnings(org))


def test_structure_secretary_vacant_and_thresholds_are_data(world):
    assert any("书记职务空缺" in w for w in selectors.structure_warnings(world.branch))
    committee(world.branch)
    assert selectors.structure_warnings(world.branch) == []
    StructureRule.objects.filter(code="branch_min_full_members").update(value=5)
    assert any("少于5人" in w for w in selectors.structure_warnings(world.branch))


def test_structure_ignores_non_branches_and_suspended(world):
    assert selectors.structure_warnings(world.community) == []
    Member.objects.filter(organisation=world.branch).exclude(pk=world.member.pk).update(status="suspended")
    committee(world.branch)
    assert any("正式党员1人" in w for w in selectors.structure_warnings(world.branch))


def test_alerts_are_set_wise(world, django_assert_max_num_queries):
    for index in range(15):
        org = add_org(world.community, f"支部{index}", "branch", "community")
        committee(org, ends_on=END)
    with django_assert_max_num_queries(6):
        alerts = selectors.alerts_for(world.users["xian"], limit=100, today=END + datetime.timedelta(days=1))
    assert len([a for a in alerts if a["level"] == "danger"]) == 15
    assert alerts[0]["level"] == "danger"
    assert len(selectors.alerts_for(world.users["xian"], limit=5, today=END)) == 5


def test_subtree_counts_by_role(world):
    add_member(world.branch2, "预备乙", status="probationary")
    add_member(world.branch2, "已故丙", status="deceased")
    assert selectors.subtree_counts(world.users["xian"]) == {
        "organisations": 5,
        "branches": 2,
        "members": 5,
        "probationary": 1,
        "full": 4,
    }
    assert selectors.subtree_counts(world.users["zhibu"]) == {
        "organisations": 1,
        "branches": 1,
        "members": 4,
        "probationary": 0,
        "full": 4,
    }
    assert selectors.subtree_counts(world.users["foreign"])["members"] == 1
    assert selectors.subtree_counts(world.users["nobody"])["organisations"] == 0
    assert selectors.subtree_counts(world.users["dangyuan"])["members"] == 1


def test_member_summary(world):
    Member.objects.filter(organisation=world.branch).update(completeness=80)
    add_member(world.branch2, "预备乙", status="probationary", completeness=50)
    summary = selectors.member_summary(world.community, world.users["xian"])
    assert summary["on_roll"] == 5
    assert summary["average_completeness"] == 74.0
    assert ("预备党员", 1) in summary["by_status"]


def test_tree_roots_and_breadcrumbs(world):
    assert list(selectors.tree_roots(world.users["xian"])) == [world.county]
    assert list(selectors.tree_roots(world.users["dangyuan"])) == [world.branch]
    assert list(selectors.tree_roots(world.users["nobody"])) == []
    assert selectors.breadcrumbs(world.branch, world.users["jiedao"]) == [
        world.street,
        world.community,
        world.branch,
    ]
    assert list(selectors.children_of(world.community, world.users["xian"])) == [world.branch, world.branch2]
    assert list(selectors.children_of(world.community, world.users["zhibu"])) == [world.branch]
