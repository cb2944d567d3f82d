"""GET /api/v1/recruitment/due/: the same set-wise due list as the page, scoped, with query counts pinned."""

import datetime

from django.urls import reverse

from qiangji.core import dates
from qiangji.recruitment.tests.ui_factories import make_case

TODAY = dates.today()


def test_due_api_lists_my_subtree_only(world, client_as, django_assert_max_num_queries):
    make_case(world.branch, name="逾期者", applied_on=TODAY - datetime.timedelta(days=40))
    make_case(world.foreign_branch, name="外县", applied_on=TODAY - datetime.timedelta(days=40))
    client = client_as(world.users["zhibu"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("recruitment-due") + "?days=10")
    data = response.json()
    assert response.status_code == 200 and data["days"] == 10
    talk = next(row for row in data["summary"] if row["rule"].endswith("step02.talk_within"))
    assert talk["overdue"] == 1
    assert [item["name"] for item in data["items"]] == ["逾期者"]
    assert data["items"][0]["days_left"] < 0


def test_due_api_foreign_org_is_404_and_anonymous_401(world, client_as, client):
    assert client.get(reverse("recruitment-due")).status_code in (401, 403)
    response = client_as(world.users["zhibu"]).get(
        reverse("recruitment-due") + f"?org={world.foreign_branch.pk}"
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_due_api_rule_filter(world, client_as):
    make_case(world.branch, name="逾期者", applied_on=TODAY - datetime.timedelta(days=40))
    client = client_as(world.users["zhibu"])
    data = client.get(reverse("recruitment-due") + "?rule=step02.talk_within&limit=1").json()
    assert len(data["summary"]) == 1 and len(data["items"]) == 1
    assert client.get(reverse("recruitment-due") + "?rule=nope").status_code == 404
