"""Each gate at its boundary: the day (or number) before, of and after (docs/rules.md §1)."""

import pytest
from django.core.exceptions import ValidationError

from qiangji.members.models import Member, RewardPunishment
from qiangji.recruitment import services
from qiangji.recruitment.choices import SignOffLevel
from qiangji.recruitment.rules import RuleViolation
from qiangji.recruitment.tests.factories import BALLOT, D, applicant_values, case_at, form_range, open_case
from qiangji.testing import add_member, add_org

pytestmark = pytest.mark.django_db


def refused(rule: str, call):
    with pytest.raises(RuleViolation) as info:
        call()
    assert info.value.rule == rule, info.value.detail
    assert rule in info.value.detail
    return info.value


@pytest.mark.parametrize(
    ("applied_on", "ok"), [(D(2023, 6, 14), False), (D(2023, 6, 15), True), (D(2023, 6, 16), True)]
)
def test_age_18_on_the_application_date(world, applied_on, ok):
    def call():
        return open_case(world, applied_on=applied_on, birth=D(2005, 6, 15))

    if ok:
        assert call().applied_on == applied_on
    else:
        error = refused("fzdy-2014:step01.min_age", call)
        assert "2023-06-15 年满18周岁" in error.detail and "2023-06-14" in error.detail


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2024, 2, 29), False), (D(2024, 3, 1), True), (D(2024, 3, 2), True)]
)
def test_one_year_as_activist_before_target(world, people, day, ok):
    case = case_at(world, 6, people)  # activist on 2023-03-01

    def call():
        return services.designate_target(actor=world.users["zhibu"], case=case, date=day)

    if ok:
        assert call().step == 7
    else:
        error = refused("fzdy-2014:step07.activist_min_period", call)
        assert "2023-03-01" in error.detail and "2024-03-01" in error.detail and "2024-02-29" in error.detail


def test_rule_set_2026_needs_consent_and_a_notice_before_the_target(world, people):
    case = case_at(world, 6, people)
    zhibu, jiedao = world.users["zhibu"], world.users["jiedao"]
    refused(
        "fzdy-2026:step07.higher_consent",
        lambda: services.designate_target(actor=zhibu, case=case, date=D(2026, 5, 18)),
    )
    services.record_signoff(
        actor=jiedao,
        case=case,
        level=SignOffLevel.CONSENT,
        date=D(2026, 5, 18),
        outcome="pass",
        person_name="街道组织委员",
    )
    refused(
        "fzdy-2026:step07.notice_min",
        lambda: services.designate_target(actor=zhibu, case=case, date=D(2026, 5, 18)),
    )
    with pytest.raises(RuleViolation):  # a 4-day notice is refused when published
        services.publish_notice(
            actor=zhibu,
            case=case,
            purpose="target",
            starts_on=D(2026, 5, 18),
            working_days=4,
            place="社区公示栏",
            text_="拟确定为发展对象",
        )
    notice = services.publish_notice(
        actor=zhibu,
        case=case,
        purpose="target",
        starts_on=D(2026, 5, 18),
        working_days=5,
        place="社区公示栏",
        text_="拟确定为发展对象",
    )
    assert notice.ends_on == D(2026, 5, 22)
    refused(
        "fzdy-2026:step07.notice_closed",
        lambda: services.designate_target(actor=zhibu, case=case, date=D(2026, 5, 22)),
    )
    objection = services.record_objection(
        actor=zhibu, notice=notice, received_on=D(2026, 5, 20), summary="反映问题"
    )
    refused(
        "fzdy-2026:step07.notice_closed",
        lambda: services.designate_target(actor=zhibu, case=case, date=D(2026, 5, 23)),
    )
    services.resolve_objection(
        actor=zhibu, objection=objection, resolved_on=D(2026, 5, 21), resolution="经核实不属实"
    )
    record = services.designate_target(actor=zhibu, case=case, date=D(2026, 5, 23))
    assert record.rule_set == "fzdy-2026"


def test_the_day_before_the_switch_uses_2014_without_consent(world, people):
    case = case_at(world, 6, people)
    record = services.designate_target(actor=world.users["zhibu"], case=case, date=D(2026, 5, 17))
    assert record.rule_set == "fzdy-2014"


