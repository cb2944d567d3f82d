"""Navigation by role (issue #12 item 8): a plain member sees their own things (我的) and nothing of
management, and the management pages refuse them (403/404), not only hide the link."""

import pytest
from django.urls import reverse

from qiangji.core import navigation
from qiangji.core.scoping import scope_of

pytestmark = pytest.mark.django_db

MANAGEMENT_KEYS = {
    "orgs",
    "members",
    "recruitment",
    "dues",
    "mobility",
    "life",
    "dashboard",
    "imports",
    "audit",
}
MANAGEMENT_PAGES = [
    "orgs:tree",
    "recruitment:board",
    "recruitment:due",
    "recruitment:committee",
    "recruitment:plans",
    "recruitment:file-audits",
    "recruitment:form-ranges",
    "dashboard:home",
    "imports:new",
    "audit-log",
    "mobility:transfer-list",
    "mobility:flow-list",
    "dues:arrears",
    "dues:rates",
    "dues:remittance",
    "dues:reductions",
    "dues:suggestions",
]


def keys_for(user, path="/"):
    return {entry["key"]: entry for entry in navigation.entries_for(scope_of(user), user, path)}


def test_a_member_sees_their_own_things_and_no_management(world):
    shown = keys_for(world.users["dangyuan"])
    assert {"my-record", "my-dues", "my-meetings"} <= set(shown)
    assert all(shown[key]["section"] == "mine" for key in shown if key.startswith("my-"))
    assert not MANAGEMENT_KEYS & set(shown)
    assert "api-docs" not in shown
    assert shown["my-record"]["url"] == reverse("members:mine")


def test_a_secretary_sees_the_modules_and_not_the_member_entries_without_a_record(world):
    shown = keys_for(world.users["zhibu"])
    assert {"orgs", "members", "recruitment", "dues", "mobility", "life", "api-docs"} <= set(shown)
    assert "my-record" not in shown  # zhibu has no member record of their own


@pytest.mark.parametrize("name", MANAGEMENT_PAGES)
def test_management_pages_refuse_a_plain_member(world, client_as, name):
    response = client_as(world.users["dangyuan"]).get(reverse(name))
    assert response.status_code in (403, 404), (name, response.status_code)


@pytest.mark.parametrize("name", ["members:mine", "dues:mine", "life:home", "home"])
def test_the_member_pages_open_for_a_member(world, client_as, name):
    response = client_as(world.users["dangyuan"]).get(reverse(name), follow=True)
    assert response.status_code == 200, name
    assert "我的管辖范围" not in response.content.decode()


@pytest.mark.parametrize("name", ["orgs:tree", "recruitment:board", "dues:arrears", "mobility:transfer-list"])
def test_management_pages_still_open_for_a_secretary(world, client_as, name):
    assert client_as(world.users["zhibu"]).get(reverse(name)).status_code == 200
