"""Recognition: nominate, review above, notice, award after the notice; recorded on the member's record."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from qiangji.assessment import selectors, services

pytestmark = pytest.mark.django_db


def test_nomination_to_award_on_the_members_record(world, client_as):
    nomination = services.nominate(
        actor=world.users["zhibu"],
        organisation=world.branch,
        kind="member",
        member=world.member,
        award="优秀党员货车司机",
        year=2026,
        reason="义务运送防疫物资",
    )
    with pytest.raises(ValidationError):  # a branch does not review its own nomination
        services.review_nomination(actor=world.users["zhibu"], nomination=nomination, approve=True, note="x")
    services.review_nomination(actor=world.users["jiedao"], nomination=nomination, approve=True, note="同意")
    start = datetime.date(2026, 12, 1)
    nomination = services.notice_nomination(
        actor=world.users["jiedao"], nomination=nomination, starts_on=start
    )
    with pytest.raises(ValidationError):  # the last day of the notice
        services.award_nomination(
            actor=world.users["jiedao"], nomination=nomination, on=datetime.date(2026, 12, 5)
        )
    services.award_nomination(
        actor=world.users["jiedao"], nomination=nomination, on=datetime.date(2026, 12, 6)
    )
    assert [n.award for n in selectors.awards_of_member(world.member)] == ["优秀党员货车司机"]
    assert client_as(world.users["foreign"]).get(f"/assessment/awards/{nomination.pk}/").status_code == 404
    assert (
        "已表彰"
        in client_as(world.users["zhibu"]).get(f"/assessment/awards/{nomination.pk}/").content.decode()
    )


def test_team_and_refusals(world, client_as):
    team = services.nominate(
        actor=world.users["zhibu"],
        organisation=world.branch,
        kind="team",
        team_name="先锋车队",
        award="先锋车队",
        year=2026,
        reason="x",
    )
    assert team.nominee_name == "先锋车队" and team.member is None
    with pytest.raises(ValidationError) as error:
        services.nominate(
            actor=world.users["zhibu"],
            organisation=world.branch,
            kind="member",
            member=world.foreign_member,
            award="x",
            year=2026,
            reason="x",
        )
    assert "member" in error.value.message_dict
    response = client_as(world.users["zhibu"]).post(
        "/assessment/awards/new/", {"kind": "team", "award": "", "year": "2026", "reason": "x"}
    )
    assert response.status_code == 200 and "award" in response.context["form"].errors