@pytest.mark.parametrize(("count", "ok"), [(0, False), (1, True), (2, True), (3, False)])
def test_one_or_two_mentors(world, count, ok):
    people = [add_member(world.branch, f"联系人{i}") for i in range(3)]
    case = case_at(world, 4, people)

    def call():
        return services.assign_mentors(
            actor=world.users["zhibu"], case=case, date=D(2023, 3, 5), members=people[:count]
        )

    if ok:
        assert call().step == 5
    else:
        refused("fzdy-2014:step05.mentor_count", call)


def test_mentor_must_be_a_full_member(world):
    probationary = add_member(world.branch, "预备党员甲", status="probationary")
    case = case_at(world, 4, [])
    refused(
        "fzdy-2014:step05.mentor_full_member",
        lambda: services.assign_mentors(
            actor=world.users["zhibu"], case=case, date=D(2023, 3, 5), members=[probationary]
        ),
    )


@pytest.mark.parametrize(("count", "ok"), [(1, False), (2, True), (3, False)])
def test_exactly_two_sponsors(world, count, ok):
    people = [add_member(world.branch, f"介绍人{i}") for i in range(3)]
    case = case_at(world, 8, people)

    def call():
        return services.name_sponsors(
            actor=world.users["zhibu"], case=case, date=D(2024, 3, 5), members=people[:count]
        )

    if ok:
        assert call().step == 9
    else:
        refused("fzdy-2014:step09.sponsor_count", call)


def test_sponsor_under_probation_in_party_is_refused(world, people):
    case = case_at(world, 8, people)
    RewardPunishment.objects.create(
        member=people[1],
        org_path=people[1].org_path,
        kind="punishment",
        title="留党察看一年",
        decided_on=D(2023, 10, 1),
    )
    error = refused(
        "fzdy-2014:step09.sponsor_standing",
        lambda: services.name_sponsors(
            actor=world.users["zhibu"], case=case, date=D(2024, 3, 5), members=people[:2]
        ),
    )
    assert "留党察看" in error.detail


def test_failed_vetting_blocks_pre_review(world, people):
    case = case_at(world, 9, people)
    zhibu = world.users["zhibu"]
    services.record_vetting(
        actor=zhibu, case=case, date=D(2024, 3, 10), reviewer_name="王五", outcome="fail", conclusion="不合格"
    )
    case.refresh_from_db()
    assert case.step == 9
    services.record_vetting(
        actor=zhibu,
        case=case,
        date=D(2024, 3, 11),
        reviewer_name="王五",
        outcome="pass",
        conclusion="复查合格",
    )
    services.record_training(
        actor=zhibu, case=case, date=D(2024, 3, 11), ended_on=D(2024, 3, 13), provider="县委党校", days=3
    )
    services.record_signoff(
        actor=zhibu,
        case=case,
        level=SignOffLevel.BRANCH_COMMITTEE,
        date=D(2024, 3, 20),
        outcome="pass",
        person_name="李四",
    )
    services.record_vetting(
        actor=zhibu,
        case=case,
        date=D(2024, 3, 21),
        reviewer_name="王五",
        outcome="fail",
        conclusion="发现新问题",
    )
    refused(
        "fzdy-2014:step10.vetting_passed",
        lambda: services.record_signoff(
            actor=world.users["jiedao"],
            case=case,
            level=SignOffLevel.PRE_REVIEW,
            date=D(2024, 3, 25),
            outcome="pass",
            person_name="组织委员",
        ),
    )


@pytest.mark.parametrize(
    ("days", "hours", "ok"), [(2, 23, False), (0, 24, True), (3, 0, True), (2.5, 0, False), (0, 25, True)]
)
def test_training_three_days_or_24_hours(world, people, days, hours, ok):
    case = case_at(world, 10, people)
    zhibu = world.users["zhibu"]
    services.record_training(
        actor=zhibu, case=case, date=D(2024, 3, 11), provider="党校", days=days, hours=hours
    )
    services.record_signoff(
        actor=zhibu,
        case=case,
        level=SignOffLevel.BRANCH_COMMITTEE,
        date=D(2024, 3, 20),
        outcome="pass",
        person_name="李四",
    )

    def call():
        return services.record_signoff(
            actor=world.users["jiedao"],
            case=case,
            level=SignOffLevel.PRE_REVIEW,
            date=D(2024, 3, 25),
            outcome="pass",
            person_name="组织委员",
        )

    if ok:
        assert call().outcome == "pass"
    else:
        refused("fzdy-2014:step11.training_min_days", call)


