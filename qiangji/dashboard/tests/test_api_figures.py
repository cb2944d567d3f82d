"""GET /api/v1/dashboard/orgs/<pk>/summary|trend|children/: figures, scope (404), bad input (400)."""

import pytest
from django.urls import reverse

from qiangji.dashboard.indicators import INDICATORS
from qiangji.dashboard.rollups import engine
from qiangji.dashboard.tests.rollup_world import populate


@pytest.fixture
def built(world):
    populate(world)
    engine.rebuild()
    return world


def url(name, org, query=""):
    return reverse(name, kwargs={"pk": org.pk}) + (f"?{query}" if query else "")


def test_summary_lists_every_figure_with_its_quality_note(built, client_as):
    response = client_as(built.users["sheng"]).get(url("dashboard-summary", built.province))
    assert response.status_code == 200
    body = response.json()
    assert [f["code"] for f in body["figures"]] == [i.code for i in INDICATORS]
    members = next(f for f in body["figures"] if f["code"] == "members")
    assert members["value"] == 7 and members["updated_at"] and members["completeness"] is not None
    assert body["exception_counts"]["term_overdue"] == 1
    assert body["data_state"]["last_rebuild_at"]


@pytest.mark.parametrize("name", ["dashboard-summary", "dashboard-trend", "dashboard-children"])
@pytest.mark.parametrize(
    "role, status",
    [("sheng", 200), ("xian", 200), ("zhibu", 404), ("foreign", 404), ("dangyuan", 404), ("nobody", 404)],
)
def test_every_role_sees_only_its_subtree(built, client_as, name, role, status):
    response = client_as(built.users[role]).get(url(name, built.county))
    assert response.status_code == status
    if status == 404:
        assert response.json()["code"] == "not_found"


def test_anonymous_is_refused(built, client):
    assert client.get(url("dashboard-summary", built.county)).status_code in (401, 403)


def test_a_branch_secretary_reads_the_branch(built, client_as):
    response = client_as(built.users["zhibu"]).get(url("dashboard-summary", built.branch))
    assert response.status_code == 200


def test_trend_months(built, client_as):
    client = client_as(built.users["sheng"])
    body = client.get(url("dashboard-trend", built.province, "months=6")).json()
    assert len(body["months"]) == 6 and "members" in body["months"][-1]["figures"]
    bad = client.get(url("dashboard-trend", built.province, "months=30"))
    assert bad.status_code == 400 and "1至24" in bad.json()["detail"]


def test_children_and_worst(built, client_as):
    client = client_as(built.users["sheng"])
    body = client.get(url("dashboard-children", built.community)).json()
    assert {row["name"] for row in body["results"]} == {"幸福社区第一党支部", "幸福社区第二党支部"}
    worst = client.get(url("dashboard-children", built.community, "indicator=term_overdue&worst=1")).json()
    assert [(row["name"], row["value"]) for row in worst["results"]] == [("幸福社区第二党支部", 1)]


@pytest.mark.parametrize(
    "query, field",
    [("indicator=nope", "indicator"), ("worst=3", "indicator"), ("indicator=members&worst=0", "worst")],
)
def test_children_bad_input(built, client_as, query, field):
    response = client_as(built.users["sheng"]).get(url("dashboard-children", built.community, query))
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_query_counts_are_pinned(built, client_as, django_assert_max_num_queries):
    client = client_as(built.users["sheng"])
    with django_assert_max_num_queries(12):
        client.get(url("dashboard-summary", built.province))
    with django_assert_max_num_queries(12):
        client.get(url("dashboard-children", built.province))
