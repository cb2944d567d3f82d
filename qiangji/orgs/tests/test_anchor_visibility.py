"""A branch of a new employment group anchored to a second line (mobility DualAnchor) is visible to that line —
the node only (not its members' records, not its parent line), for reading; changes stay with its own line."""

import pytest
from django.urls import reverse

from qiangji.core.choices import Action
from qiangji.mobility import services
from qiangji.mobility.tests.factories import station
from qiangji.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchored(world):
    st = station(world)
    services.anchor_branch(
        actor=st.committee_user, branch=st.branch, second_org=world.street, second_kind="territory"
    )
    return st


def test_the_street_sees_the_anchored_branch_page_and_api(world, client_as, anchored):
    client = client_as(world.users["jiedao"])
    assert client.get(reverse("orgs:detail", kwargs={"pk": anchored.branch.pk})).status_code == 200
    assert client.get(f"/api/v1/organisations/{anchored.branch.pk}/").status_code == 200
    assert Organisation.objects.visible_to(world.users["jiedao"]).filter(pk=anchored.branch.pk).exists()


def test_only_the_node_for_reading(world, client_as, anchored):
    street = world.users["jiedao"]
    assert not Organisation.objects.visible_to(street, Action.CHANGE).filter(pk=anchored.branch.pk).exists()
    assert (
        not Organisation.objects.visible_to(street).filter(pk=anchored.committee.pk).exists()
    )  # its own line
    assert client_as(street).get(reverse("orgs:edit", kwargs={"pk": anchored.branch.pk})).status_code == 404


@pytest.mark.parametrize("user", ["zhibu", "foreign", "dangyuan"])
def test_others_still_get_404(world, client_as, anchored, user):
    """A branch below the street, another county, a member: the anchor is the street's, not theirs."""
    response = client_as(world.users[user]).get(reverse("orgs:detail", kwargs={"pk": anchored.branch.pk}))
    assert response.status_code == 404


def test_without_the_anchor_the_street_gets_404(world, client_as):
    st = station(world)
    assert (
        client_as(world.users["jiedao"]).get(reverse("orgs:detail", kwargs={"pk": st.branch.pk})).status_code
        == 404
    )


def test_the_own_line_still_sees_it(world, client_as, anchored):
    assert (
        client_as(anchored.committee_user)
        .get(reverse("orgs:detail", kwargs={"pk": anchored.branch.pk}))
        .status_code
        == 200
    )
