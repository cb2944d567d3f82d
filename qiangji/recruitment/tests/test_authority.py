"""Authority as data (AuthorityRule, `signoffs.may_sign`): who may pre-review, approve, approve confirmation,
approve an extension and issue form numbers (docs/rules.md §1, "Authority"; issue #11 item 3)."""

import pytest
from django.core.exceptions import ValidationError

from qiangji.recruitment import services
from qiangji.recruitment.choices import SignOffLevel
from qiangji.recruitment.models.rulebook import AuthorityAction, AuthorityRule
from qiangji.recruitment.rules import RuleViolation
from qiangji.recruitment.services.signoffs import may_sign
from qiangji.recruitment.tests.factories import BALLOT, D, case_at
from qiangji.testing import add_org

pytestmark = pytest.mark.django_db
ACTIONS = list(AuthorityAction.values)


def test_the_table_is_seeded_for_both_rule_sets_with_its_source():
    assert AuthorityRule.objects.count() == 2 * len(ACTIONS) * 7
    row = AuthorityRule.objects.get(rule_set="fzdy-2014", action="approval", org_kind="general_branch")
    assert not row.allowed and row.rule_code == "step17.approver_kind" and "第二十四条" in row.source
    row = AuthorityRule.objects.get(rule_set="fzdy-2026", action="approval", org_kind="general_branch")
    assert "（2026年修订）暂据2014年版第二十四条" in row.source


@pytest.mark.parametrize("action", ACTIONS)
def test_who_may_sign_by_kind_and_parent(world, action):
    general = add_org(world.community, "某党总支", "general_branch")
    township = add_org(world.county, "某镇党委", "committee", "rural")
    village = add_org(township, "某村党委", "committee", "rural")
    factory = add_org(world.county, "某企业党委", "committee", "non_public_enterprise")
    group = add_org(world.county, "某局党组", "leading_group", "government")
    assert "党总支" in may_sign(None, None, action, general)
    assert "隶属乡镇党委的村级党组织" in may_sign(None, None, action, village)
    assert "隶属街道党工委的社区党组织" in may_sign(None, None, action, world.community)
    assert "党组" in may_sign(None, None, action, group)
    for org in (township, world.street, world.county, factory):
        assert may_sign(None, None, action, org) is None, org.name
    assert may_sign(world.users["xian"], None, action, world.street) is None
    assert "无权代表" in may_sign(world.users["zhibu"], None, action, world.street)


def test_a_committee_not_above_the_branch_may_not_sign(world, people):
    case = case_at(world, 12, people)
    other = add_org(world.county, "另一街道党工委", "working_committee", "community")
    assert "不是该党支部的上级党组织" in may_sign(None, case, "pre_review", other)
    assert may_sign(None, case, "pre_review", world.street) is None


def _under_general_branch(world, case):
    general = add_org(world.community, "某党总支", "general_branch")
    branch3 = add_org(general, "总支下属支部", "branch")
    services.transfer_case(
        actor=world.users["xian"],
        case=case,
        organisation=branch3,
        transferred_on=case.last_step_on,
        reason="单位调整",
    )
    return general


def test_a_general_branch_cannot_pre_review(world, people):
    """Issue #11 item 3: `pre_review` signed by a 党总支 was accepted."""
    case = case_at(world, 12, people)
    general = _under_general_branch(world, case)
    with pytest.raises(RuleViolation) as info:
        services.record_signoff(
            actor=world.users["jiedao"],
            case=case,
            level=SignOffLevel.PRE_REVIEW,
            date=D(2024, 3, 25),
            outcome="pass",
            person_name="总支书记",
            organisation=general,
        )
    assert info.value.rule == "fzdy-2014:step13.reviewer_kind" and "党总支" in info.value.detail
    assert info.value.detail.count("step13.reviewer_kind") == 1 and "第十九条" in info.value.detail
    assert not case.signoffs.filter(level="pre_review").exists()
    # the default signer is never the general branch: the nearest organisation that may sign
    signoff = services.record_signoff(
        actor=world.users["jiedao"],
        case=case,
        level=SignOffLevel.PRE_REVIEW,
        date=D(2024, 3, 25),
        outcome="pass",
        person_name="组织委员",
    )
    assert signoff.organisation == world.street


def test_a_general_branch_secretary_alone_cannot_pre_review(world, people):
    from qiangji.orgs.services import grant_role

    case = case_at(world, 12, people)
    general = _under_general_branch(world, case)
    user = type(world.users["zhibu"]).objects.create_user("zongzhi", "", "pw-test-123456")
    grant_role(actor=world.users["admin"], user=user, org=general, role="committee")
    with pytest.raises((ValidationError, RuleViolation)):
        services.record_signoff(
            actor=user,
            case=case,
            level=SignOffLevel.PRE_REVIEW,
            date=D(2024, 3, 25),
            outcome="pass",
            person_name="总支书记",
        )
    assert not case.signoffs.filter(level="pre_review").exists()


def test_a_general_branch_cannot_approve_confirmation(world, people):
    """Issue #11 item 3: `confirmation_approval` with `organisation` a general branch was accepted."""
    case = case_at(world, 23, people)
    general = _under_general_branch(world, case)
    with pytest.raises(RuleViolation) as info:
        services.record_signoff(
            actor=world.users["jiedao"],
            case=case,
            level=SignOffLevel.CONFIRMATION_APPROVAL,
            date=D(2025, 5, 1),
            outcome="pass",
            person_name="总支书记",
            organisation=general,
        )
    assert info.value.rule == "fzdy-2014:step24.approver_kind" and "党总支" in info.value.detail
    assert not case.signoffs.filter(level="confirmation_approval").exists()


