"""Accountability: the platform's detected violations gathered per person and organisation, decided above."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from qiangji.assessment import selectors, services
from qiangji.assessment.models import AccountabilityCase
from qiangji.recruitment.models import GateOverride, Rule
from qiangji.recruitment.tests.ui_factories import make_case

pytestmark = pytest.mark.django_db


def test_gather_group_and_decide(world, client_as):
    case = make_case(world.branch, step=12, name="发展对象甲", applied_on=datetime.date(2024, 1, 8))
    GateOverride.objects.create(
        case=case,
        org_path=case.org_path,
        rule=Rule.objects.first(),
        step=12,
        reason="材料补交",
        actor=world.users["zhibu"],
    )
    foreign = make_case(world.foreign_branch, step=12, name="外县对象")
    GateOverride.objects.create(
        case=foreign,
        org_path=foreign.org_path,
        rule=Rule.objects.first(),
        step=12,
        reason="x",
        actor=world.users["foreign"],
    )
    new = services.gather_violations(actor=world.users["xian"], organisation=world.county)
    rows = AccountabilityCase.objects.all()
    assert new == rows.count() >= 1
    assert rows.filter(kind="gate_override", responsible="zhibu", organisation=world.branch).count() == 1
    assert not rows.filter(organisation=world.foreign_branch).exists()
    assert services.gather_violations(actor=world.users["xian"], organisation=world.county) == 0  # idempotent
    people = selectors.violations_by_person(selectors.violations_of(world.users["xian"]))
    assert {p["responsible"] for p in people} >= {"zhibu"}
    override = rows.get(kind="gate_override")
    with pytest.raises(ValidationError) as error:  # the branch does not decide on itself
        services.decide_accountability(
            actor=world.users["zhibu"], case=override, decision="reminder", reason="x"
        )
    assert "decision" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.decide_accountability(
            actor=world.users["jiedao"], case=override, decision="reminder", reason=" "
        )
    assert "decision_reason" in error.value.message_dict
    services.decide_accountability(
        actor=world.users["jiedao"], case=override, decision="reminder", reason="已谈话提醒"
    )
    page = client_as(world.users["xian"]).get("/assessment/accountability/").content.decode()
    assert "谈话提醒" in page and "外县对象" not in page
    assert (
        client_as(world.users["foreign"]).get(f"/assessment/accountability/{override.pk}/decide/").status_code
        == 404
    )
