"""Admission-form number ranges (issue #11 item 11): an API to list and register them, only by an
organisation that may issue the numbers (《中国共产党发展党员工作细则》第二十条; `signoffs.may_sign`, rule
step14.issuer_kind), the step-14 form saying where the number comes from, and ranges in the demo data."""

import pytest
from django.urls import reverse

from qiangji.recruitment import services
from qiangji.recruitment.demo import form_ranges
from qiangji.recruitment.models import AdmissionFormRange
from qiangji.recruitment.rules import RuleViolation
from qiangji.recruitment.tests.factories import D, case_at

pytestmark = pytest.mark.django_db
URL = "recruitment-form-range-list"


def body(org, **extra):
    return {
        "organisation": org.pk,
        "first_number": 1,
        "last_number": 50,
        "received_on": "2024-01-02",
        "prefix": "CG",
        **extra,
    }


def test_the_street_committee_registers_a_range_and_lists_it(world, client_as):
    client = client_as(world.users["jiedao"])
    response = client.post(reverse(URL), body(world.street), content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["label"] == "CG000001–CG000050" and response.json()["remaining"] == 50
    listed = client.get(reverse(URL)).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["prefix"] for row in rows] == ["CG"]


def test_a_community_committee_under_a_street_may_not_issue_numbers(world, client_as):
    response = client_as(world.users["jiedao"]).post(
        reverse(URL), body(world.community), content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["rule"].endswith("step14.issuer_kind")
    assert not AdmissionFormRange.objects.exists()
    with pytest.raises(RuleViolation):
        services.add_form_range(
            actor=world.users["jiedao"],
            organisation=world.community,
            first_number=1,
            last_number=5,
            received_on=D(2024, 1, 2),
        )


def test_a_branch_secretary_cannot_register_and_a_foreign_subtree_is_404(world, client_as):
    response = client_as(world.users["zhibu"]).post(
        reverse(URL), body(world.street), content_type="application/json"
    )
    assert response.status_code in (403, 404, 422)
    response = client_as(world.users["foreign"]).post(
        reverse(URL), body(world.street), content_type="application/json"
    )
    assert response.status_code == 404
    assert not AdmissionFormRange.objects.exists()


def test_the_step_14_form_says_where_the_number_comes_from(world, people, client_as):
    case = case_at(world, 13, people)
    url = reverse("recruitment:step", args=[case.pk]) + "?step=14"
    client = client_as(world.users["zhibu"])
    page = client.get(url).content.decode()
    assert "尚未登记可用的入党志愿书编号段" in page and world.street.name in page
    services.add_form_range(
        actor=world.users["jiedao"],
        organisation=world.street,
        first_number=1,
        last_number=100,
        received_on=D(2023, 1, 1),
        prefix="XF",
    )
    page = client.get(url).content.decode()
    assert "XF000001–XF000100" in page and "剩余100个" in page


def test_the_demo_gives_every_approving_committee_a_range():
    class Org:
        def __init__(self, pk, path, approver=None):
            self.id, self.path, self.approver = pk, path, approver

    county_org = Org(1, "0001")
    street = Org(2, "00010001")

    class County:
        code, org = "330102", county_org
        branches = [Org(3, "000100010001", street), Org(4, "000100010002", street), Org(5, "00010002")]

    rows = form_ranges(County, D(2026, 5, 1))
    assert [(row["organisation_id"], row["next_number"], row["last_number"]) for row in rows] == [
        (1, 1, 500),
        (2, 1, 500),
    ]
    assert len({row["prefix"] for row in rows}) == 2
