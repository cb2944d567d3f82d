"""Committee sign-offs: branch committee review (12), pre-review (13), higher consent (before 7),
approval (17), filing (18), confirmation approval (24).  Each names person, level, date, outcome
and reason; committee levels must be signed by an organisation above the branch, by a user with a
committee-level grant over it (docs/rules.md §1 steps 12–18, 24).  Pre-review, approval and confirmation
approval only by an organisation the `AuthorityRule` table allows (`may_sign`, docs/rules.md §1 "Authority");
the confirmation approval of an extended probation also needs the `extension` authority
(`_authority_actions`); `may_sign`/`check_authority` are also for issuing admission-form numbers."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import ancestor_paths, scope_of
from qiangji.members.choices import MemberStatus
from qiangji.members.services import record_status_event
from qiangji.orgs.choices import OrgKind
from qiangji.orgs.models import Organisation
from qiangji.recruitment import rules
from qiangji.recruitment.choices import CaseStatus, Outcome, SignOffLevel
from qiangji.recruitment.models import SignOff
from qiangji.recruitment.models.rulebook import AuthorityAction, AuthorityRule
from qiangji.recruitment.rule_data import AUTHORITY_ACTIONS
from qiangji.recruitment.selectors.state import step_state
from qiangji.recruitment.services.base import (
    add_step,
    alert,
    check_order,
    done_steps,
    gate,
    lock_case,
    supervises,
    text,
)
from qiangji.recruitment.services.steps import check_training

LEVEL_STEPS = {
    SignOffLevel.BRANCH_COMMITTEE: 12,
    SignOffLevel.PRE_REVIEW: 13,
    SignOffLevel.CONSENT: None,
    SignOffLevel.APPROVAL: 17,
    SignOffLevel.FILING: 18,
    SignOffLevel.CONFIRMATION_APPROVAL: 24,
}
COMMITTEE_KINDS = frozenset(
    {OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE, OrgKind.INDUSTRY_COMMITTEE, OrgKind.GENERAL_BRANCH}
)
# Sign-off levels that only an organisation with the authority may sign (AuthorityRule rows).
LEVEL_AUTHORITY = {
    SignOffLevel.PRE_REVIEW: AuthorityAction.PRE_REVIEW,
    SignOffLevel.APPROVAL: AuthorityAction.APPROVAL,
    SignOffLevel.CONFIRMATION_APPROVAL: AuthorityAction.CONFIRMATION_APPROVAL,
}
PARENT_COMMITTEE_KINDS = frozenset({OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE})


def authority_rule_code(action: str) -> str:
    """The `Rule` code a refusal of `action` cites (rule_data.AUTHORITY_ACTIONS)."""
    return AUTHORITY_ACTIONS[action][0]


def _authority_row(rule_set: str, action: str, org: Organisation) -> AuthorityRule | None:
    """The AuthorityRule that decides for `org`: a row with a parent condition first, then the kind's row."""
    candidates = [
        row
        for row in AuthorityRule.objects.filter(rule_set=rule_set, action=action, org_kind=org.kind)
        if not row.org_category or row.org_category == org.category
    ]
    parent = None
    for row in sorted(candidates, key=lambda row: (not row.parent_category, not row.org_category)):
        if row.parent_category:
            parent = parent or org.get_parent()
            if (
                parent is None
                or parent.kind not in PARENT_COMMITTEE_KINDS
                or parent.category != row.parent_category
            ):
                continue
        return row
    return None


def may_sign(actor, case, action: str, org: Organisation, *, on=None) -> str | None:
    """Why `org` may not sign `action` (an `AuthorityAction`: pre_review, approval, confirmation_approval,
    extension, form_numbers) — or None if it may.  The one reading of the `AuthorityRule` rows
    (docs/rules.md §1, "Authority"): a primary committee with approval authority; never a general branch,
    a village committee under a township committee or a community committee under a street committee.

    `case` (None for form numbers): `org` must be above the case's branch.  `actor` (None to ask about the
    organisation only): must hold a committee-level grant covering `org`.  `on`: the date of the act
    (its rule set); today if not given.  Refusals cite `authority_rule_code(action)` (see `check_authority`)."""
    day = on or today()
    label = AUTHORITY_ACTIONS[action][1]
    if case is not None and (org.path == case.org_path or not case.org_path.startswith(org.path)):
        return f"“{org.name}”不是该党支部的上级党组织，不能{label}"
    row = _authority_row(rules.applicable_rule_set(day), action, org)
    if row is None or not row.allowed:
        what = (
            row.reason
            if row is not None and row.reason
            else f"{org.get_kind_display()}，不是具有审批权限的基层党委"
        )
        return f"“{org.name}”是{what}，不能{label}"
    if actor is not None and not (supervises(actor, org) and scope_of(actor).allows(Action.CHANGE, org.path)):
        return f"您无权代表“{org.name}”{label}，须由该党委工作人员办理"
    return None