def test_admission_form_only_after_pre_review_passed(world, people):
    case = case_at(world, 12, people)
    form_range(world)
    services.record_signoff(
        actor=world.users["jiedao"],
        case=case,
        level=SignOffLevel.PRE_REVIEW,
        date=D(2024, 3, 25),
        outcome="return",
        person_name="组织委员",
        reason="材料不全",
    )
    refused(
        "fzdy-2014:step13.pre_review_passed",
        lambda: services.issue_admission_form(actor=world.users["zhibu"], case=case, date=D(2024, 4, 1)),
    )


def _meeting(world, case, **numbers):
    return services.hold_branch_meeting(actor=world.users["zhibu"], case=case, date=D(2024, 4, 10), **numbers)


@pytest.mark.parametrize(("present", "probationary", "ok"), [(3, 2, False), (4, 0, True), (5, 0, True)])
def test_quorum_counts_full_members_only(world, people, present, probationary, ok):
    case = case_at(world, 14, people)  # the branch has 6 full members
    numbers = {
        "entitled": 6,
        "present": present,
        "votes_for": min(present, 4),
        "probationary_present": probationary,
    }
    if ok:
        assert _meeting(world, case, **numbers).passed
    else:
        error = refused("fzdy-2014:step15.quorum", lambda: _meeting(world, case, **numbers))
        assert "列席预备党员2人不计入" in error.detail


@pytest.mark.parametrize(
    ("votes_for", "written_for", "ok"), [(3, 0, False), (4, 0, True), (4, 1, True), (3, 1, False)]
)
def test_majority_of_entitled_full_members_counting_written_opinions(
    world, people, votes_for, written_for, ok
):
    case = case_at(world, 14, people)
    numbers = {
        "entitled": 6,
        "present": 4,
        "votes_for": votes_for,
        "written_opinions": 2,
        "written_for": written_for,
        "probationary_present": 3,
    }
    if ok:
        vote = _meeting(world, case, **numbers)
        assert vote.passed and vote.meeting.probationary_present == 3
        assert Member.objects.get(pk=case.pk and vote.case.member_id).status == "probationary"
    else:
        refused("fzdy-2014:step15.majority", lambda: _meeting(world, case, **numbers))


def test_impossible_ballot_numbers_are_bad_input(world, people):
    case = case_at(world, 14, people)
    with pytest.raises(ValidationError):
        _meeting(world, case, entitled=6, present=4, votes_for=5)  # 5 ballots from 4 present
    with pytest.raises(ValidationError):
        _meeting(world, case, entitled=6, present=7, votes_for=5)


def test_failed_vote_is_recorded_without_admission(world, people):
    case = case_at(world, 14, people)
    vote = _meeting(world, case, entitled=6, present=5, votes_for=2, votes_against=3, passed=False)
    case.refresh_from_db()
    assert not vote.passed and case.step == 14 and case.member is None


@pytest.mark.parametrize(("full", "ok"), [(2, False), (3, True)])
def test_branch_with_fewer_than_three_full_members_cannot_vote(world, people, full, ok):
    case = case_at(world, 14, people)
    keep = list(Member.objects.filter(organisation=world.branch, status="full").values_list("pk", flat=True))[
        :full
    ]
    Member.objects.filter(organisation=world.branch, status="full").exclude(pk__in=keep).update(
        status="suspended"
    )
    if ok:
        assert _meeting(world, case, entitled=3, present=2, votes_for=2).passed
    else:
        refused(
            "fzdy-2014:step15.min_full_members",
            lambda: _meeting(world, case, entitled=2, present=2, votes_for=2),
        )


def test_entitled_cannot_exceed_the_branch_full_members(world, people):
    case = case_at(world, 14, people)
    refused(
        "fzdy-2014:step15.min_full_members", lambda: _meeting(world, case, entitled=7, present=6, votes_for=6)
    )


@pytest.mark.parametrize(("day", "ok"), [(D(2026, 7, 1), True), (D(2026, 7, 2), False)])
def test_2026_branch_meeting_within_one_month_after_pre_review(world, people, day, ok):
    case = case_at(world, 12, people)
    form_range(world)
    services.record_signoff(
        actor=world.users["jiedao"],
        case=case,
        level=SignOffLevel.PRE_REVIEW,
        date=D(2026, 6, 1),
        outcome="pass",
        person_name="组织委员",
    )
    services.issue_admission_form(actor=world.users["zhibu"], case=case, date=D(2026, 6, 2))

    def call():
        return services.hold_branch_meeting(actor=world.users["zhibu"], case=case, date=day, **BALLOT)

    if ok:
        assert call().passed
    else:
        refused("fzdy-2026:step15.within_after_pre_review", call)


