"""The phone form and the API's case detail show the same rule state the gates use (issue #11: one
computation for the case page, the phone form, the API and the due list)."""

import pytest
from django.urls import reverse

from qiangji.core.dates import today
from qiangji.recruitment.selectors.state import step_state
from qiangji.recruitment.tests.factories import open_case

pytestmark = pytest.mark.django_db


def test_phone_form_shows_the_refusal_the_gate_would_give(world, client_as):
    case = open_case(world)  # application only: step 3 without the talk is refused (step03.order)
    state = step_state(case, 3, today())
    assert not state.allowed
    page = client_as(world.users["zhibu"]).get(
        reverse("recruitment:step", kwargs={"pk": case.pk}) + "?step=3"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-allowed="0"' in html
    for reason in state.reasons:
        assert f'data-rule="{reason.rule_id}"' in html


def test_api_case_detail_carries_the_same_rule_state(world, client_as):
    case = open_case(world)
    answer = client_as(world.users["zhibu"]).get(f"/api/v1/recruitment/cases/{case.pk}/")
    assert answer.status_code == 200
    shown = answer.json()["rule_state"]
    state = step_state(case, case.next_step, today())
    assert shown["step"] == case.next_step
    assert shown["allowed"] is state.allowed
    assert [r["rule"] for r in shown["reasons"]] == [r.rule_id for r in state.reasons]