def check_authority(actor, case, action: str, org: Organisation, day) -> None:
    """`may_sign` as a gate: RuleViolation citing the action's rule (e.g. fzdy-2014:step17.approver_kind)
    when the organisation may not sign; ValidationError on `organisation` when only the actor lacks the grant."""
    reason = may_sign(None, case, action, org, on=day)
    if reason is None:
        reason = may_sign(actor, case, action, org, on=day)
        if reason is not None:
            raise ValidationError({"organisation": f"签署组织：{reason}"})
        return
    rule = rules.effective_rule(
        authority_rule_code(action), day, case.org_path if case is not None else org.path
    )
    if rule is None or not rule.enabled:
        return
    raise rules.violation(rule, f"{reason}（{day:%Y-%m-%d}）")


def _authority_actions(case, level: str) -> tuple[str, ...]:
    """The authority actions a sign-off at `level` needs: its own (LEVEL_AUTHORITY), and for the step-24
    approval of a case whose probation was extended at step 23 also `extension` — the committee that
    approves the confirmation approves the extended probation (docs/rules.md §1, step 23), checked first
    so that a refusal cites `step23.extension_approver_kind`."""
    action = LEVEL_AUTHORITY.get(level)  # type: ignore[call-overload]
    if action is None:
        return ()
    if level == SignOffLevel.CONFIRMATION_APPROVAL and case.probation_extended:
        return (AuthorityAction.EXTENSION, action)
    return (action,)


def _signing_org(actor, case, level: str, organisation, day) -> Organisation:
    """The branch itself for its committee's review.  A level with an authority (pre-review, approval,
    confirmation approval): the organisation given, if `may_sign` allows it (else refused), or the nearest
    organisation above the branch that may sign and the actor may act for.  Other levels: the nearest
    committee above the branch (or the one given), which the actor must supervise."""
    if level == SignOffLevel.BRANCH_COMMITTEE:
        return case.organisation
    ancestors = list(Organisation.objects.filter(path__in=ancestor_paths(case.org_path)).order_by("-depth"))
    actions = _authority_actions(case, level)
    day = day if isinstance(day, datetime.date) else None  # a bad date is refused by check_order
    if organisation is not None:
        pk = getattr(organisation, "pk", organisation)
        chosen = next((org for org in ancestors if org.pk == pk), None)
    elif actions:
        allowed = [
            org for org in ancestors if all(may_sign(None, case, a, org, on=day) is None for a in actions)
        ]
        chosen = next(
            (org for org in allowed if all(may_sign(actor, case, a, org, on=day) is None for a in actions)),
            allowed[0] if allowed else (ancestors[0] if ancestors else None),
        )
    else:
        chosen = next((org for org in ancestors if org.kind in COMMITTEE_KINDS), None)
    if chosen is None:
        raise ValidationError({"organisation": "签署组织：应为该党支部的上级党组织"})
    for action in actions if day is not None else ():
        check_authority(actor, case, action, chosen, day)
    if not supervises(actor, chosen) or not scope_of(actor).allows(Action.CHANGE, chosen.path):
        raise ValidationError(
            {"organisation": f"签署组织：您无权代表“{chosen.name}”签署，须由上级党委工作人员办理"}
        )
    return chosen


def cannot_approve(org: Organisation, *, on=None) -> str:
    """Why an organisation may not approve admissions (《中国共产党发展党员工作细则》第二十四条), or "" if it
    may: `may_sign` on the approval action, kept for its callers."""
    return may_sign(None, None, AuthorityAction.APPROVAL, org, on=on) or ""


def _pre_review_gates(case, day) -> tuple[bool, list[str]]:
    vetting = case.vettings.order_by("-concluded_on", "-id").first()
    overridden = gate(
        case,
        "step10.vetting_passed",
        day,
        vetting is not None and vetting.outcome == Outcome.PASS,
        lambda: (
            "没有政治审查结论"
            if vetting is None
            else f"{vetting.concluded_on:%Y-%m-%d} 的政治审查结论为“{vetting.get_outcome_display()}”"
        ),
    )
    overridden |= check_training(case, day)
    leaving = case.leaving_unit_on
    rule = rules.effective_rule("step13.leaving_unit", day, case.org_path)
    soon = bool(
        leaving and rule and rule.maximum and leaving <= rules.shift(day, rule.maximum, rule.unit).date
    )
    alerts = alert(case, "step13.leaving_unit", day, soon, lambda: f"预计 {leaving:%Y-%m-%d} 离开本单位")
    return overridden, alerts


def _approval_checks(case, org, day) -> list[str]:
    """Step 17: the approver's authority was checked with the signing organisation (`check_authority`);
    "不得超过六个月" (step17.approval_limit) is a hard gate read from the one rule-state computation
    (`selectors.state.step_state`); "三个月内" (step17.approval_within) stays an alert."""
    limit = step_state(case, 17, day).reason("step17.approval_limit")
    if limit is not None:
        rule = rules.effective_rule("step17.approval_limit", day, case.org_path)
        if rule is not None:
            raise rules.violation(rule, limit.detail)
    due = rules.due_date(rules.effective_rule("step17.approval_within", day, case.org_path), case.admitted_on)
    return alert(
        case,
        "step17.approval_within",
        day,
        bool(due and day > due.date),
        lambda: (
            f"支部大会 {case.admitted_on:%Y-%m-%d} 通过，最迟 {due.date:%Y-%m-%d}（含）审批，"  # type: ignore[union-attr]
            f"实际 {day:%Y-%m-%d}"
        ),
    )


