"""The API: the same services, 400 naming the field for bad input, 404 outside the scope, the public page."""

import pytest
from rest_framework.test import APIClient

from qiangji.governance import services
from qiangji.governance.models import Decision, PowerCase
from qiangji.governance.tests.factories import days_ago

pytestmark = pytest.mark.django_db
BASE = "/api/v1/governance"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_open_a_case_and_take_steps_in_order(gw):
    client = api(gw.secretary)
    response = client.post(
        f"{BASE}/cases/",
        {
            "village": gw.village.pk,
            "item": gw.item.pk,
            "applicant_name": "张小三",
            "subject": "低保",
            "opened_on": days_ago(30).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = client.post(
        f"{BASE}/cases/{pk}/steps/",
        {"order": 2, "done_on": days_ago(29).isoformat(), "person_name": "甲", "documents": [1]},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "order" in body["fields"] and "docs/rules.md §9" in body["detail"]
    response = client.post(
        f"{BASE}/cases/{pk}/steps/",
        {"order": 1, "done_on": days_ago(29).isoformat(), "person_name": "甲", "documents": [1, 2, 3, 4]},
        format="json",
    )
    assert response.status_code == 200 and response.json()["next_order"] == 2


@pytest.mark.parametrize(
    "body,field",
    [
        ({"order": 0, "done_on": "2026-01-01", "person_name": "x"}, "order"),
        ({"order": 1, "done_on": "not-a-date", "person_name": "x"}, "done_on"),
        ({"order": 1, "done_on": "2026-01-01", "person_name": "x", "step_outcome": ""}, "step_outcome"),
    ],
)
def test_bad_input_is_400_naming_the_field(gw, body, field):
    case = services.open_case(
        actor=gw.secretary,
        village=gw.village,
        item=gw.item,
        applicant_name="张三",
        subject="低保",
        opened_on=days_ago(30),
    )
    response = api(gw.secretary).post(f"{BASE}/cases/{case.pk}/steps/", body, format="json")
    assert response.status_code == 400 and field in response.json()["fields"]
    assert not case.records.exists()


def test_a_foreign_case_is_404(gw):
    case = services.open_case(
        actor=gw.secretary,
        village=gw.village,
        item=gw.item,
        applicant_name="张三",
        subject="低保",
        opened_on=days_ago(30),
    )
    client = api(gw.world.users["foreign"])
    assert client.get(f"{BASE}/cases/{case.pk}/").status_code == 404
    assert (
        client.post(
            f"{BASE}/cases/{case.pk}/steps/",
            {"order": 1, "done_on": days_ago(1).isoformat(), "person_name": "x"},
            format="json",
        ).status_code
        == 404
    )
    assert PowerCase.objects.get().next_order == 1


def test_the_public_disclosure_needs_no_sign_in_and_masks_names(gw):
    response = api().get(f"{BASE}/public/{gw.village.code}/")
    assert response.status_code == 200 and response.json()["notices"] == []
    assert api().get(f"{BASE}/public/nope/").status_code == 404


def test_a_named_officer_gets_404_on_the_report(gw):
    response = api(gw.world.users["dangyuan"]).post(
        f"{BASE}/reports/",
        {"village": gw.village.pk, "content": "优亲厚友", "named_users": [gw.world.users["jiedao"].pk]},
        format="json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert api(gw.world.users["jiedao"]).get(f"{BASE}/reports/{pk}/").status_code == 404
    assert api(gw.discipline).get(f"{BASE}/reports/{pk}/").status_code == 200
    assert api(gw.secretary).get(f"{BASE}/reports/").json()["count"] == 0


def test_decision_execution_before_sign_off_is_400(gw):
    client = api(gw.secretary)
    response = client.post(
        f"{BASE}/decisions/",
        {
            "village": gw.village.pk,
            "matter": "project",
            "title": "修村道",
            "amount": "60000",
            "description": "硬化",
            "proposed_on": days_ago(20).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert (
        client.post(
            f"{BASE}/decisions/{pk}/discuss/",
            {"discussed_on": days_ago(19).isoformat(), "attendees": "两委", "note": "同意"},
            format="json",
        ).status_code
        == 200
    )
    lines = [{"member": m.pk, "present": True, "vote": "for"} for m in gw.members]
    assert (
        client.post(
            f"{BASE}/decisions/{pk}/vote/",
            {"meeting": "party_members", "held_on": days_ago(18).isoformat(), "attendance": lines},
            format="json",
        ).status_code
        == 200
    )
    lines = [
        {"representative": r.pk, "present": i < 3, "vote": "for", "reason": "外出"}
        for i, r in enumerate(gw.reps)
    ]
    response = client.post(
        f"{BASE}/decisions/{pk}/vote/",
        {"meeting": "representatives", "held_on": days_ago(17).isoformat(), "attendance": lines},
        format="json",
    )
    assert response.status_code == 400 and "不足法定人数" in response.json()["detail"]
    lines = [{"representative": r.pk, "present": True, "vote": "for"} for r in gw.reps]
    assert (
        client.post(
            f"{BASE}/decisions/{pk}/vote/",
            {"meeting": "representatives", "held_on": days_ago(17).isoformat(), "attendance": lines},
            format="json",
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"{BASE}/decisions/{pk}/publish/",
            {"published_on": days_ago(16).isoformat(), "text": "通过"},
            format="json",
        ).status_code
        == 200
    )
    response = client.post(
        f"{BASE}/decisions/{pk}/execute/",
        {"executed_on": days_ago(10).isoformat(), "note": "开工"},
        format="json",
    )
    assert response.status_code == 400 and "前置审核" in response.json()["detail"]
    queue = api(gw.world.users["jiedao"]).get(f"{BASE}/decisions/prereview_queue/").json()
    assert [row["id"] for row in queue["results"]] == [pk]
    assert (
        api(gw.world.users["jiedao"])
        .post(
            f"{BASE}/decisions/{pk}/prereview/",
            {"approved": True, "reviewed_on": days_ago(12).isoformat()},
            format="json",
        )
        .status_code
        == 200
    )
    assert (
        client.post(
            f"{BASE}/decisions/{pk}/execute/",
            {"executed_on": days_ago(10).isoformat(), "note": "开工"},
            format="json",
        ).status_code
        == 200
    )
    assert Decision.objects.get().stage == "executed"
