import pytest

from qiangji.core.models import AuditEntry
from qiangji.orgs.models import Organisation
from qiangji.testing import add_org

pytestmark = pytest.mark.django_db
URL = "/api/v1/organisations/"


def names(response):
    return {row["name"] for row in response.json()["results"]}


def test_list_is_scoped(world, client_as):
    response = client_as(world.users["jiedao"]).get(URL)
    assert response.status_code == 200
    assert names(response) == {"城关街道党工委", "幸福社区党委", "幸福社区第一党支部", "幸福社区第二党支部"}


def test_list_filters(world, client_as):
    client = client_as(world.users["xian"])
    assert names(client.get(URL, {"ancestor": world.community.pk})) == {
        "幸福社区党委",
        "幸福社区第一党支部",
        "幸福社区第二党支部",
    }
    assert names(client.get(URL, {"kind": "working_committee"})) == {"城关街道党工委"}
    assert names(client.get(URL, {"search": "第二"})) == {"幸福社区第二党支部"}
    assert names(client.get(URL, {"ancestor": world.foreign_county.pk})) == set()
    row = client.get(URL, {"search": "第二"}).json()["results"][0]
    assert row["parent"] == world.community.pk and row["kind_display"] == "党支部"


def test_list_query_count_is_pinned(world, client_as, django_assert_max_num_queries):
    for index in range(20):
        add_org(world.community, f"支部{index}", "branch", "community")
    client = client_as(world.users["xian"])
    client.get(URL)
    # session, user, grants, member records (scope), count, page, parents of the page: not one per row
    with django_assert_max_num_queries(7):
        response = client.get(URL)
    assert response.json()["count"] == 25


def test_detail_and_foreign_404(world, client_as):
    client = client_as(world.users["xian"])
    assert client.get(f"{URL}{world.branch.pk}/").json()["parent"] == world.community.pk
    response = client.get(f"{URL}{world.foreign_branch.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_anonymous_and_member(world, client, client_as):
    assert client.get(URL).status_code in (401, 403)
    assert names(client_as(world.users["dangyuan"]).get(URL)) == {"幸福社区第一党支部"}
    assert names(client_as(world.users["nobody"]).get(URL)) == set()


def test_create_through_service(world, client_as):
    client = client_as(world.users["jiedao"])
    response = client.post(
        URL,
        {
            "parent": world.community.pk,
            "name": "幸福社区第三党支部",
            "kind": "branch",
            "category": "community",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    org = Organisation.objects.get(name="幸福社区第三党支部")
    assert response.json()["parent"] == world.community.pk and org.region_code == "370124"
    assert AuditEntry.objects.filter(action="orgs.organisation.created", target_id=str(org.pk)).exists()


def test_create_refusals(world, client_as):
    client = client_as(world.users["jiedao"])
    before = Organisation.objects.count()
    response = client.post(
        URL,
        {"parent": world.foreign_county.pk, "name": "X", "kind": "branch"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = client.post(
        URL, {"parent": world.branch.pk, "name": "X", "kind": "branch"}, content_type="application/json"
    )
    assert response.status_code == 400 and "党支部下不能设立下级党组织" in response.json()["detail"]
    response = client.post(
        URL,
        {"parent": world.community.pk, "name": "X", "kind": "branch", "division_code": "1"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "division_code" in response.json()["fields"]
    response = client_as(world.users["zhibu"]).post(
        URL, {"parent": world.branch.pk, "name": "X", "kind": "branch"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Organisation.objects.count() == before
