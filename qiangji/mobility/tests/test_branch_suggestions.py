""" "Should have a branch": ≥ 3 full members at one employer or place without a branch (docs/rules.md §2), counted
from the registry's work unit (Member.employer) and from every open flow (outflow, pending or accepted), each member
once; a returned flow, a probationary member, or a work unit that is the member's own branch's unit does not count."""

import datetime

import pytest

from qiangji.members.models import Member
from qiangji.mobility import selectors, services
from qiangji.mobility.tests.factories import FLOW_VALUES, station
from qiangji.testing import add_member, add_org

pytestmark = pytest.mark.django_db
EMPLOYER = "蜂鸟配送"


def found(user):
    return [(s["by"], s["name"], s["members"]) for s in selectors.branch_suggestions(user)]


def workers(world, count, employer=EMPLOYER, status="full", org=None):
    return [
        add_member(
            org or world.branch,
            f"骑手{index}{status}{employer}",
            status=status,
            employer=employer,
            birth=datetime.date(1980 + index, 1, 1 + len(employer)),
        )
        for index in range(count)
    ]


@pytest.mark.parametrize(("count", "flagged"), [(2, False), (3, True), (4, True)])
def test_registry_employers_at_the_boundary(world, count, flagged):
    workers(world, count)
    assert found(world.users["jiedao"]) == ([("就业单位或平台", EMPLOYER, count)] if flagged else [])
    assert found(world.users["foreign"]) == []


def test_probationary_members_do_not_count(world):
    workers(world, 2)
    workers(world, 1, status="probationary")
    assert found(world.users["jiedao"]) == []


def test_outflows_without_an_inflow_branch_count(world):
    """The reported case: members gone out to one employer, no inflow branch named (status outflow)."""
    for member in workers(world, 3, employer=""):
        services.register_outflow(
            actor=world.users["zhibu"],
            member=member,
            values=FLOW_VALUES | {"employer": EMPLOYER, "place": ""},
        )
    assert found(world.users["jiedao"]) == [("就业单位或平台", EMPLOYER, 3)]


def test_registry_and_flows_together_each_member_once(world):
    at_work = workers(world, 2)
    services.register_outflow(
        actor=world.users["zhibu"],
        member=at_work[0],
        values=FLOW_VALUES | {"employer": EMPLOYER, "place": ""},
    )  # the same member twice
    assert found(world.users["jiedao"]) == []
    other = workers(world, 1, employer="")[0]
    services.register_outflow(
        actor=world.users["zhibu"], member=other, values=FLOW_VALUES | {"employer": EMPLOYER, "place": ""}
    )
    assert found(world.users["jiedao"]) == [("就业单位或平台", EMPLOYER, 3)]


def test_returned_flows_do_not_count(world):
    flows = [
        services.register_outflow(
            actor=world.users["zhibu"],
            member=member,
            values=FLOW_VALUES | {"employer": EMPLOYER, "place": ""},
        )
        for member in workers(world, 3, employer="")
    ]
    services.end_flow(actor=world.users["zhibu"], flow=flows[0])
    assert found(world.users["jiedao"]) == []


def test_a_branch_at_the_employer_or_the_members_own_unit_is_not_flagged(world):
    st = station(world)
    workers(world, 3, employer=st.branch.unit_name, org=st.branch)  # their own branch is at that unit
    assert found(st.committee_user) == []
    workers(world, 3)
    assert found(world.users["jiedao"]) == [("就业单位或平台", EMPLOYER, 3)]
    add_org(world.community, f"{EMPLOYER}党支部", "branch", "non_public_enterprise", unit_name=EMPLOYER)
    assert found(world.users["jiedao"]) == []


def test_many_members_at_one_employer(world):
    for member in workers(world, 12, employer=""):
        services.register_outflow(
            actor=world.users["zhibu"],
            member=member,
            values=FLOW_VALUES | {"employer": EMPLOYER, "place": ""},
        )
    assert found(world.users["jiedao"]) == [("就业单位或平台", EMPLOYER, 12)]
    assert Member.objects.filter(flows__employer=EMPLOYER).count() == 12
