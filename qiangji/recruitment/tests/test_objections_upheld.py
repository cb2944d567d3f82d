"""Upheld objections (issue #11): an objection found to be valid (属实) keeps the step its notice is for
blocked after it is resolved, citing the same rule as an open objection; one not upheld lets it go on."""

import pytest
from django.urls import reverse

from qiangji.core.models import AuditEntry
from qiangji.recruitment import services
from qiangji.recruitment.models import StepRecord
from qiangji.recruitment.rules import RuleViolation
from qiangji.recruitment.selectors.state import step_state
from qiangji.recruitment.tests.factories import D, case_at

pytestmark = pytest.mark.django_db

RULE = "fzdy-2014:step03.notice_closed"


def _objection(world, people):
    case = case_at(world, 2, people)  # talk 2023-01-20
    notice = services.publish_notice(
        actor=world.users["zhibu"],
        case=case,
        purpose="activist",
        starts_on=D(2023, 2, 6),
        working_days=5,
        place="社区公示栏",
        text_="拟确定",
    )
    objection = services.record_objection(
        actor=world.users["zhibu"], notice=notice, received_on=D(2023, 2, 8), summary="群众反映情况"
    )
    return case, objection


def test_resolved_not_upheld_lets_the_step_through(world, people):
    case, objection = _objection(world, people)
    services.resolve_objection(
        actor=world.users["zhibu"], objection=objection, resolved_on=D(2023, 2, 15), resolution="经核实不属实"
    )
    assert step_state(case, 3, D(2023, 2, 20)).allowed
    assert services.designate_activist(actor=world.users["zhibu"], case=case, date=D(2023, 2, 20)).step == 3


def test_resolved_upheld_is_refused_and_shown_as_not_allowed(world, people):
    case, objection = _objection(world, people)
    resolved = services.resolve_objection(
        actor=world.users["zhibu"],
        objection=objection,
        resolved_on=D(2023, 2, 15),
        resolution="经核实属实",
        upheld=True,
    )
    assert resolved.upheld
    entry = AuditEntry.objects.get(action="recruitment.objection.resolved", target_id=str(case.pk))
    assert entry.after["upheld"] is True
    state = step_state(case, 3, D(2023, 2, 20))
    assert not state.allowed
    fact = state.fact("step03.notice_closed")
    assert "经核实属实（2023-02-15 处理）" in fact.text and "审批党委记录例外" in fact.text
    with pytest.raises(RuleViolation) as info:
        services.designate_activist(actor=world.users["zhibu"], case=case, date=D(2023, 2, 20))
    assert info.value.rule == RULE
    assert "经核实属实" in info.value.detail
    assert not step_state(case, 4, D(2023, 3, 5)).fact("step03.notice_closed")  # other steps unaffected


def test_the_committees_exception_lets_an_upheld_objection_through(world, people):
    case, objection = _objection(world, people)
    services.resolve_objection(
        actor=world.users["zhibu"],
        objection=objection,
        resolved_on=D(2023, 2, 15),
        resolution="属实",
        upheld=True,
    )
    services.record_gate_override(
        actor=world.users["jiedao"],
        case=case,
        rule_code=RULE,
        reason="反映问题属实但情节轻微，本人已作深刻检查，经党委研究同意继续培养",
    )
    assert step_state(case, 3, D(2023, 2, 20)).allowed


@pytest.mark.parametrize(("upheld", "status"), [(False, 201), (True, 422)])
def test_api_agrees(world, people, client_as, upheld, status):
    case, objection = _objection(world, people)
    client, url = client_as(world.users["zhibu"]), reverse("recruitment-case-steps", args=[case.pk])
    fields = {"objection": objection.pk, "resolution": "已核实", "upheld": upheld}
    response = client.post(
        url,
        {"step": "objection_resolution", "date": "2023-02-15", "fields": fields},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content[:300]
    objection.refresh_from_db()
    assert objection.upheld is upheld
    assert step_state(case, 3, D(2023, 2, 20)).allowed is (not upheld)
    response = client.post(url, {"step": "activist", "date": "2023-02-20"}, content_type="application/json")
    assert response.status_code == status, response.content[:300]
    if status == 422:
        assert response.json()["rule"] == RULE


@pytest.mark.parametrize("value", ["maybe", 3, [True], {"x": 1}])
def test_a_bad_upheld_value_is_400_naming_the_field(world, people, client_as, value):
    case, objection = _objection(world, people)
    count = StepRecord.objects.count()
    response = client_as(world.users["zhibu"]).post(
        reverse("recruitment-case-steps", args=[case.pk]),
        {
            "step": "objection_resolution",
            "date": "2023-02-15",
            "fields": {"objection": objection.pk, "resolution": "已核实", "upheld": value},
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content[:300]
    assert "fields.upheld" in response.json()["fields"]
    objection.refresh_from_db()
    assert objection.resolved_on is None and StepRecord.objects.count() == count


def test_the_phone_form_records_upheld(world, people, client_as):
    case, objection = _objection(world, people)
    client = client_as(world.users["zhibu"])
    url = reverse("recruitment:step", args=[case.pk])
    response = client.post(
        url + f"?form=resolve&objection={objection.pk}",
        {"resolved_on": "2023-02-15", "resolution": "经核实属实", "upheld": "on"},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.upheld and objection.resolved_on == D(2023, 2, 15)
    response = client.post(url + "?step=3", {"date": "2023-02-20", "basis": "推荐"})
    assert response.status_code == 200 and "经核实属实" in response.content.decode()