def test_a_community_committee_under_a_street_cannot_approve(world, people):
    case = case_at(world, 16, people)
    with pytest.raises(RuleViolation) as info:
        services.approve_admission(
            actor=world.users["jiedao"],
            case=case,
            date=D(2024, 5, 10),
            person_name="书记",
            organisation=world.community,
        )
    assert info.value.rule == "fzdy-2014:step17.approver_kind" and "社区" in info.value.detail
    signoff = services.approve_admission(
        actor=world.users["jiedao"], case=case, date=D(2024, 5, 10), person_name="书记"
    )
    assert signoff.organisation == world.street


def test_the_rule_set_of_the_day_is_cited(world, people):
    case = case_at(world, 12, people)
    general = _under_general_branch(world, case)
    with pytest.raises(RuleViolation) as info:
        services.record_signoff(
            actor=world.users["jiedao"],
            case=case,
            level=SignOffLevel.PRE_REVIEW,
            date=D(2026, 5, 18),
            outcome="pass",
            person_name="总支书记",
            organisation=general,
        )
    assert info.value.rule == "fzdy-2026:step13.reviewer_kind" and "（2026年修订）" in info.value.detail


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2024, 10, 9), True), (D(2024, 10, 10), True), (D(2024, 10, 11), False)]
)
def test_approval_never_beyond_six_months_of_the_branch_meeting(world, people, day, ok):
    """ "不得超过六个月" (第二十四条、第二十五条☑) is a gate: branch meeting 2024-04-10, last day 2024-10-10."""
    case = case_at(world, 16, people)

    def call():
        return services.approve_admission(
            actor=world.users["jiedao"], case=case, date=day, person_name="书记"
        )

    if ok:
        assert call().organisation == world.street
        alerts = case.steps.get(step=17).fields.get("alerts", [])
        assert any("step17.approval_within" in a for a in alerts)  # beyond 3 months: the alert stays
    else:
        with pytest.raises(RuleViolation) as info:
            call()
        assert (
            info.value.rule == "fzdy-2014:step17.approval_limit" and "2024-10-10（含）" in info.value.detail
        )
        assert info.value.detail.count("step17.approval_limit") == 1
        assert not case.signoffs.filter(level="approval").exists()


def _extended_and_confirmed(world, people):
    case = case_at(world, 22, people)
    zhibu = world.users["zhibu"]
    services.extend_probation(
        actor=zhibu, case=case, date=D(2025, 4, 15), months=6, reason="继续考察", **BALLOT
    )
    services.apply_for_confirmation(actor=zhibu, case=case, date=D(2025, 10, 10))
    services.confirm(actor=zhibu, case=case, date=D(2025, 10, 20), **BALLOT)
    case.refresh_from_db()
    assert case.probation_extended
    return case


def test_a_general_branch_cannot_approve_an_extended_probation(world, people):
    """The step-24 approval of a case extended at step 23 needs the `extension` authority as well, cited first."""
    case = _extended_and_confirmed(world, people)
    general = _under_general_branch(world, case)
    with pytest.raises(RuleViolation) as info:
        services.record_signoff(
            actor=world.users["jiedao"],
            case=case,
            level=SignOffLevel.CONFIRMATION_APPROVAL,
            date=D(2025, 10, 25),
            outcome="pass",
            person_name="总支书记",
            organisation=general,
        )
    assert info.value.rule == "fzdy-2014:step23.extension_approver_kind", info.value.detail
    assert "党总支" in info.value.detail and "审批延长预备期" in info.value.detail
    assert not case.signoffs.filter(level="confirmation_approval").exists()
    signoff = services.record_signoff(  # the default signer: the nearest primary committee that may
        actor=world.users["jiedao"],
        case=case,
        level=SignOffLevel.CONFIRMATION_APPROVAL,
        date=D(2025, 10, 25),
        outcome="pass",
        person_name="组织委员",
    )
    assert signoff.organisation == world.street


def test_a_primary_committee_approves_an_extended_probation(world, people):
    case = _extended_and_confirmed(world, people)
    signoff = services.record_signoff(
        actor=world.users["jiedao"],
        case=case,
        level=SignOffLevel.CONFIRMATION_APPROVAL,
        date=D(2025, 10, 25),
        outcome="pass",
        person_name="组织委员",
        organisation=world.street,
    )
    assert signoff.organisation == world.street and case.steps.filter(step=24, outcome="pass").exists()


def test_the_extension_authority_is_not_asked_without_an_extension(world, people):
    from qiangji.recruitment.services.signoffs import _authority_actions

    case = case_at(world, 23, people)
    assert _authority_actions(case, SignOffLevel.CONFIRMATION_APPROVAL) == ("confirmation_approval",)
    case.probation_extended = True
    assert _authority_actions(case, SignOffLevel.CONFIRMATION_APPROVAL) == (
        "extension",
        "confirmation_approval",
    )
    assert _authority_actions(case, SignOffLevel.APPROVAL) == ("approval",)
