"""四议两公开: the decision list and thresholds, stage order, votes from attendance lists, the pre-review gate."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from qiangji.core.models import AuditEntry
from qiangji.governance import selectors, services
from qiangji.governance.choices import DecisionStage, DecisionStatus
from qiangji.governance.models import Decision, DecisionRule, DecisionVote
from qiangji.governance.tests.factories import days_ago

pytestmark = pytest.mark.django_db


def propose(gw, amount="80000", matter="project"):
    return services.propose_decision(
        actor=gw.secretary,
        village=gw.village,
        matter=matter,
        title="修建村道",
        amount=amount,
        description="硬化村内道路2公里",
        proposed_on=days_ago(30),
    )


def party_lines(gw, present=5, for_=5):
    return [
        {
            "member": m.pk,
            "present": i < present,
            "vote": "for" if i < for_ else "against",
            "reason": "" if i < present else "外出务工",
        }
        for i, m in enumerate(gw.members)
    ]


def rep_lines(gw, present=6, for_=6):
    return [
        {
            "representative": r.pk,
            "present": i < present,
            "vote": "for" if i < for_ else "against",
            "reason": "" if i < present else "生病",
        }
        for i, r in enumerate(gw.reps)
    ]


def through_resolution(gw, decision):
    services.discuss_decision(
        actor=gw.secretary,
        decision=decision,
        discussed_on=days_ago(28),
        attendees="王书记、李主任",
        note="同意提交党员大会",
    )
    services.record_vote(
        actor=gw.secretary,
        decision=decision,
        kind="party_members",
        held_on=days_ago(25),
        attendance=party_lines(gw),
    )
    services.record_vote(
        actor=gw.secretary,
        decision=decision,
        kind="representatives",
        held_on=days_ago(22),
        attendance=rep_lines(gw),
    )
    services.publish_resolution(
        actor=gw.secretary,
        decision=decision,
        published_on=days_ago(21),
        resolution_text="村民代表会议通过修建村道决议",
    )
    decision.refresh_from_db()
    return decision


@pytest.mark.parametrize("amount,ok", [("49999.99", False), ("50000", True), ("50000.01", True)])
def test_the_threshold_decides_whether_the_procedure_applies(gw, amount, ok):
    if ok:
        assert propose(gw, amount).stage == DecisionStage.PROPOSED
    else:
        with pytest.raises(ValidationError) as error:
            propose(gw, amount)
        assert "未达标准" in error.value.message_dict["amount"][0]
        assert not Decision.objects.exists()


def test_the_county_changes_its_threshold(gw):
    rule = DecisionRule.objects.get(org_path=gw.world.county.path, matter="project")
    services.update_rule(actor=gw.world.users["xian"], rule=rule, label=rule.label, money_threshold="100000")
    with pytest.raises(ValidationError):
        propose(gw, "80000")
    assert selectors.applicable_rule(gw.village, "project").money_threshold == Decimal("100000.00")


def test_a_matter_off_the_list_is_refused(gw):
    with pytest.raises(ValidationError) as error:
        propose(gw, matter="nonsense")
    assert "matter" in error.value.message_dict


def test_deliberation_before_discussion_is_refused_with_the_rule_and_audited(gw):
    decision = propose(gw)
    with pytest.raises(ValidationError) as error:
        services.record_vote(
            actor=gw.secretary,
            decision=decision,
            kind="party_members",
            held_on=days_ago(25),
            attendance=party_lines(gw),
        )
    assert "须先完成“村“两委”会议商议”" in error.value.message_dict["stage"][0]
    assert not DecisionVote.objects.exists()
    assert AuditEntry.objects.filter(action="governance.refused", target_id=str(decision.pk)).exists()


def test_party_quorum_comes_from_the_roll_two_of_five_refused_three_of_five_counted(gw):
    decision = propose(gw)
    services.discuss_decision(
        actor=gw.secretary, decision=decision, discussed_on=days_ago(28), attendees="两委", note="同意"
    )
    with pytest.raises(ValidationError) as error:
        services.record_vote(
            actor=gw.secretary,
            decision=decision,
            kind="party_members",
            held_on=days_ago(25),
            attendance=party_lines(gw, present=2, for_=2),
        )
    assert "不足法定人数" in error.value.message_dict["attendance"][0]
    vote = services.record_vote(
        actor=gw.secretary,
        decision=decision,
        kind="party_members",
        held_on=days_ago(25),
        attendance=party_lines(gw, present=3, for_=3),
    )
    assert (vote.entitled, vote.present, vote.votes_for, vote.passed) == (5, 3, 3, True)


def test_a_missing_or_foreign_line_is_refused(gw):
    decision = propose(gw)
    services.discuss_decision(
        actor=gw.secretary, decision=decision, discussed_on=days_ago(28), attendees="两委", note="同意"
    )
    lines = party_lines(gw)[:4] + [{"member": gw.world.foreign_member.pk, "present": True, "vote": "for"}]
    with pytest.raises(ValidationError) as error:
        services.record_vote(
            actor=gw.secretary,
            decision=decision,
            kind="party_members",
            held_on=days_ago(25),
            attendance=lines,
        )
    message = error.value.message_dict["attendance"][0]
    assert "不是“幸福村党支部”" in message and "未登记 张五" in message


def test_representatives_need_two_thirds_and_a_majority_of_those_present(gw):
    decision = propose(gw)
    services.discuss_decision(
        actor=gw.secretary, decision=decision, discussed_on=days_ago(28), attendees="两委", note="同意"
    )
    services.record_vote(
        actor=gw.secretary,
        decision=decision,
        kind="party_members",
        held_on=days_ago(25),
        attendance=party_lines(gw),
    )
    with pytest.raises(ValidationError):  # 3 of 6 < 2/3
        services.record_vote(
            actor=gw.secretary,
            decision=decision,
            kind="representatives",
            held_on=days_ago(22),
            attendance=rep_lines(gw, present=3, for_=3),
        )
    vote = services.record_vote(
        actor=gw.secretary,
        decision=decision,
        kind="representatives",
        held_on=days_ago(22),
        attendance=rep_lines(gw, present=4, for_=2),
    )
    assert (vote.present, vote.votes_for, vote.passed) == (4, 2, False)  # 2 of 4 present is not a majority
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.REJECTED


def test_execution_is_refused_before_the_township_sign_off(gw):
    decision = through_resolution(gw, propose(gw))
    with pytest.raises(ValidationError) as error:
        services.execute_decision(
            actor=gw.secretary, decision=decision, executed_on=days_ago(10), note="开工"
        )
    assert "乡镇党委前置审核尚未审核，不能组织实施" in error.value.message_dict["stage"][0]
    decision.refresh_from_db()
    assert decision.executed_on is None
    assert AuditEntry.objects.filter(action="governance.refused", target_id=str(decision.pk)).count() == 1
    with pytest.raises(ValidationError):  # the village never reviews itself
        services.prereview_decision(
            actor=gw.secretary, decision=decision, approved=True, note="", reviewed_on=days_ago(15)
        )
    assert decision in selectors.prereview_queue(gw.world.users["jiedao"])
    assert decision not in selectors.prereview_queue(gw.secretary)
    services.prereview_decision(
        actor=gw.world.users["jiedao"],
        decision=decision,
        approved=True,
        note="同意",
        reviewed_on=days_ago(15),
    )
    assert decision not in selectors.prereview_queue(gw.world.users["jiedao"])
    services.execute_decision(actor=gw.secretary, decision=decision, executed_on=days_ago(10), note="已开工")
    services.publish_outcome(
        actor=gw.secretary,
        decision=decision,
        published_on=days_ago(2),
        outcome_text="村道已完工，决算78000元",
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE
    assert [d.title for d in selectors.disclosure_for(gw.village)["decisions"]] == ["修建村道"]


def test_a_returned_pre_review_still_blocks_execution(gw):
    decision = through_resolution(gw, propose(gw))
    services.prereview_decision(
        actor=gw.world.users["jiedao"],
        decision=decision,
        approved=False,
        note="预算不实",
        reviewed_on=days_ago(15),
    )
    with pytest.raises(ValidationError) as error:
        services.execute_decision(
            actor=gw.secretary, decision=decision, executed_on=days_ago(10), note="开工"
        )
    assert "被退回" in error.value.message_dict["stage"][0]


def test_a_resolution_with_a_phone_number_is_not_published(gw):
    decision = propose(gw)
    services.discuss_decision(
        actor=gw.secretary, decision=decision, discussed_on=days_ago(28), attendees="两委", note="同意"
    )
    services.record_vote(
        actor=gw.secretary,
        decision=decision,
        kind="party_members",
        held_on=days_ago(25),
        attendance=party_lines(gw),
    )
    services.record_vote(
        actor=gw.secretary,
        decision=decision,
        kind="representatives",
        held_on=days_ago(22),
        attendance=rep_lines(gw),
    )
    with pytest.raises(ValidationError):
        services.publish_resolution(
            actor=gw.secretary,
            decision=decision,
            published_on=days_ago(21),
            resolution_text="施工方电话13912345678",
        )
    decision.refresh_from_db()
    assert decision.stage == DecisionStage.RESOLVED
