"""Dual mentors stay a pair (issue #11 item 10; 《中国共产党发展党员工作细则》第十一条): registering the
professional mentor does not end the political one; a new mentor ends only the open one of the same role."""

import pytest
from django.urls import reverse

from qiangji.recruitment import services
from qiangji.recruitment.tests.factories import D, case_at

pytestmark = pytest.mark.django_db
FIRST = D(2023, 3, 6)


def open_mentors(case):
    return sorted((m.member_id, m.role) for m in case.mentors.filter(ended_on__isnull=True))


def assign(world, case, members, roles, day=FIRST):
    return services.assign_mentors(
        actor=world.users["zhibu"], case=case, date=day, members=members, roles=roles
    )


def test_political_then_professional_is_a_pair(world, people):
    case = case_at(world, 4, people)
    assign(world, case, [people[0]], ["political"])
    assign(world, case, [people[1]], ["professional"], D(2023, 3, 7))
    assert open_mentors(case) == sorted([(people[0].pk, "political"), (people[1].pk, "professional")])


def test_a_new_mentor_of_the_same_role_replaces_only_that_one(world, people):
    case = case_at(world, 4, people)
    assign(world, case, [people[0], people[1]], ["political", "professional"])
    third = world.member
    assign(world, case, [third], ["professional"], D(2023, 6, 1))
    assert open_mentors(case) == sorted([(people[0].pk, "political"), (third.pk, "professional")])
    assert case.mentors.get(member=people[1]).ended_on == D(2023, 6, 1)


def test_a_general_mentor_replaces_the_pair(world, people):
    case = case_at(world, 4, people)
    assign(world, case, [people[0], people[1]], ["political", "professional"])
    assign(world, case, [world.member], ["general"], D(2023, 6, 1))
    assert open_mentors(case) == [(world.member.pk, "general")]


def test_the_pair_through_the_api_in_two_calls(world, people, client_as):
    case = case_at(world, 4, people)
    client, url = client_as(world.users["zhibu"]), reverse("recruitment-case-steps", args=[case.pk])
    for member, role, day in (
        (people[0], "political", "2023-03-06"),
        (people[1], "professional", "2023-03-07"),
    ):
        response = client.post(
            url,
            {"step": "mentors", "date": day, "fields": {"members": [member.pk], "roles": [role]}},
            content_type="application/json",
        )
        assert response.status_code == 201, response.json()
    assert len(open_mentors(case)) == 2
