"""Accepting a transfer moves EVERY row on the member's path, in every app, in the same transaction, audited
(`members.services.move_member` → `core.paths.move_member_rows`), and the receiving organisation then sees and acts
on everything the old one could: a probationary member's development case is confirmed by the new branch and its
committee, while the old branch gets 404 and its due list no longer flags the case (issue #11 item 12)."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from qiangji.core import paths
from qiangji.core.choices import Role
from qiangji.core.models import AuditEntry
from qiangji.life.models import MemberLife
from qiangji.members.models import Member
from qiangji.mobility import services
from qiangji.mobility.models import Certificate, CommunityReport, GraduateHold
from qiangji.mobility.tests.factories import FLOW_VALUES
from qiangji.recruitment.models import Case
from qiangji.recruitment.tests.factories import case_at, full_members
from qiangji.testing import add_member, add_org, add_user

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def receiver(world):
    """Another street of the same county with a community committee and a branch of four full members."""
    street = add_org(world.county, "东城街道党工委", "working_committee", "community", region_code="370124")
    community = add_org(street, "东城社区党委", "committee", "community", region_code="370124")
    branch = add_org(community, "东城社区第一党支部", "branch", "community", region_code="370124")
    for name in ("赵一", "钱二", "孙三", "李五"):
        add_member(branch, name)
    return {
        "street": street,
        "community": community,
        "branch": branch,
        "street_user": add_user("dongcheng", street, Role.COMMITTEE),
        "branch_user": add_user("dongcheng-zhibu", branch, Role.BRANCH),
    }


def member_rows(member):
    """Every registered row of the member: {label: [path, ...]}."""
    found = {}
    for entry in paths.member_row_registrations():
        found[entry.label] = list(
            entry.model._base_manager.filter(**{entry.member_field: member}).values_list(
                entry.path_field, flat=True
            )
        )
    return found


def due_cases(client, days=400):
    response = client.get(reverse("recruitment-due") + f"?days={days}&limit=500")
    assert response.status_code == 200
    return {item["case"] for item in response.json()["items"]}


def steps_url(case):
    return f"/api/v1/recruitment/cases/{case.pk}/steps/"


def test_accepting_a_transfer_moves_every_row_and_the_receiver_confirms_the_member(
    world, receiver, client_as
):
    with freeze_time("2025-03-25 10:00:00+08:00"):
        case = case_at(world, 20, full_members(world))  # oath taken: probationary, probation ends 2025-04-10
        member = case.member
        assert member is not None and member.status == "probationary"
        # rows of the other apps that follow the member
        MemberLife.objects.create(member=member, org_path=member.org_path, last_attended_on=D(2025, 3, 1))
        flow = services.register_outflow(actor=world.users["zhibu"], member=member, values=FLOW_VALUES)
        GraduateHold.objects.create(
            member=member, org_path=member.org_path, graduated_on=D(2024, 7, 1), flag_on=D(2026, 7, 1)
        )
        old_client = client_as(world.users["zhibu"])
        assert case.pk in due_cases(old_client)
        transfer = services.issue_transfer(
            actor=world.users["zhibu"], member=member, to_org=receiver["street"], reason="工作调动"
        )
        services.accept_transfer(actor=receiver["street_user"], transfer=transfer, branch=receiver["branch"])

    new_path = receiver["branch"].path
    rows = member_rows(member)
    for label in (
        "recruitment.case",
        "recruitment.steprecord",
        "recruitment.signoff",
        "recruitment.mentor",
        "recruitment.sponsor",
        "recruitment.vetting",
        "recruitment.meetingvote",
        "life.memberlife",
        "mobility.mobileflow",
        "mobility.graduatehold",
    ):
        assert rows[label], f"{label}: the test made no row to move"
    assert {label: {path for path in found if path != new_path} for label, found in rows.items()} == {
        label: set() for label in rows
    }
    member.refresh_from_db()
    case.refresh_from_db()
    assert member.organisation == receiver["branch"] and member.org_path == new_path
    assert case.organisation == receiver["branch"] and case.region_code == receiver["branch"].region_code
    moved = AuditEntry.objects.get(action="mobility.member.moved", target_id=str(member.pk))
    assert (
        moved.after["rows"]["recruitment.case"] == 1 and moved.after["rows"]["recruitment.steprecord"] >= 19
    )
    assert moved.after["rows"]["life.memberlife"] == 1 and moved.after["rows"]["mobility.mobileflow"] == 1
    flow.refresh_from_db()
    assert flow.status == "returned"  # closed by the transfer, on the new path

    # the old branch: 404 everywhere, nothing due
    with freeze_time("2025-05-10 10:00:00+08:00"):
        old_client = client_as(world.users["zhibu"])
        assert old_client.get(f"/api/v1/recruitment/cases/{case.pk}/").status_code == 404
        refused = old_client.post(
            steps_url(case),
            {"step": "confirmation_application", "date": "2025-04-01"},
            content_type="application/json",
        )
        assert refused.status_code == 404
        assert case.pk not in due_cases(old_client)
        assert case.pk not in due_cases(client_as(world.users["jiedao"]))

        # the receiver: sees the case, records the next steps and confirms the member
        new_branch = client_as(receiver["branch_user"])
        new_street = client_as(receiver["street_user"])
        assert new_branch.get(f"/api/v1/recruitment/cases/{case.pk}/").status_code == 200
        assert new_street.get(f"/api/v1/recruitment/cases/{case.pk}/").status_code == 200
        assert case.pk in due_cases(new_branch) or case.pk in due_cases(new_street)
        answer = new_branch.post(
            steps_url(case),
            {"step": "confirmation_application", "date": "2025-04-01"},
            content_type="application/json",
        )
        assert answer.status_code == 201, answer.json()
        answer = new_branch.post(
            steps_url(case),
            {
                "step": "confirmation_meeting",
                "date": "2025-04-15",
                "fields": {
                    "decision": "confirmed",
                    "attendance": [
                        {"member": pk, "present": True, "vote": "for"}
                        for pk in Member.objects.filter(
                            organisation=receiver["branch"], status="full"
                        ).values_list("pk", flat=True)
                    ],
                },
            },
            content_type="application/json",
        )
        assert answer.status_code == 201, answer.json()
        answer = new_street.post(
            steps_url(case),
            {
                "step": "confirmation_approval",
                "date": "2025-05-01",
                "fields": {"outcome": "pass", "person_name": "东城街道组织委员"},
            },
            content_type="application/json",
        )
        assert answer.status_code == 201, answer.json()
    case.refresh_from_db()
    member.refresh_from_db()
    assert member.status == "full" and case.org_path == new_path
    assert Case.objects.visible_to(world.users["zhibu"], "view").filter(pk=case.pk).count() == 0


def test_rows_of_other_members_stay(world, receiver):
    with freeze_time("2025-03-25 10:00:00+08:00"):
        mover, stayer = add_member(world.branch, "转走的"), add_member(world.branch, "留下的")
        for member in (mover, stayer):
            MemberLife.objects.create(
                member=member, org_path=world.branch.path, last_attended_on=D(2025, 3, 1)
            )
            CommunityReport.objects.create(
                member=member,
                org_path=world.branch.path,
                other_path=world.community.path,
                community=world.community,
                registered_on=D(2025, 3, 1),
            )
        transfer = services.issue_transfer(
            actor=world.users["zhibu"], member=mover, to_org=receiver["street"]
        )
        services.accept_transfer(actor=receiver["street_user"], transfer=transfer, branch=receiver["branch"])
    assert MemberLife.objects.get(member=stayer).org_path == world.branch.path
    assert CommunityReport.objects.get(member=stayer).org_path == world.branch.path
    assert CommunityReport.objects.get(member=mover).org_path == receiver["branch"].path
    assert Member.objects.get(pk=stayer.pk).org_path == world.branch.path
    assert not Certificate.objects.filter(member=mover, status="active").exists()
