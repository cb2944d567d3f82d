"""四议两公开: the Party organisation proposes, the two committees discuss, the Party members' meeting
deliberates, the villagers' representatives resolve, the resolution and the outcome are published; execution
waits for the township committee's pre-review sign-off.  Votes are counted from attendance lists
(docs/rules.md §9)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.governance.choices import (
    STAGE_ORDER,
    Choice,
    DecisionStage,
    DecisionStatus,
    PreReview,
    VoteKind,
)
from qiangji.governance.models import (
    Decision,
    DecisionAttendance,
    DecisionRule,
    DecisionVote,
    Representative,
)
from qiangji.governance.selectors import applicable_rule, representatives_on
from qiangji.governance.services.base import audited_refusal, check_disclosure, provisional_number, text
from qiangji.governance.services.powers import _date, _village
from qiangji.members.selectors import voting_roll

PROCEDURE_RULE = "村级重大事项须依次经过村党组织提议、村“两委”会议商议、党员大会审议、村民代表会议决议，决议和实施结果公开（docs/rules.md §9，《中国共产党农村基层组织工作条例》第十九条）"
PREREVIEW_RULE = "村级重大事项决议须经乡镇党委前置审核同意后方可组织实施（docs/rules.md §9，地方做法 L）"
PARTY_QUORUM_RULE = "党员大会须有半数以上有表决权的党员到会，赞成票超过应到会有表决权党员的半数为通过（docs/rules.md §9，《中国共产党支部工作条例（试行）》第十五条☑）"
REPS_QUORUM_RULE = "村民代表会议须有三分之二以上的组成人员参加方可召开，所作决定应当经到会人员的过半数同意（docs/rules.md §9，《村民委员会组织法》第二十六条）"


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": "金额应为数字"}) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise ValidationError({"amount": "金额应为0至10000亿元之间的数字"})
    return amount.quantize(Decimal("0.01"))


def _stage_after(decision: Decision, wanted: str, label: str) -> None:
    """The decision must be open and its last stage the one right before `wanted`."""
    if decision.status != DecisionStatus.OPEN:
        raise ValidationError({"stage": f"该事项已{decision.get_status_display()}，不能再{label}"})
    before = STAGE_ORDER[STAGE_ORDER.index(wanted) - 1]
    if decision.stage != before:
        done = STAGE_ORDER.index(decision.stage) >= STAGE_ORDER.index(wanted)
        message = (
            f"“{DecisionStage(wanted).label}”已完成，不能重复办理。"
            if done
            else f"须先完成“{DecisionStage(before).label}”，才能{label}（当前已完成：{decision.get_stage_display()}）。"
        )
        raise ValidationError({"stage": message + PROCEDURE_RULE})


def _lock(actor, decision) -> Decision:
    return get_in_scope_or_404(Decision, actor, decision.pk, Action.CHANGE, lock=True)


def _after(day: datetime.date, earlier: datetime.date | None, field: str) -> None:
    if earlier is not None and day < earlier:
        raise ValidationError({field: f"日期不能早于上一环节（{earlier:%Y-%m-%d}）"})


# ----- the decision list and the representatives -----------------------------------------------------------


@transaction.atomic
def adopt_rules(*, actor, county) -> list[DecisionRule]:
    """The county copies the national default list into its own, to change thresholds and matters there."""
    county = _village(actor, county)
    have = set(DecisionRule.objects.filter(org_path=county.path).values_list("matter", flat=True))
    rows = [
        DecisionRule(
            org_path=county.path,
            region_code=county.region_code,
            matter=rule.matter,
            label=rule.label,
            money_threshold=rule.money_threshold,
            source=rule.source,
        )
        for rule in DecisionRule.objects.filter(org_path="").exclude(matter__in=have)
    ]
    if not rows:
        raise ValidationError({"county": f"“{county.name}”已采用全部默认事项"})
    created = DecisionRule.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="governance.rule.adopted",
        org=county,
        after={"matters": [r.matter for r in created]},
    )
    return created


@audited_refusal("修改村级重大事项决策清单")
@transaction.atomic
def update_rule(*, actor, rule: DecisionRule, label, money_threshold, is_active=True) -> DecisionRule:
    rule = get_in_scope_or_404(DecisionRule, actor, rule.pk, Action.CHANGE, lock=True)
    if rule.org_path == "":
        raise ValidationError({"rule": "全国默认清单不能修改，请先由县级采用"})
    before = audit.snapshot(rule, ["label", "money_threshold", "is_active"])
    rule.label = text(label, "label", "事项", max_length=100)
    threshold = _amount(money_threshold)
    rule.money_threshold = threshold
    rule.is_active = bool(is_active)
    rule.save()
    audit.record(
        actor=actor,
        action="governance.rule.updated",
        target=rule,
        org_path=rule.org_path,
        before=before,
        after=audit.snapshot(rule, ["label", "money_threshold", "is_active"]),
    )
    return rule


@audited_refusal("登记村民代表")
@transaction.atomic
def add_representative(*, actor, village, name, since, until=None) -> Representative:
    village = _village(actor, village)
    since = _date(since, "since", "任职日期")
    if until is not None and (not isinstance(until, datetime.date) or until < since):
        raise ValidationError({"until": "任职止日期不能早于任职起日期"})
    person = Representative.objects.create(
        village=village,
        org_path=village.path,
        region_code=village.region_code,
        name=text(name, "name", "姓名", max_length=50),
        since=since,
        until=until,
    )
    audit.record(
        actor=actor,
        action="governance.representative.added",
        target=person,
        org=village,
        after={"name": person.name},
    )
    return person


# ----- 四议 -------------------------------------------------------------------------------------------------


@audited_refusal("村党组织提议")
@transaction.atomic
def propose_decision(*, actor, village, matter, title, amount=None, description, proposed_on) -> Decision:
    """Only a matter the county's list says must go through 四议两公开 (its kind, and its amount at or above
    the threshold) is proposed here; anything else is ordinary village business."""
    village = _village(actor, village)
    rule = applicable_rule(village, matter)
    if rule is None:
        raise ValidationError({"matter": "该类事项不在本县村级重大事项决策清单内"})
    amount = _amount(amount)
    if rule.money_threshold is not None:
        if amount is None:
            raise ValidationError({"amount": f"“{rule.label}”按金额确定是否须经四议两公开，请填写金额"})
        if amount < rule.money_threshold:
            raise ValidationError(
                {
                    "amount": f"“{rule.label}”{rule.money_threshold}元以上须经四议两公开，{amount}元未达标准，按村务日常管理办理（{rule.source}）"
                }
            )
    proposed_on = _date(proposed_on, "proposed_on", "提议日期")
    decision = Decision.objects.create(
        village=village,
        org_path=village.path,
        region_code=village.region_code,
        rule=rule,
        number=provisional_number(),
        title=text(title, "title", "事项", max_length=200),
        amount=amount,
        description=text(description, "description", "提议内容", max_length=5000),
        stage=DecisionStage.PROPOSED,
        proposed_on=proposed_on,
    )
    decision.number = f"SY{proposed_on:%Y}{decision.pk:07d}"
    decision.save(update_fields=["number"])
    audit.record(
        actor=actor,
        action="governance.decision.proposed",
        target=decision,
        org=village,
        after={"matter": rule.matter, "amount": amount, "title": decision.title},
    )
    return decision


@audited_refusal("村“两委”会议商议")
@transaction.atomic
def discuss_decision(*, actor, decision: Decision, discussed_on, attendees, note) -> Decision:
    decision = _lock(actor, decision)
    _stage_after(decision, DecisionStage.DISCUSSED, "召开村“两委”会议商议")
    discussed_on = _date(discussed_on, "discussed_on", "商议日期")
    _after(discussed_on, decision.proposed_on, "discussed_on")
    decision.discussion_attendees = text(attendees, "attendees", "参加商议的两委成员", max_length=300)
    decision.discussion_note = text(note, "note", "商议意见", max_length=5000)
    decision.discussed_on, decision.stage = discussed_on, DecisionStage.DISCUSSED
    decision.save()
    audit.record(
        actor=actor,
        action="governance.decision.discussed",
        target=decision,
        org_path=decision.org_path,
        after={"discussed_on": discussed_on},
    )
    return decision


def _lines(kind: str, roll: dict, attendance, village_name: str, day) -> list[dict]:
    key = "member" if kind == VoteKind.PARTY_MEMBERS else "representative"
    who = "有表决权的正式党员" if kind == VoteKind.PARTY_MEMBERS else "在任村民代表"
    if not isinstance(attendance, list | tuple) or not all(isinstance(row, dict) for row in attendance):
        raise ValidationError(
            {"attendance": f"到会情况：应为列表，每项含 {key}、present、vote（缺席时 reason）"}
        )
    lines, seen, errors = [], set(), []
    for index, row in enumerate(attendance, 1):
        raw = row.get(key)
        person = roll.get(int(raw)) if str(raw).isdigit() else None
        if person is None:
            errors.append(f"第{index}项 {raw} 不是“{village_name}”{day:%Y-%m-%d} 的{who}")
            continue
        if person.pk in seen:
            errors.append(f"{person.name}登记了两次")
            continue
        seen.add(person.pk)
        present = row.get("present")
        if not isinstance(present, bool):
            errors.append(f"{person.name}：请选择到会或缺席")
            continue
        choice = row.get("vote") or ""
        reason = str(row.get("reason") or "").strip()[:200]
        if present and choice not in Choice.values:
            errors.append(f"{person.name}：到会人员请选择赞成、反对或弃权")
        elif not present and not reason:
            errors.append(f"{person.name}：缺席须写明原因")
        else:
            lines.append(
                {
                    key: person,
                    "name": person.name,
                    "present": present,
                    "choice": choice if present else "",
                    "reason": "" if present else reason,
                }
            )
    missing = [person.name for pk, person in roll.items() if pk not in seen]
    if missing:
        errors.append(f"未登记 {'、'.join(missing)} 的到会情况（应到会的是全体{who}）")
    if errors:
        raise ValidationError({"attendance": "到会情况：" + "；".join(errors)})
    return lines


@audited_refusal("党员大会审议/村民代表会议决议")
@transaction.atomic
def record_vote(*, actor, decision: Decision, kind: str, held_on, attendance) -> DecisionVote:
    """The Party members' meeting (roll: the village organisation's full members with voting rights on the
    day, `members.selectors.voting_roll`) or the representatives' meeting (roll: representatives in office on
    the day).  Without quorum the vote is refused and nothing is kept; a vote that fails ends the decision."""
    decision = _lock(actor, decision)
    if kind not in VoteKind.values:
        raise ValidationError({"kind": "请选择党员大会或村民代表会议"})
    wanted = DecisionStage.DELIBERATED if kind == VoteKind.PARTY_MEMBERS else DecisionStage.RESOLVED
    _stage_after(decision, wanted, f"召开{VoteKind(kind).label}")
    held_on = _date(held_on, "held_on", "会议日期")
    _after(
        held_on,
        decision.discussed_on if kind == VoteKind.PARTY_MEMBERS else decision.deliberated_on,
        "held_on",
    )
    if kind == VoteKind.PARTY_MEMBERS:
        roll = {m.pk: m for m in voting_roll(decision.village, held_on)}
    else:
        roll = {r.pk: r for r in representatives_on(decision.village, held_on)}
    if not roll:
        raise ValidationError(
            {
                "attendance": f"“{decision.village.name}”{held_on:%Y-%m-%d} 没有{'有表决权的正式党员' if kind == VoteKind.PARTY_MEMBERS else '在任村民代表'}，不能表决"
            }
        )
    lines = _lines(kind, roll, attendance, decision.village.name, held_on)
    entitled = len(roll)
    present = sum(1 for line in lines if line["present"])
    votes = {c: sum(1 for line in lines if line["present"] and line["choice"] == c) for c in Choice.values}
    if kind == VoteKind.PARTY_MEMBERS:
        quorate, passed, rule = 2 * present > entitled, 2 * votes[Choice.FOR] > entitled, PARTY_QUORUM_RULE
        need = f"应到{entitled}人，须超过{entitled // 2}人到会"
    else:
        quorate, passed, rule = 3 * present >= 2 * entitled, 2 * votes[Choice.FOR] > present, REPS_QUORUM_RULE
        need = f"应到{entitled}人，须至少{-(-2 * entitled // 3)}人到会"
    if not quorate:
        raise ValidationError(
            {"attendance": f"到会{present}人，不足法定人数（{need}），会议不能表决。{rule}"}
        )
    vote = DecisionVote.objects.create(
        decision=decision,
        org_path=decision.org_path,
        region_code=decision.region_code,
        kind=kind,
        held_on=held_on,
        entitled=entitled,
        present=present,
        votes_for=votes[Choice.FOR],
        votes_against=votes[Choice.AGAINST],
        abstentions=votes[Choice.ABSTAIN],
        quorate=quorate,
        passed=passed,
    )
    DecisionAttendance.objects.bulk_create(DecisionAttendance(vote=vote, **line) for line in lines)
    decision.stage = wanted
    if kind == VoteKind.PARTY_MEMBERS:
        decision.deliberated_on = held_on
    else:
        decision.resolved_on = held_on
    if not passed:
        decision.status = DecisionStatus.REJECTED
    decision.save()
    audit.record(
        actor=actor,
        action="governance.decision.voted",
        target=decision,
        org_path=decision.org_path,
        after={
            "kind": kind,
            "entitled": entitled,
            "present": present,
            "for": votes[Choice.FOR],
            "passed": passed,
        },
    )
    return vote


@audited_refusal("决议公开")
@transaction.atomic
def publish_resolution(*, actor, decision: Decision, published_on, resolution_text) -> Decision:
    decision = _lock(actor, decision)
    _stage_after(decision, DecisionStage.PUBLISHED, "公开决议")
    published_on = _date(published_on, "published_on", "公开日期")
    _after(published_on, decision.resolved_on, "published_on")
    decision.resolution_text = check_disclosure(resolution_text, "resolution_text")
    decision.published_on, decision.stage = published_on, DecisionStage.PUBLISHED
    decision.save()
    audit.record(
        actor=actor,
        action="governance.decision.published",
        target=decision,
        org_path=decision.org_path,
        after={"published_on": published_on},
    )
    return decision


@audited_refusal("乡镇党委前置审核")
@transaction.atomic
def prereview_decision(*, actor, decision: Decision, approved: bool, note, reviewed_on) -> Decision:
    """The township committee (from above the village, never the village itself) signs off once the two
    committees have discussed the matter; a returned decision may be signed off again later."""
    decision = _lock(actor, decision)
    if not scope_of(actor).allows_above(Action.CHANGE, decision.org_path):
        raise ValidationError(
            {"approved": f"前置审核由乡镇党委办理，村党组织不能审核本村事项。{PREREVIEW_RULE}"}
        )
    if decision.status != DecisionStatus.OPEN:
        raise ValidationError({"approved": f"该事项已{decision.get_status_display()}"})
    if STAGE_ORDER.index(decision.stage) < STAGE_ORDER.index(DecisionStage.DISCUSSED):
        raise ValidationError({"approved": "村“两委”会议商议后方可报乡镇党委前置审核"})
    if decision.prereview == PreReview.APPROVED:
        raise ValidationError({"approved": "该事项已审核同意"})
    reviewed_on = _date(reviewed_on, "reviewed_on", "审核日期")
    _after(reviewed_on, decision.discussed_on, "reviewed_on")
    decision.prereview = PreReview.APPROVED if approved else PreReview.RETURNED
    decision.prereview_note = text(note, "note", "审核意见", max_length=500, required=not approved)
    decision.prereview_on, decision.prereview_by = reviewed_on, actor
    decision.save()
    audit.record(
        actor=actor,
        action="governance.decision.prereviewed",
        target=decision,
        org_path=decision.org_path,
        after={"prereview": decision.prereview, "on": reviewed_on},
    )
    return decision


@audited_refusal("组织实施")
@transaction.atomic
def execute_decision(*, actor, decision: Decision, executed_on, note) -> Decision:
    decision = _lock(actor, decision)
    _stage_after(decision, DecisionStage.EXECUTED, "组织实施")
    if decision.prereview != PreReview.APPROVED:
        state = "被退回" if decision.prereview == PreReview.RETURNED else "尚未审核"
        raise ValidationError({"stage": f"乡镇党委前置审核{state}，不能组织实施。{PREREVIEW_RULE}"})
    executed_on = _date(executed_on, "executed_on", "实施日期")
    _after(executed_on, max(decision.published_on, decision.prereview_on), "executed_on")  # type: ignore[type-var]
    decision.execution_note = text(note, "note", "实施情况", max_length=5000)
    decision.executed_on, decision.stage = executed_on, DecisionStage.EXECUTED
    decision.save()
    audit.record(
        actor=actor,
        action="governance.decision.executed",
        target=decision,
        org_path=decision.org_path,
        after={"executed_on": executed_on},
    )
    return decision


@audited_refusal("实施结果公开")
@transaction.atomic
def publish_outcome(*, actor, decision: Decision, published_on, outcome_text) -> Decision:
    decision = _lock(actor, decision)
    _stage_after(decision, DecisionStage.OUTCOME_PUBLISHED, "公开实施结果")
    published_on = _date(published_on, "published_on", "公开日期")
    _after(published_on, decision.executed_on, "published_on")
    decision.outcome_text = check_disclosure(outcome_text, "outcome_text")
    decision.outcome_published_on, decision.stage = published_on, DecisionStage.OUTCOME_PUBLISHED
    decision.status = DecisionStatus.DONE
    decision.save()
    audit.record(
        actor=actor,
        action="governance.decision.outcome_published",
        target=decision,
        org_path=decision.org_path,
        after={"published_on": published_on},
    )
    return decision
