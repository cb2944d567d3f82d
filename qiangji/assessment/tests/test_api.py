"""The API: scores with lines, the explanation with record links, the workflow's first steps, bad input."""

import pytest
from rest_framework.test import APIClient

from qiangji.assessment import selectors, services
from qiangji.assessment.models import Score, StarRating
from qiangji.assessment.tests.helpers import AS_OF, good_branch, pay_dues

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world, example_set):
    good_branch(world.branch)
    pay_dues(world.branch, unpaid=("王五",))
    run = services.compute_run(actor=world.users["xian"], indicator_set=example_set, as_of=AS_OF)
    return services.publish_run(actor=world.users["xian"], run=run)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_scores_and_explanation(world, published):
    score = Score.objects.get(run=published, organisation=world.branch)
    body = api(world.users["zhibu"]).get("/api/v1/assessment/scores/").json()
    assert [r["org_name"] for r in body["results"]] == ["幸福社区第一党支部"]
    detail = api(world.users["xian"]).get(f"/api/v1/assessment/scores/{score.pk}/").json()
    assert [line["points"] for line in detail["lines"]][:3] == [
        "30.00",
        "15.00",
        "0.00",
    ]  # 3 of 4 paid: below the 80 % zero line
    explanation = api(world.users["zhibu"]).get(f"/api/v1/assessment/scores/{score.pk}/explanation/").json()
    assert (
        explanation["next_stars"] == 2
        and explanation["gap"] == "0.00"
        or explanation["next_stars"] is not None
    )
    dues = next(line for line in explanation["lines"] if line["source"] == "dues_collection")
    missing = [item for item in dues["items"] if not item["ok"]]
    assert [item["label"][:2] for item in missing] == ["王五"] and missing[0]["url"].startswith(
        "/dues/members/"
    )
    for name in ("foreign",):
        assert (
            api(world.users[name]).get(f"/api/v1/assessment/scores/{score.pk}/explanation/").status_code
            == 404
        )
    assert api(world.users["foreign"]).get("/api/v1/assessment/scores/").json()["results"] == []


def test_self_assessment_review_decision_and_bad_input(world, published):
    score = Score.objects.get(run=published, organisation=world.branch)
    url = f"/api/v1/assessment/scores/{score.pk}/self-assessment/"
    bad = api(world.users["zhibu"]).post(url, {"stars": 7, "note": ""}, format="json")
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"stars", "note"}
    assert not StarRating.objects.exists()
    created = api(world.users["zhibu"]).post(url, {"stars": 2, "note": "自评"}, format="json")
    assert created.status_code == 201
    rating = created.json()["id"]
    refused = api(world.users["zhibu"]).post(
        f"/api/v1/assessment/ratings/{rating}/review/", {"stars": 2, "note": "x"}, format="json"
    )
    assert refused.status_code == 400 and "review_stars" in refused.json()["fields"]
    assert (
        api(world.users["foreign"])
        .post(f"/api/v1/assessment/ratings/{rating}/review/", {"stars": 2, "note": "x"}, format="json")
        .status_code
        == 404
    )
    ok = api(world.users["jiedao"]).post(
        f"/api/v1/assessment/ratings/{rating}/review/", {"stars": 2, "note": "同意"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "reviewed"
    assert selectors.todos(world.users["xian"])[0]["text"] == "1 个星级待党委决定"
    decided = api(world.users["xian"]).post(
        f"/api/v1/assessment/ratings/{rating}/decide/", {"stars": 2, "note": "决定"}, format="json"
    )
    assert decided.status_code == 200 and decided.json()["decided_stars"] == 2
    assert selectors.todos(world.users["xian"]) == []


def test_sets_visible_to_the_rated_and_not_to_a_foreign_county(world, published):
    assert [s["id"] for s in api(world.users["zhibu"]).get("/api/v1/assessment/sets/").json()["results"]] == [
        published.indicator_set_id
    ]
    assert (
        api(world.users["foreign"]).get(f"/api/v1/assessment/sets/{published.indicator_set_id}/").status_code
        == 404
    )
