"""The inflow branch of a mobile member (a flow it accepted, mobility) reads the member's organisational life —
attendance at home meetings and MemberLife — and records their attendance at its own meetings, as a guest credited
at home too (docs/rules.md §5: a mobile member may join the life of several organisations).  Before it accepts,
after the flow ends, and for anyone else: 404."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse
from freezegun import freeze_time

from qiangji.core.choices import Action
from qiangji.life import selectors, services
from qiangji.life.models import Attendance, MemberLife
from qiangji.life.tests.factories import meeting_type, schedule
from qiangji.mobility import services as mobility
from qiangji.mobility.tests.factories import FLOW_VALUES, station
from qiangji.testing import add_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def frozen():
    with freeze_time("2026-03-10 10:00:00+08:00"):
        yield


@pytest.fixture
def inflow(world):
    st = station(world)
    flow = mobility.register_outflow(
        actor=world.users["zhibu"], member=world.member, values=FLOW_VALUES, in_org=st.branch
    )
    home = schedule(world, planned_on=DAY, title="幸福社区三月支部党员大会")
    services.record_attendance(
        actor=world.users["zhibu"], meeting=home, member=world.member, status="present"
    )
    services.record_held(actor=world.users["zhibu"], meeting=home, held_on=DAY)
    return st, flow


def accept(inflow):
    st, flow = inflow
    return mobility.accept_inflow(actor=st.user, flow=flow)


def test_pending_flow_is_still_a_404(world, client_as, inflow):
    st, _flow = inflow
    url = reverse("life:member-life", kwargs={"pk": world.member.pk})
    assert client_as(st.user).get(url).status_code == 404
    assert not MemberLife.objects.visible_to(st.user).exists()


def test_inflow_branch_reads_the_members_life(world, client_as, inflow):
    st, _flow = inflow
    accept(inflow)
    page = client_as(st.user).get(reverse("life:member-life", kwargs={"pk": world.member.pk}))
    assert page.status_code == 200 and "幸福社区三月支部党员大会" in page.content.decode()
    assert list(MemberLife.objects.visible_to(st.user).values_list("member_id", flat=True)) == [
        world.member.pk
    ]
    assert set(Attendance.objects.visible_to(st.user).values_list("member_id", flat=True)) == {
        world.member.pk
    }
    assert (
        client_as(st.committee_user)
        .get(reverse("life:member-life", kwargs={"pk": world.member.pk}))
        .status_code
        == 200
    )  # the committee above the inflow branch too
    other = add_member(world.branch, "没外出的")
    assert client_as(st.user).get(reverse("life:member-life", kwargs={"pk": other.pk})).status_code == 404
    assert (
        client_as(world.users["foreign"])
        .get(reverse("life:member-life", kwargs={"pk": world.member.pk}))
        .status_code
        == 404
    )


def test_inflow_branch_records_attendance_as_a_guest_credited_home(world, client_as, inflow):
    st, _flow = inflow
    accept(inflow)
    meeting = services.schedule_meeting(
        actor=st.user,
        organisation=st.branch,
        meeting_type=meeting_type("branch_general"),
        planned_on=datetime.date(2026, 3, 10),
        title="站点支部党员大会",
    )
    response = client_as(st.user).post(
        reverse("life:attendance", kwargs={"pk": meeting.pk}),
        {"member": world.member.pk, "status": "present"},
    )
    assert response.status_code == 302
    row = Attendance.objects.get(meeting=meeting, member=world.member)
    assert row.is_guest and row.status == "present"
    assert row.home_organisation == world.branch and row.home_org_path == world.branch.path
    with freeze_time("2026-04-02 10:00:00+08:00"):
        services.record_held(actor=st.user, meeting=meeting, held_on=datetime.date(2026, 4, 1))
    life = MemberLife.objects.get(member=world.member)
    assert (
        life.last_attended_on == datetime.date(2026, 4, 1) and life.org_path == world.branch.path
    )  # credited home


def test_others_cannot_record_for_the_inflow_branch(world, inflow):
    st, _flow = inflow
    meeting = services.schedule_meeting(
        actor=st.user, organisation=st.branch, meeting_type=meeting_type("branch_general"), planned_on=DAY
    )
    with pytest.raises(Http404):  # not accepted yet
        services.record_attendance(actor=st.user, meeting=meeting, member=world.member, status="present")
    accept(inflow)
    with pytest.raises(Http404):  # a member of the home branch who did not go out
        services.record_attendance(
            actor=st.user, meeting=meeting, member=add_member(world.branch, "留守"), status="present"
        )
    with pytest.raises(Http404):  # the inflow branch's right covers its own meetings only
        services.record_attendance(
            actor=st.user, meeting=schedule(world, planned_on=DAY), member=world.member, status="present"
        )


def test_ended_flow_closes_the_access(world, client_as, inflow):
    st, flow = inflow
    accept(inflow)
    assert selectors.member_for(st.user, world.member.pk) == world.member
    mobility.end_flow(actor=world.users["zhibu"], flow=flow)
    with pytest.raises(Http404):
        selectors.member_for(st.user, world.member.pk)
    with pytest.raises(Http404):
        selectors.member_for(st.user, world.member.pk, Action.CHANGE)
