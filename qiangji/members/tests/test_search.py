"""The member picker's search (members:search) and the roster's organisation filter as a picker."""

import pytest
from django.urls import reverse

from qiangji.testing import add_org

pytestmark = pytest.mark.django_db


def names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_member_search_by_name_pinyin_and_scope(world, client_as):
    client = client_as(world.users["xian"])
    assert names(client.get(reverse("members:search"), {"q": "李"})) == ["李四"]
    assert names(client.get(reverse("members:search"), {"q": "shanx"})) == [
        "单雄信"
    ]  # surname reading 单 = shan
    row = client.get(reverse("members:search"), {"q": "wangwu"}).json()["results"][0]
    assert row["org_name"] == "幸福社区第一党支部" and row["kind"] == "正式党员"
    assert names(client.get(reverse("members:search"), {"q": "外县"})) == []
    within = client.get(reverse("members:search"), {"q": "李", "org": world.branch2.pk})
    assert names(within) == []
    assert (
        client.get(reverse("members:search"), {"q": "李", "org": world.foreign_branch.pk}).status_code == 404
    )
    assert client.get(reverse("members:search"), {"q": "李", "action": "nope"}).status_code == 400
    # the same client signed in as the foreign county (client_as re-logs the one test client)
    assert names(client_as(world.users["foreign"]).get(reverse("members:search"), {"q": "外县"})) == [
        "外县党员"
    ]


def test_roster_org_filter_is_a_picker_beyond_thirty_and_filters(world, client_as):
    for index in range(32):
        add_org(world.community, f"测试党支部{index:02d}", "branch")
    client = client_as(world.users["xian"])
    page = client.get(reverse("members:list")).content.decode()
    assert "data-qj-picker" in page and reverse("orgs:search") in page
    # typed by name without picking: the roster is filtered to that branch's subtree
    html = client.get(reverse("members:list"), {"org_text": "幸福社区第二党支部"}).content.decode()
    assert "李四" not in html
    html = client.get(reverse("members:list"), {"org": world.branch.pk}).content.decode()
    assert "李四" in html and "幸福社区第一党支部" in html