def _approve(world, case, actor="xian", organisation=None):
    return services.approve_admission(
        actor=world.users[actor],
        case=case,
        date=D(2024, 5, 10),
        person_name="书记",
        organisation=organisation,
    )


def test_general_branch_cannot_approve(world, people):
    case = case_at(world, 16, people)
    general = add_org(world.community, "某党总支", "general_branch")
    branch3 = add_org(general, "总支下属支部", "branch")
    services.transfer_case(
        actor=world.users["xian"],
        case=case,
        organisation=branch3,
        transferred_on=D(2024, 4, 20),
        reason="单位调整",
    )
    error = refused("fzdy-2014:step17.approver_kind", lambda: _approve(world, case, organisation=general))
    assert "党总支" in error.detail


def test_village_committee_under_a_township_cannot_approve(world, people):
    case = case_at(world, 16, people)
    township = add_org(world.county, "某镇党委", "committee", "rural")
    village = add_org(township, "某村党委", "committee", "rural")
    branch3 = add_org(village, "某村第一支部", "branch", "rural")
    services.transfer_case(
        actor=world.users["xian"],
        case=case,
        organisation=branch3,
        transferred_on=D(2024, 4, 20),
        reason="户籍迁移",
    )
    error = refused("fzdy-2014:step17.approver_kind", lambda: _approve(world, case, organisation=village))
    assert "隶属乡镇党委的村级党组织" in error.detail


@pytest.mark.parametrize(("day", "late"), [(D(2024, 7, 10), False), (D(2024, 7, 11), True)])
def test_approval_after_three_months_is_an_alert_not_a_refusal(world, people, day, late):
    case = case_at(world, 16, people)  # branch meeting 2024-04-10
    services.approve_admission(actor=world.users["jiedao"], case=case, date=day, person_name="书记")
    record = case.steps.get(step=17)
    alerts = record.fields.get("alerts", [])
    assert any("step17.approval_within" in a for a in alerts) is late
    assert not any("step17.approval_limit" in a for a in alerts)


def test_approval_beyond_six_months_is_refused(world, people):
    """ "不得超过六个月" is a hard gate (issue #11 item 5; the day before/of/after in test_rule_state.py)."""
    case = case_at(world, 16, people)
    with pytest.raises(RuleViolation) as refused:
        services.approve_admission(
            actor=world.users["jiedao"], case=case, date=D(2024, 10, 11), person_name="书记"
        )
    assert (
        refused.value.rule == "fzdy-2014:step17.approval_limit"
        and "最迟 2024-10-10（含）" in refused.value.detail
    )
    assert not case.steps.filter(step=17).exists()


def test_branch_secretary_cannot_sign_for_the_committee(world, people):
    case = case_at(world, 16, people)
    with pytest.raises(ValidationError):
        _approve(world, case, actor="zhibu")


@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (12, True), (13, False)])
def test_probation_extended_by_six_to_twelve_months(world, people, months, ok):
    case = case_at(world, 22, people)

    def call():
        return services.extend_probation(
            actor=world.users["zhibu"],
            case=case,
            date=D(2025, 4, 15),
            months=months,
            reason="需要继续考察",
            **BALLOT,
        )

    if ok:
        decision = call()
        case.refresh_from_db()
        assert case.probation_extended and decision.new_end_on == case.probation_ends_on
    else:
        refused("fzdy-2014:step23.extension", call)


def test_probation_extended_once_only_then_confirmed(world, people):
    case = case_at(world, 22, people)
    zhibu = world.users["zhibu"]
    services.extend_probation(
        actor=zhibu, case=case, date=D(2025, 4, 15), months=6, reason="继续考察", **BALLOT
    )
    refused(
        "fzdy-2014:step23.extension",
        lambda: services.extend_probation(
            actor=zhibu, case=case, date=D(2025, 10, 15), months=6, reason="再延长", **BALLOT
        ),
    )
    refused(
        "fzdy-2014:step21.probation_period",
        lambda: services.confirm(actor=zhibu, case=case, date=D(2025, 10, 9), **BALLOT),
    )
    services.apply_for_confirmation(actor=zhibu, case=case, date=D(2025, 10, 10))
    services.confirm(actor=zhibu, case=case, date=D(2025, 10, 20), **BALLOT)
    case.refresh_from_db()
    assert case.confirmed_on == D(2025, 10, 10) and case.member.confirmed_on == D(2025, 10, 10)


