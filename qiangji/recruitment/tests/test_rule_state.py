"""The one rule-state computation (selectors/state.py) and the gates that read it (issue #11 items 1, 4, 5, 8, 9):
each limit the day before, the day of and the day after; refusals cite the rule once with the article."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qiangji.recruitment import services
from qiangji.recruitment.rules import RuleViolation
from qiangji.recruitment.selectors import cases as case_selectors
from qiangji.recruitment.selectors.state import step_state
from qiangji.recruitment.tests.factories import BALLOT, D, case_at, open_case

pytestmark = pytest.mark.django_db


def refused(rule: str, call) -> RuleViolation:
    with pytest.raises(RuleViolation) as info:
        call()
    assert info.value.rule == rule, info.value.detail
    assert info.value.detail.count(rule) == 1, info.value.detail  # the rule id once
    assert "依据：" in info.value.detail  # the article in words (local rules name the local practice)
    return info.value


# ----- item 4: mandatory steps, refused citing the order rule; an audited override lets one through -----


def test_activist_without_the_talk_is_refused_citing_the_order_rule(world):
    case = open_case(world)
    error = refused(
        "fzdy-2014:step03.order",
        lambda: services.designate_activist(actor=world.users["zhibu"], case=case, date=D(2023, 3, 1)),
    )
    assert "第2步“派人谈话”" in error.detail
    state = step_state(case, 3, D(2023, 3, 1))
    assert not state.allowed and state.missing == [2] and state.reasons[0].rule_id == "fzdy-2014:step03.order"


def test_target_needs_the_filing_and_an_assessment(world, people):
    case = case_at(world, 3, people)
    services.assign_mentors(actor=world.users["zhibu"], case=case, date=D(2023, 3, 5), members=people[:1])
    error = refused(
        "fzdy-2014:step07.order",
        lambda: services.designate_target(actor=world.users["zhibu"], case=case, date=D(2024, 3, 1)),
    )
    facts = error.detail.split("之后办理）：", 1)[1]
    assert "第4步" in facts and "第6步" in facts and "第5步" not in facts


def test_confirmation_application_needs_filing_placement_and_oath(world, people):
    case = case_at(world, 17, people)
    error = refused(
        "fzdy-2014:step22.order",
        lambda: services.apply_for_confirmation(actor=world.users["zhibu"], case=case, date=D(2025, 4, 1)),
    )
    assert all(f"第{n}步" in error.detail for n in (18, 19, 20))


def test_override_by_the_committee_lets_one_missing_step_through(world):
    case = open_case(world)
    services.record_gate_override(
        actor=world.users["jiedao"],
        case=case,
        rule_code="fzdy-2014:step03.order",
        reason="申请人长期在外务工，谈话以书面方式进行，经党委研究同意",
    )
    state = step_state(case, 3, D(2023, 3, 1))
    assert state.allowed and [f.rule.code for f in state.overridden] == ["step03.order"]
    record = services.designate_activist(actor=world.users["zhibu"], case=case, date=D(2023, 3, 1))
    assert record.overridden and case.gate_overrides.get().used
    assert not step_state(case, 4, D(2023, 3, 5)).reasons  # the next step is not affected


def test_a_branch_secretary_cannot_override_the_order(world):
    case = open_case(world)
    with pytest.raises(ValidationError) as info:
        services.record_gate_override(
            actor=world.users["zhibu"],
            case=case,
            rule_code="fzdy-2014:step03.order",
            reason="支部书记想跳过谈话这一步骤",
        )
    assert "rule" in info.value.message_dict


# ----- item 1: the latest vetting counts at every later step up to approval -----------------------------------


def test_failed_vetting_after_the_admission_form_blocks_the_branch_meeting(world, people):
    case = case_at(world, 14, people)
    services.record_vetting(
        actor=world.users["zhibu"],
        case=case,
        date=D(2024, 4, 5),
        reviewer_name="王五",
        outcome="fail",
        conclusion="发现问题，政治审查不合格",
    )
    assert not step_state(case, 15, D(2024, 4, 10)).allowed
    refused(
        "fzdy-2014:step10.vetting_passed",
        lambda: services.hold_branch_meeting(
            actor=world.users["zhibu"], case=case, date=D(2024, 4, 10), **BALLOT
        ),
    )
    case.refresh_from_db()
    assert case.status == "open" and not case.steps.filter(step=15).exists()


def test_a_later_passing_vetting_clears_it(world, people):
    case = case_at(world, 14, people)
    for day, outcome in ((D(2024, 4, 5), "fail"), (D(2024, 4, 8), "pass")):
        services.record_vetting(
            actor=world.users["zhibu"],
            case=case,
            date=day,
            reviewer_name="王五",
            outcome=outcome,
            conclusion="复查结论",
        )
    assert step_state(case, 15, D(2024, 4, 10)).fact("step10.vetting_passed").status == "passed"


# ----- item 9: notices — one must exist to be "公示期已满"; the window's last day still blocks -----------------


def test_no_notice_is_never_shown_as_closed(world, people):
    case = case_at(world, 2, people)
    fact = step_state(case, 3, D(2023, 3, 1)).fact("step03.notice_closed")
    assert fact.status == "none" and "公示期已满" not in fact.text
    pending = case_selectors.pending_rules(case, D(2023, 3, 1))
    assert not any(item["status"] == "passed" and "公示期已满" in item["text"] for item in pending)


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2023, 2, 9), False), (D(2023, 2, 10), False), (D(2023, 2, 13), True)]
)
def test_activist_waits_for_the_notice_window(world, people, day, ok):
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
    assert notice.ends_on == D(2023, 2, 10)
    state = step_state(case, 3, day)
    assert state.allowed is ok
    call = lambda: services.designate_activist(actor=world.users["zhibu"], case=case, date=day)  # noqa: E731
    if ok:
        call()
        assert "公示期已满" in state.fact("step03.notice_closed").text
    else:
        assert "（含）" in refused("fzdy-2014:step03.notice_closed", call).detail


def test_open_objection_blocks_until_resolved(world, people):
    case = case_at(world, 2, people)
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
    refused(
        "fzdy-2014:step03.notice_closed",
        lambda: services.designate_activist(actor=world.users["zhibu"], case=case, date=D(2023, 2, 20)),
    )
    services.resolve_objection(
        actor=world.users["zhibu"], objection=objection, resolved_on=D(2023, 2, 15), resolution="经核实不属实"
    )
    services.designate_activist(actor=world.users["zhibu"], case=case, date=D(2023, 2, 20))


# ----- item 5: hard limits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2024, 10, 9), True), (D(2024, 10, 10), True), (D(2024, 10, 11), False)]
)
def test_approval_never_beyond_six_months_of_the_branch_meeting(world, people, day, ok):
    case = case_at(world, 16, people)  # branch meeting 2024-04-10
    assert step_state(case, 17, day).allowed is ok
    call = lambda: services.approve_admission(  # noqa: E731
        actor=world.users["jiedao"],
        case=case,
        date=day,
        person_name="社区书记",
    )
    if ok:
        call()
    else:
        error = refused("fzdy-2014:step17.approval_limit", call)
        assert "最迟 2024-10-10（含）" in error.detail and "不得超过六个月" in error.detail


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2025, 3, 9), False), (D(2025, 3, 10), True), (D(2025, 3, 11), True)]
)
def test_confirmation_application_no_earlier_than_a_month_before_the_end(world, people, day, ok):
    case = case_at(world, 20, people)  # probation ends 2025-04-10
    assert step_state(case, 22, day).allowed is ok
    call = lambda: services.apply_for_confirmation(actor=world.users["zhibu"], case=case, date=day)  # noqa: E731
    if ok:
        call()
    else:
        assert "最早 2025-03-10（含）" in refused("fzdy-2014:step22.application_window", call).detail


def test_confirmation_application_six_months_early_is_refused(world, people):
    case = case_at(world, 20, people)
    refused(
        "fzdy-2014:step22.application_window",
        lambda: services.apply_for_confirmation(actor=world.users["zhibu"], case=case, date=D(2024, 10, 10)),
    )


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2025, 4, 9), False), (D(2025, 4, 10), True), (D(2025, 4, 11), True)]
)
def test_probation_extended_only_when_it_ends(world, people, day, ok):
    case = case_at(world, 22, people)  # probation ends 2025-04-10
    call = lambda: services.extend_probation(  # noqa: E731
        actor=world.users["zhibu"],
        case=case,
        date=day,
        months=6,
        reason="需要继续考察",
        **BALLOT,
    )
    if ok:
        call()
        case.refresh_from_db()
        assert case.probation_extended and case.probation_ends_on == D(2025, 10, 10)
    else:
        assert "最早 2025-04-10（含）" in refused("fzdy-2014:step21.probation_period", call).detail


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2025, 4, 9), False), (D(2025, 4, 10), True), (D(2025, 4, 11), True)]
)
def test_confirmation_only_when_probation_ends(world, people, day, ok):
    case = case_at(world, 22, people)
    assert step_state(case, 23, day).allowed is ok
    call = lambda: services.confirm(actor=world.users["zhibu"], case=case, date=day, **BALLOT)  # noqa: E731
    if ok:
        call()
    else:
        refused("fzdy-2014:step21.probation_period", call)


def test_cancellation_may_come_before_probation_ends(world, people):
    case = case_at(world, 22, people)
    services.cancel_probation(
        actor=world.users["zhibu"], case=case, date=D(2025, 4, 5), reason="不履行党员义务", **BALLOT
    )
    case.refresh_from_db()
    assert case.status == "cancelled"


# ----- item 9: "已转正" only when the confirmation approval passed -------------------------------------------


def test_confirmed_label_waits_for_the_approval(world, people):
    case = case_at(world, 23, people)
    assert case_selectors.status_label(case) == "支部大会已通过转正，待上级党委审批"
    services.record_signoff(
        actor=world.users["jiedao"],
        case=case,
        level="confirmation_approval",
        date=D(2025, 5, 1),
        outcome="pass",
        person_name="社区书记",
    )
    case.refresh_from_db()
    assert case_selectors.status_label(case) == "已转正"


def test_case_page_shows_the_label_and_the_reasons(world, people, client_as):
    case = case_at(world, 23, people)
    page = client_as(world.users["zhibu"]).get(reverse("recruitment:case", kwargs={"pk": case.pk}))
    assert "待上级党委审批" in page.content.decode()
