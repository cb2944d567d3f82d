"""Organisation search for pickers (orgs:search, /api/v1/organisations/search/): name, part, pinyin, initials,
ranked, within the user's scope for the action asked."""

import pytest
from django.urls import reverse

from qiangji.orgs import search
from qiangji.orgs.search import org_pinyin

pytestmark = pytest.mark.django_db


def names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_org_pinyin():
    assert org_pinyin("幸福社区第一党支部") == ("xingfushequdiyidangzhibu", "xfsqdydzb")


def test_part_of_name_prefix_first_and_shape(world, client_as):
    client = client_as(world.users["xian"])
    response = client.get(reverse("orgs:search"), {"q": "幸福社区"})
    assert names(response) == ["幸福社区党委", "幸福社区第一党支部", "幸福社区第二党支部"]
    first = response.json()["results"][0]
    assert first == {
        "id": world.community.pk,
        "name": "幸福社区党委",
        "path": world.community.path,
        "kind": "党委",
        "parent_name": "城关街道党工委",
    }
    # a middle part of the name: contains, ranked after prefixes
    assert names(client.get(reverse("orgs:search"), {"q": "第二"})) == ["幸福社区第二党支部"]


def test_pinyin_and_initials(world, client_as):
    client = client_as(world.users["xian"])
    assert names(client.get(reverse("orgs:search"), {"q": "xingfu"}))[0] == "幸福社区党委"
    assert names(client.get(reverse("orgs:search"), {"q": "XFSQDY"})) == ["幸福社区第一党支部"]
    assert names(client.get(reverse("orgs:search"), {"q": "chengguan"})) == ["城关街道党工委"]
    assert names(client.get(reverse("orgs:search"), {"q": "zzzz"})) == []


def test_scope_and_action(world, client_as):
    # the foreign county is invisible to the county clerk, and the county is invisible to the street
    assert names(client_as(world.users["xian"]).get(reverse("orgs:search"), {"q": "另一县"})) == []
    assert "另一县委" in names(client_as(world.users["sheng"]).get(reverse("orgs:search"), {"q": "另一县"}))
    assert names(client_as(world.users["jiedao"]).get(reverse("orgs:search"), {"q": "县委"})) == []
    # a branch secretary may view but not manage the tree: nothing to pick for manage_tree
    branch_client = client_as(world.users["zhibu"])
    assert names(branch_client.get(reverse("orgs:search"), {"q": "幸福"})) == ["幸福社区第一党支部"]
    assert names(branch_client.get(reverse("orgs:search"), {"q": "幸福", "action": "manage_tree"})) == []


def test_bad_action_is_400_and_anonymous_redirected(world, client_as, client):
    assert client.get(reverse("orgs:search"), {"q": "幸福"}).status_code == 302
    response = client_as(world.users["xian"]).get(reverse("orgs:search"), {"q": "幸福", "action": "bogus"})
    assert response.status_code == 400 and "action" in response.json()["fields"]


def test_dissolved_left_out_and_at_most_twenty(world, client_as):
    import datetime

    from qiangji.testing import add_org

    for index in range(25):
        add_org(world.branch2, f"测试小组{index:02d}", "branch")
    gone = add_org(world.branch2, "测试小组99", "branch", dissolved_on=datetime.date(2024, 1, 2))
    client = client_as(world.users["xian"])
    found = names(client.get(reverse("orgs:search"), {"q": "测试小组"}))
    assert len(found) == 20 and found[0] == "测试小组00" and gone.name not in found
    with_dissolved = client.get(reverse("orgs:search"), {"q": "测试小组99", "include_dissolved": "1"})
    assert names(with_dissolved) == ["测试小组99"]


def test_search_function_ranks_exact_first(world):
    from qiangji.testing import add_org

    add_org(world.community, "幸福", "branch")
    found = search.search_organisations(world.users["xian"], "幸福")
    assert found[0].name == "幸福"


def test_api_search(world, client_as):
    client = client_as(world.users["xian"])
    response = client.get("/api/v1/organisations/search/", {"q": "xfsq"})
    assert names(response)[0] == "幸福社区党委"
    assert response.json()["results"][0]["parent_name"] == "城关街道党工委"
    bad = client.get("/api/v1/organisations/search/", {"q": "x", "action": ""})
    assert bad.status_code == 400 and "action" in bad.json()["fields"]
    missing = client.get("/api/v1/organisations/search/")
    assert missing.status_code == 400 and "q" in missing.json()["fields"]
    assert names(client_as(world.users["foreign"]).get("/api/v1/organisations/search/", {"q": "幸福"})) == []


def test_picker_children(world, client_as):
    client = client_as(world.users["xian"])
    top = client.get(reverse("orgs:picker-children")).json()["results"]
    assert [row["name"] for row in top] == ["某县委"] and top[0]["has_children"] and top[0]["selectable"]
    rows = client.get(reverse("orgs:picker-children"), {"parent": world.community.pk}).json()["results"]
    assert [row["name"] for row in rows] == ["幸福社区第一党支部", "幸福社区第二党支部"]
    assert client.get(reverse("orgs:picker-children"), {"parent": world.foreign_county.pk}).status_code == 404
    rows = (
        client_as(world.users["zhibu"])
        .get(reverse("orgs:picker-children"), {"action": "manage_tree"})
        .json()["results"]
    )
    assert [(row["name"], row["selectable"]) for row in rows] == [("幸福社区第一党支部", False)]