@transaction.atomic
def record_signoff(
    *,
    actor,
    case,
    level: str,
    date,
    outcome: str,
    person_name: str,
    reason: str = "",
    organisation=None,
    leaving_unit_on=None,
) -> SignOff:
    """`leaving_unit_on` (pre-review): when the person is expected to leave the unit; within 3 months
    of the pre-review gives the step-13 warning (fzdy 第20条)."""
    case = lock_case(actor, case)
    if leaving_unit_on is not None:
        case.leaving_unit_on = leaving_unit_on
    if level not in SignOffLevel.values:
        raise ValidationError({"level": f"层级：代码“{level}”不在代码表中"})
    if outcome not in (Outcome.PASS, Outcome.FAIL, Outcome.RETURN):
        raise ValidationError({"outcome": "结果：应为 pass（通过）、fail（不通过）或 return（退回补充）"})
    if outcome != Outcome.PASS and not (reason or "").strip():
        raise ValidationError({"reason": "意见/理由：不通过或退回时必填"})
    step = LEVEL_STEPS[level]  # type: ignore[index]
    org = _signing_org(actor, case, level, organisation, date)
    overridden, alerts = False, []  # type: ignore[var-annotated]
    if step is None:  # consent precedes step 7: the case must be an activist, not yet a target
        if 7 in done_steps(case):
            raise ValidationError({"level": "已确定为发展对象，不需要再征得上级党委同意"})
        check_order(case, 7, date)
    else:
        check_order(case, step, date)
    if level == SignOffLevel.PRE_REVIEW and outcome == Outcome.PASS:
        overridden, alerts = _pre_review_gates(case, date)
    if level == SignOffLevel.APPROVAL:
        alerts = _approval_checks(case, org, date)
    if level == SignOffLevel.CONFIRMATION_APPROVAL:
        alerts = _confirmation_approval_alerts(case, date)
    signoff = SignOff.objects.create(
        case=case,
        org_path=case.org_path,
        step=step or 7,
        level=level,
        organisation=org,
        person_name=text({"person_name": person_name}, "person_name", "签署人", limit=50),
        person=actor,
        signed_on=date,
        outcome=outcome,
        reason=(reason or "").strip(),
    )
    audit.record(
        actor=actor,
        action="recruitment.step.signed",
        target=case,
        org=org,
        after={
            "level": level,
            "outcome": outcome,
            "date": date,
            "reason": signoff.reason,
            "signoff": signoff.pk,
        },
    )
    if step is not None:
        add_step(
            actor,
            case,
            step,
            date,
            outcome=outcome,
            actors=[signoff.person_name],
            fields={"signoff": signoff.pk, "reason": signoff.reason},
            alerts=alerts,
            overridden=overridden,
        )
    if level == SignOffLevel.APPROVAL and outcome == Outcome.FAIL:
        _refused_admission(actor, case, date, signoff.reason)
    return signoff


def _confirmation_approval_alerts(case, day) -> list[str]:
    met_on = done_steps(case).get(23)
    due = rules.due_date(rules.effective_rule("step24.approval_within", day, case.org_path), met_on)  # type: ignore[arg-type]
    return alert(
        case,
        "step24.approval_within",
        day,
        bool(due and day > due.date),
        lambda: f"支部大会 {met_on:%Y-%m-%d} 通过转正，应于 {due.label} 前审批，实际 {day:%Y-%m-%d}",  # type: ignore[union-attr]
    )


def _refused_admission(actor, case, day, reason: str) -> None:
    """The committee did not approve: the probationary record leaves the roll, the case ends."""
    case.status = CaseStatus.WITHDRAWN
    case.save()
    if case.member_id and case.member.status == MemberStatus.PROBATIONARY:
        record_status_event(
            actor=actor,
            member=case.member,
            status=MemberStatus.LEFT,
            effective_on=day,
            reason=f"上级党委未批准接收为预备党员：{reason}"[:255],
        )


def approve_admission(
    *, actor, case, date, outcome: str = Outcome.PASS, person_name: str, reason: str = "", organisation=None
) -> SignOff:
    """Step 17: a primary committee with approval authority approves (`may_sign`: never a general branch,
    a village committee under a township committee or a community committee under a street committee —
    gate); within 3 months of the branch meeting (alert), never beyond 6 months (gate)."""
    return record_signoff(
        actor=actor,
        case=case,
        level=SignOffLevel.APPROVAL,
        date=date,
        outcome=outcome,
        person_name=person_name,
        reason=reason,
        organisation=organisation,
    )
