"""Local check of this app's scope cases until the central walk runs them: every role but the foreign
county and the superuser gets 404 for a foreign organisation, on GET and POST, and nothing changes."""

import pytest
from django.urls import get_resolver, reverse

from qiangji.core.models import AuditEntry
from qiangji.orgs.models import Grant, Organisation
from qiangji.orgs.tests.scope_cases import CASES, EXEMPT

pytestmark = pytest.mark.django_db


def test_every_orgs_url_has_a_case():
    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    ours = {
        f"orgs:{name}"
        for name in get_resolver().namespace_dict["orgs"][1].reverse_dict
        if isinstance(name, str)
    }
    ours |= {name for name in names if name.startswith("organisation-")}
    assert ours - set(CASES) - set(EXEMPT) == set()


PICKERS = (
    "orgs:search",
    "orgs:picker-children",
    "organisation-search",
)  # searches: see test_pickers_exclude_foreign
API_WRITES = (  # POST/DELETE only: see test_api_writes_on_foreign_are_404
    "organisation-move",
    "organisation-merge",
    "organisation-dissolve",
    "organisation-elect",
    "organisation-grants",
    "grant-detail",
)


@pytest.mark.parametrize(
    "name", [n for n in CASES if "list" not in n and n != "orgs:tree" and n not in PICKERS + API_WRITES]
)
@pytest.mark.parametrize("username", ["sheng", "xian", "jiedao", "zhibu", "dangyuan", "nobody"])
def test_foreign_object_is_404(world, client_as, name, username):
    # "sheng" covers the whole province, including the foreign county: it may see it.
    url = reverse(name, kwargs=CASES[name](world))
    client = client_as(world.users[username])
    before = list(Organisation.objects.values_list("pk", "path", "name", "dissolved_on"))
    get_status = client.get(url).status_code
    if username == "sheng":  # the province may act there: only check that reading works
        assert get_status in (200, 405)
        return
    post_status = client.post(url, {"name": "改名", "on": "2025-01-01", "reason": "x"}).status_code
    assert get_status == 404
    # The API detail offers no POST at all: DRF answers 405 before any lookup, and nothing changes.
    assert post_status == (405 if name == "organisation-detail" else 404)
    assert list(Organisation.objects.values_list("pk", "path", "name", "dissolved_on")) == before
    assert not AuditEntry.objects.exists()
    assert Grant.objects.filter(user=world.users["foreign"]).exists()


@pytest.mark.parametrize("name", ["orgs:list", "organisation-list", "orgs:tree"])
def test_lists_exclude_foreign(world, client_as, name):
    html = client_as(world.users["xian"]).get(reverse(name)).content.decode()
    assert "另一县" not in html


@pytest.mark.parametrize("username", ["xian", "jiedao", "zhibu", "dangyuan", "nobody"])
def test_pickers_exclude_foreign(world, client_as, username):
    client = client_as(world.users[username])
    for name in ("orgs:search", "organisation-search"):
        response = client.get(reverse(name), {"q": "另一县"})
        assert response.status_code == 200 and response.json() == {"results": []}
    children = client.get(reverse("orgs:picker-children"), {"parent": world.foreign_county.pk})
    assert children.status_code == 404


@pytest.mark.parametrize("name", API_WRITES)
@pytest.mark.parametrize("username", ["xian", "jiedao", "zhibu", "dangyuan", "nobody"])
def test_api_writes_on_foreign_are_404(world, client_as, name, username):
    url = reverse(name, kwargs=CASES[name](world))
    client = client_as(world.users[username])
    before = list(Organisation.objects.values_list("pk", "path", "name", "dissolved_on"))
    send = client.delete if name == "grant-detail" else client.post
    response = send(url, {"new_parent": world.county.pk, "target": world.county.pk, "on": "2025-01-01"})
    assert response.status_code == 404, (name, username, response.status_code)
    assert list(Organisation.objects.values_list("pk", "path", "name", "dissolved_on")) == before
    assert Grant.objects.filter(user=world.users["foreign"]).exists()
