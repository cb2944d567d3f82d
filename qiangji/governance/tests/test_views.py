"""Pages: every page renders for the roles that use it, forms call the services, refusals show on the form."""

import pytest
from django.urls import reverse

from qiangji.core.models import AuditEntry
from qiangji.governance import services
from qiangji.governance.models import CaseStep, Decision, PowerCase, WhistleReport
from qiangji.governance.tests.factories import DIBAO_DOCS, days_ago, run_case_to

pytestmark = pytest.mark.django_db


def open_case(gw):
    return services.open_case(
        actor=gw.secretary,
        village=gw.village,
        item=gw.item,
        applicant_name="张小三",
        subject="申请低保",
        opened_on=days_ago(40),
    )


@pytest.mark.parametrize("who", ["xian", "jiedao", "cunshuji"])
def test_the_pages_render(gw, client_as, who):
    user = gw.secretary if who == "cunshuji" else gw.world.users[who]
    case = open_case(gw)
    client = client_as(user)
    for name, args in [
        ("governance:home", []),
        ("governance:items", []),
        ("governance:item", [gw.item.pk]),
        ("governance:cases", []),
        ("governance:case", [case.pk]),
        ("governance:case-create", []),
        ("governance:decisions", []),
        ("governance:decision-create", []),
        ("governance:prereview", []),
        ("governance:rules", []),
        ("governance:reports", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name


def test_a_member_without_grants_gets_404_on_the_staff_pages(gw, client_as):
    client = client_as(gw.world.users["dangyuan"])
    assert client.get(reverse("governance:home")).status_code == 404


def test_taking_a_step_through_the_form_and_an_out_of_order_one_refused_on_the_form(gw, client_as):
    case = open_case(gw)
    client = client_as(gw.secretary)
    url = reverse("governance:case-step", args=[case.pk, 3])
    response = client.post(
        url,
        {
            "done_on": days_ago(30).isoformat(),
            "person_name": "甲",
            "outcome": "pass",
            "documents": DIBAO_DOCS[3],
        },
    )
    assert response.status_code == 200
    assert "不能跳过“申请受理”" in response.content.decode()
    url = reverse("governance:case-step", args=[case.pk, 1])
    response = client.post(
        url,
        {
            "done_on": days_ago(30).isoformat(),
            "person_name": "甲",
            "outcome": "pass",
            "documents": DIBAO_DOCS[1],
        },
    )
    assert response.status_code == 302
    assert CaseStep.objects.filter(case=case, order=1).exists()


def test_the_public_page_shows_masked_names_without_sign_in(gw, client):
    case = open_case(gw)
    run_case_to(gw, case, 4, start=30)
    response = client.get(reverse("governance:disclosure", args=[gw.village.code]))
    body = response.content.decode()
    assert response.status_code == 200 and "张*三" in body and "张小三" not in body


def test_a_named_officer_gets_404_on_the_report_page_and_it_is_audited(gw, client_as):
    client = client_as(gw.world.users["dangyuan"])
    response = client.post(
        reverse("governance:report-create", args=[gw.village.code]),
        {"content": "低保优亲厚友", "named_text": "王书记", "named_users": [str(gw.secretary.pk)]},
    )
    assert response.status_code == 302
    report = WhistleReport.objects.get()
    assert list(report.named_users.all()) == [gw.secretary]
    assert client_as(gw.secretary).get(reverse("governance:report", args=[report.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="governance.report.read_refused", actor=gw.secretary).count() == 1
    assert client_as(gw.discipline).get(reverse("governance:report", args=[report.pk])).status_code == 200


def test_the_decision_pages_walk_and_execution_is_refused_before_sign_off(gw, client_as):
    client = client_as(gw.secretary)
    response = client.post(
        reverse("governance:decision-create"),
        {
            "village": gw.village.pk,
            "matter": "project",
            "title": "修村道",
            "amount": "60000",
            "description": "硬化",
            "proposed_on": days_ago(20).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = Decision.objects.get()
    stage = lambda slug: reverse("governance:decision-stage", args=[decision.pk, slug])  # noqa: E731
    assert (
        client.post(
            stage("discuss"), {"discussed_on": days_ago(19).isoformat(), "attendees": "两委", "note": "同意"}
        ).status_code
        == 302
    )
    data = {"held_on": days_ago(18).isoformat(), **{f"p_{m.pk}": "for" for m in gw.members}}
    assert client.post(stage("party_members"), data).status_code == 302
    data = {"held_on": days_ago(17).isoformat(), **{f"p_{r.pk}": "for" for r in gw.reps}}
    data[f"p_{gw.reps[0].pk}"] = "absent"
    data[f"r_{gw.reps[0].pk}"] = "外出"
    assert client.post(stage("representatives"), data).status_code == 302
    assert (
        client.post(
            stage("publish"), {"published_on": days_ago(16).isoformat(), "text": "通过修村道决议"}
        ).status_code
        == 302
    )
    response = client.post(stage("execute"), {"executed_on": days_ago(10).isoformat(), "note": "开工"})
    assert response.status_code == 200 and "乡镇党委前置审核尚未审核" in response.content.decode()
    decision.refresh_from_db()
    assert decision.executed_on is None and decision.votes.get(kind="representatives").present == 5
    assert (
        client.get(stage("prereview")).status_code == 200
    )  # the village sees the form, the service refuses it
    response = client_as(gw.world.users["jiedao"]).post(
        stage("prereview"), {"approved": "1", "note": "同意", "reviewed_on": days_ago(12).isoformat()}
    )
    assert response.status_code == 302
    assert (
        client_as(gw.secretary)
        .post(stage("execute"), {"executed_on": days_ago(10).isoformat(), "note": "开工"})
        .status_code
        == 302
    )


def test_a_foreign_county_gets_404(gw, client_as):
    case = open_case(gw)
    client = client_as(gw.world.users["foreign"])
    assert client.get(reverse("governance:case", args=[case.pk])).status_code == 404
    assert client.post(reverse("governance:case-step", args=[case.pk, 1]), {}).status_code == 404
    assert PowerCase.objects.get().next_order == 1