def test_cancelled_probation_leaves_the_roll(world, people):
    case = case_at(world, 22, people)
    services.cancel_probation(
        actor=world.users["zhibu"], case=case, date=D(2025, 4, 15), reason="不履行义务", **BALLOT
    )
    case.refresh_from_db()
    assert case.status == "cancelled" and case.member.status == "left"


def test_discretionary_gate_override_by_the_committee(world, people):
    case = case_at(world, 10, people)
    zhibu = world.users["zhibu"]
    services.record_training(actor=zhibu, case=case, date=D(2024, 3, 11), provider="党校", days=2)
    services.record_signoff(
        actor=zhibu,
        case=case,
        level=SignOffLevel.BRANCH_COMMITTEE,
        date=D(2024, 3, 20),
        outcome="pass",
        person_name="李四",
    )
    with pytest.raises(ValidationError):
        services.record_gate_override(
            actor=zhibu,
            case=case,
            rule_code="fzdy-2014:step11.training_min_days",
            reason="因抗洪抢险缺席一天培训，已补学",
        )
    with pytest.raises(ValidationError):
        services.record_gate_override(
            actor=world.users["jiedao"],
            case=case,
            rule_code="step01.min_age",
            reason="这是一条不能特批的规则理由",
        )
    services.record_gate_override(
        actor=world.users["jiedao"],
        case=case,
        rule_code="step11.training_min_days",
        reason="因抗洪抢险缺席一天培训，已补学",
    )
    services.record_signoff(
        actor=world.users["jiedao"],
        case=case,
        level=SignOffLevel.PRE_REVIEW,
        date=D(2024, 3, 25),
        outcome="pass",
        person_name="组织委员",
    )
    assert case.steps.get(step=13).overridden
    assert case.gate_overrides.get().used


def test_province_tightens_a_rule_never_loosens(world, people):
    from qiangji.core.models import AuditEntry
    from qiangji.recruitment.models import Rule

    rule = Rule.objects.get(rule_set="fzdy-2014", code="step07.activist_min_period")
    with pytest.raises(ValidationError):
        services.set_rule_override(
            actor=world.users["sheng"], rule=rule, organisation=world.province, minimum=0, reason="放宽"
        )
    services.set_rule_override(
        actor=world.users["sheng"], rule=rule, organisation=world.province, minimum=2, reason="本省从严掌握"
    )
    entry = AuditEntry.objects.get(action="recruitment.rule.tightened")
    assert entry.after["minimum"] == 2 and entry.org_path == world.province.path
    case = case_at(world, 6, people)
    refused(
        "fzdy-2014:step07.activist_min_period",
        lambda: services.designate_target(actor=world.users["zhibu"], case=case, date=D(2024, 3, 1)),
    )


def test_duplicate_open_application_is_refused(world):
    values = applicant_values()
    services.submit_application(
        actor=world.users["zhibu"], organisation=world.branch, values=values, applied_on=D(2023, 1, 2)
    )
    with pytest.raises(ValidationError) as info:
        services.submit_application(
            actor=world.users["jiedao"], organisation=world.branch2, values=values, applied_on=D(2023, 1, 3)
        )
    assert "id_number" in info.value.message_dict


@pytest.mark.parametrize(("leaving", "warned"), [(D(2024, 6, 25), True), (D(2024, 6, 26), False)])
def test_leaving_the_unit_within_three_months_is_a_warning(world, people, leaving, warned):
    case = case_at(world, 12, people)
    services.record_signoff(
        actor=world.users["jiedao"],
        case=case,
        level=SignOffLevel.PRE_REVIEW,
        date=D(2024, 3, 25),
        outcome="pass",
        person_name="组织委员",
        leaving_unit_on=leaving,
    )
    alerts = case.steps.get(step=13).fields.get("alerts", [])
    assert any("step13.leaving_unit" in alert for alert in alerts) is warned
