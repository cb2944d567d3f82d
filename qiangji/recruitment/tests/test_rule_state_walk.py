"""Issue #11, "done means": a case walked through all 25 steps; at each step (and at a few attempts made
too early) the case page's rule state, the API's answer (201, or 422 naming the same rule) and the due
list agree — they all read `selectors.state.step_state`."""

import re

import pytest
from django.urls import reverse
from freezegun import freeze_time

from qiangji.members.models import Member
from qiangji.recruitment import services
from qiangji.recruitment.choices import CODE_OF_STEP
from qiangji.recruitment.models import Case
from qiangji.recruitment.selectors import due
from qiangji.recruitment.selectors.state import step_state
from qiangji.recruitment.tests.factories import D, open_case

pytestmark = pytest.mark.django_db


def _roll(world):
    full = Member.objects.filter(organisation=world.branch, status="full").values_list("pk", flat=True)
    return {"attendance": [{"member": pk, "present": True, "vote": "for"} for pk in full]}


def _walk(world, people):
    """(step, date, actor, fields, expected rule of a refusal or None), in order; refusals are attempts
    made too early that the same walk then repeats on an allowed day."""
    p = [m.pk for m in people]
    return [
        (2, D(2023, 1, 20), "zhibu", {"talker": "李四"}, None),
        (3, D(2023, 3, 1), "zhibu", {}, None),
        (4, D(2023, 3, 5), "zhibu", {}, None),
        (5, D(2023, 3, 5), "zhibu", {"members": p[:1]}, None),
        (6, D(2023, 9, 1), "zhibu", {"summary": "表现良好"}, None),
        (7, D(2024, 2, 29), "zhibu", {}, "step07.activist_min_period"),  # the day before a year
        (7, D(2024, 3, 1), "zhibu", {}, None),
        (8, D(2024, 3, 5), "zhibu", {}, None),
        (9, D(2024, 3, 5), "zhibu", {"members": p[:2]}, None),
        (
            10,
            D(2024, 3, 10),
            "zhibu",
            {"reviewer_name": "王五", "outcome": "pass", "conclusion": "政治审查合格"},
            None,
        ),
        (11, D(2024, 3, 11), "zhibu", {"ended_on": "2024-03-13", "provider": "县委党校", "days": 3}, None),
        (12, D(2024, 3, 20), "zhibu", {"outcome": "pass", "person_name": "李四"}, None),
        (13, D(2024, 3, 25), "jiedao", {"outcome": "pass", "person_name": "街道组织委员"}, None),
        (14, D(2024, 4, 1), "zhibu", {}, None),
        (15, D(2024, 4, 10), "zhibu", "roll", None),
        (16, D(2024, 4, 15), "jiedao", {}, None),
        (17, D(2024, 5, 10), "jiedao", {"person_name": "社区书记"}, None),
        (18, D(2024, 5, 15), "jiedao", {}, None),
        (19, D(2024, 5, 15), "zhibu", {}, None),
        (20, D(2024, 5, 20), "zhibu", {}, None),
        (21, D(2024, 11, 20), "zhibu", {"note": "继续教育考察"}, None),
        (22, D(2025, 3, 9), "zhibu", {}, "step22.application_window"),  # the day before the window
        (22, D(2025, 4, 1), "zhibu", {}, None),
        (23, D(2025, 4, 9), "zhibu", "roll", "step21.probation_period"),  # the day before probation ends
        (23, D(2025, 4, 15), "zhibu", "roll", None),
        (24, D(2025, 5, 1), "jiedao", {"outcome": "pass", "person_name": "社区书记"}, None),
        (25, D(2025, 5, 20), "zhibu", {"allow_missing": True}, None),
    ]


def _page_state(client, case) -> tuple[bool, list[str]]:
    html = client.get(reverse("recruitment:case", kwargs={"pk": case.pk})).content.decode()
    allowed = re.search(r'data-allowed="([01])"', html)
    assert allowed, "the case page shows the next step's rule state"
    return allowed.group(1) == "1", re.findall(r'data-rule="([^"]+)"', html)


def _due_dates(world, case, step, day) -> dict[str, object]:
    cases = due.base_cases(world.users["zhibu"], None)
    result = {}
    for deadline in due.deadline_rules(day):
        if deadline.step != step:
            continue
        for item in due.items(deadline, due.rule_cases(cases, deadline, day, 3650), day):
            if item.case.pk == case.pk:
                result[deadline.rule.qualified_code] = item.due_on
    return result


def test_case_page_api_and_due_list_agree_at_every_step(world, people, client_as):
    case = open_case(world)
    services.add_form_range(
        actor=world.users["jiedao"],
        organisation=world.street,
        first_number=1,
        last_number=100,
        received_on=D(2023, 1, 1),
        prefix="XF",
    )
    url = reverse("recruitment-case-steps", kwargs={"pk": case.pk})
    clients = {name: client_as(world.users[name]) for name in ("zhibu", "jiedao")}
    seen = set()
    for step, day, actor, fields, refusal in _walk(world, people):
        case = Case.objects.get(pk=case.pk)
        assert case.next_step == step
        fields = (
            _roll(world) | ({"decision": "confirmed"} if step == 23 else {}) if fields == "roll" else fields
        )
        now = max(day.isoformat(), fields.get("ended_on", ""))  # the training's end is not in the future
        with freeze_time(f"{now} 10:00:00+08:00"):
            state = step_state(case, step, day)
            page_allowed, page_rules = _page_state(clients["zhibu"], case)
            assert page_allowed == state.allowed and page_rules == [r.rule_id for r in state.reasons]
            # the due list gives the same last allowed days (含) as the rule state, rule by rule
            listed = _due_dates(world, case, step, day)
            assert listed == {rule_id: last.date for rule_id, last in state.deadlines.items()}, (step, listed)
            response = clients[actor].post(
                url,
                {"step": CODE_OF_STEP[step], "date": day.isoformat(), "fields": fields},
                content_type="application/json",
            )
        if refusal is None:
            assert state.allowed, state.reasons
            assert response.status_code == 201, response.json()
        else:
            assert not state.allowed and state.reasons[0].rule_id.endswith(refusal)
            assert response.status_code == 422, response.json()
            assert response.json()["rule"] == state.reasons[0].rule_id
        seen.add(step)
    assert seen == set(range(2, 26))
    case.refresh_from_db()
    assert case.status == "archived"
