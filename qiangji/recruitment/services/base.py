"""What every recruitment service shares: locking the case, step order, gates, step records, audit.

Every service locks the case row (`select_for_update`) through the actor's CHANGE scope first, so
two users acting on the same step at once are serialised: the second sees the step done and is
refused.  A case outside the actor's subtree answers 404 and nothing changes.
"""

import datetime

from django.core.exceptions import ValidationError

from qiangji.core import audit
from qiangji.core.choices import Action, Role
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.recruitment import rules
from qiangji.recruitment.choices import (
    REFERENCE_FIELDS,
    REPEATABLE_STEPS,
    STEP_NAMES,
    STEP_STAGES,
    Outcome,
)
from qiangji.recruitment.models import Case, GateOverride, StepRecord
from qiangji.recruitment.selectors import state

ACTION_LABELS = {  # registered in apps.py
    "recruitment.case.created": "登记入党申请",
    "recruitment.case.transferred": "转接发展党员培养关系",
    "recruitment.case.archived": "发展党员材料归档",
    "recruitment.document.added": "上传发展党员材料",
    "recruitment.step.recorded": "记录发展党员步骤",
    "recruitment.step.signed": "发展党员审查审批签署",
    "recruitment.mentors.assigned": "指定培养联系人",
    "recruitment.sponsors.named": "确定入党介绍人",
    "recruitment.notice.published": "发布公示",
    "recruitment.objection.recorded": "登记公示期间反映的问题",
    "recruitment.objection.resolved": "处理公示期间反映的问题",
    "recruitment.meeting.held": "召开支部大会表决",
    "recruitment.form.issued": "发放入党志愿书",
    "recruitment.form_range.added": "登记入党志愿书编号段",
    "recruitment.probation.decided": "预备期决定",
    "recruitment.gate.overridden": "关卡特批",
    "recruitment.rule.tightened": "从严调整发展党员规则",
    "recruitment.plan.saved": "保存发展党员计划",
}

# Steps that must be done before a step: the one table is `selectors.state.REQUIRES` (docs/rules.md §1;
# talk before activist, filings, an assessment before the target, filing/placement/oath before 22).
REQUIRES = state.REQUIRES
# Steps whose record-based gates are enforced by the step's own service rather than by check_order:
# 7 (check_order(7) also guards the consent sign-off, which precedes the target) and the sign-offs
# 12, 13, 17, 24 (a failed or returned sign-off may be recorded whatever the records say).
SERVICE_ENFORCED = frozenset({7, 12, 13, 17, 24})
SUPERVISING_ROLES = frozenset({Role.PROVINCE, Role.CITY, Role.COUNTY, Role.COMMITTEE})
CASE_AUDIT_FIELDS = ("status", "stage", "step", "last_step_on", "org_path")


def lock_case(actor, case) -> Case:
    """Lock and return the case if the actor may change it; 404 (saying nothing) otherwise.  Only the
    case row is locked (`of=("self",)`), not its organisation, so the lock is taken by the queryset."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("organisation")
    return get_in_scope_or_404(Case, actor, case, Action.CHANGE, queryset=locked)


def reread(actor, case: Case) -> Case:
    """After a write, re-read through the scope (docs/architecture.md); raising here rolls the write back."""
    return get_in_scope_or_404(Case, actor, case.pk, Action.CHANGE)


def supervises(actor, organisation) -> bool:
    """A committee-level grant (not a branch one) covering `organisation`."""
    scope = scope_of(actor)
    if scope.is_superuser:
        return True
    return any(
        organisation.path.startswith(path) and role in SUPERVISING_ROLES for path, role in scope.grants
    )


def done_steps(case: Case) -> dict[int, datetime.date]:
    """Step → latest date, for steps done with a positive outcome."""
    done: dict[int, datetime.date] = {}
    records = StepRecord.objects.filter(case=case, outcome__in=[Outcome.DONE, Outcome.PASS])
    for step, day in records.values_list("step", "occurred_on"):
        done[step] = max(day, done.get(step, day))
    return done


def check_order(case: Case, step: int, day, *, repeat_ok: bool = False) -> dict[int, datetime.date]:
    """The step's prerequisites are done (rule `stepNN.order`, from `selectors.state.step_state`, the
    one computation the case page and the API read too), the step is not done yet (unless repeatable)
    and `day` is a real date not in the future nor before its prerequisites.  For the steps not in
    SERVICE_ENFORCED every other record-based gate of the state is enforced here as well."""
    if not isinstance(day, datetime.date):
        raise ValidationError({"date": "日期：必填，格式如 2025-05-01"})
    if day > today():
        raise ValidationError({"date": f"日期：{day:%Y-%m-%d} 不能晚于今天"})
    if case.status not in ("open", "probationary", "confirmed"):
        raise ValidationError({"step": f"该记录状态为“{case.get_status_display()}”，不能再记录步骤"})
    current = rule_state(case, step, day)
    enforce(case, step, day, codes={state.order_code(step)})
    done = current.done
    if step in done and step not in REPEATABLE_STEPS and not repeat_ok:
        raise ValidationError(
            {"step": f"第{step}步“{STEP_NAMES[step]}”已于 {done[step]:%Y-%m-%d} 记录，不能重复办理"}
        )
    earliest = max((done[n] for n in REQUIRES.get(step, set()) if n in done), default=None)
    if earliest and day < earliest:
        raise ValidationError({"date": f"日期：{day:%Y-%m-%d} 早于前一步骤的日期 {earliest:%Y-%m-%d}"})
    if step not in SERVICE_ENFORCED:
        enforce(case, step, day)
    return done


def rule_state(case: Case, step: int, day) -> state.StepState:
    """`selectors.state.step_state`, computed once per service call (kept on the locked case object)."""
    cached = getattr(case, "_rule_state", None)
    if cached is None or (cached.step, cached.on) != (step, day):
        cached = state.step_state(case, step, day)
        case.__dict__["_rule_state"] = cached
    return cached


def enforce(case: Case, step: int, day, *, codes=None) -> bool:
    """Refuse with the first reason of the step's rule state (among `codes`, default all; less the
    codes in `case._waived`); an unused override of a discretionary gate sets it aside once (marked
    used, remembered in `case._set_aside` so that `gate` does not ask again).  True if overridden."""
    current = rule_state(case, step, day)
    waived = getattr(case, "_waived", frozenset())  # type: ignore[var-annotated]
    for reason in current.reasons:
        if (codes is None or reason.code in codes) and reason.code not in waived:
            raise reason.violation()
    set_aside = case.__dict__.setdefault("_set_aside", set())
    used = False
    for fact in current.overridden:
        code = fact.rule.code
        if (codes is None or code in codes) and code not in waived:
            if code not in set_aside:
                fact.override.used = True  # type: ignore[union-attr]
                fact.override.save(update_fields=["used"])  # type: ignore[union-attr]
                set_aside.add(code)
            used = True
    return used


def gate(case: Case, code: str, day, ok: bool, facts) -> bool:
    """Apply gate `code` of the rule set in force on `day`: nothing if met or disabled; an unused
    override lets it pass once (returns True = overridden); otherwise RuleViolation."""
    if code in getattr(case, "_set_aside", ()):
        return True
    rule = rules.effective_rule(code, day, case.org_path)
    if ok or rule is None or not rule.enabled or not rule.is_gate:
        return False
    override = (
        GateOverride.objects.filter(case=case, rule__code=code, used=False).order_by("created_at").first()
        if code in rules.OVERRIDABLE
        else None
    )
    if override is not None:
        override.used = True
        override.save(update_fields=["used"])
        case.__dict__.setdefault("_set_aside", set()).add(code)
        return True
    raise rules.violation(rule, facts() if callable(facts) else facts)


def alert(case: Case, code: str, day, late: bool, facts) -> list[str]:
    """Alerts and warnings do not refuse: they are kept on the step record and shown on the case."""
    rule = rules.effective_rule(code, day, case.org_path)
    if not late or rule is None or not rule.enabled:
        return []
    if rule.is_gate:
        gate(case, code, day, False, facts)
    return [
        f"{rule.qualified}：{rule.title}（{rules.inclusive_wording(facts() if callable(facts) else facts)}）"
    ]


def add_step(
    actor,
    case: Case,
    step: int,
    day,
    *,
    outcome=Outcome.DONE,
    fields=None,
    actors=None,
    overridden=False,
    alerts=(),
    provisional=False,
) -> StepRecord:
    """Write the step record, move the case forward and audit it (inside the caller's transaction)."""
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    overridden = overridden or bool(getattr(case, "_set_aside", None))
    payload = dict(fields or {})
    if alerts:
        payload["alerts"] = list(alerts)
    record = StepRecord.objects.create(
        case=case,
        org_path=case.org_path,
        step=step,
        occurred_on=day,
        outcome=outcome,
        fields=payload,
        actors=list(actors or []),
        rule_set=rules.applicable_rule_set(day),
        overridden=overridden,
        provisional=provisional,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    if outcome in (Outcome.DONE, Outcome.PASS):
        advance(case, step, day)
    audit.record(
        actor=actor,
        action="recruitment.step.recorded",
        target=case,
        org=case.organisation,
        before=before,
        after=audit.snapshot(case, CASE_AUDIT_FIELDS)
        | {
            "step_record": record.pk,
            "recorded_step": step,
            "outcome": outcome,
            "date": day,
            "overridden": overridden,
            "alerts": list(alerts),
        },
    )
    return record


def advance(case: Case, step: int, day) -> None:
    if step >= case.step:
        case.step, case.stage = step, STEP_STAGES[step]
    case.last_step_on = max(day, case.last_step_on or day)
    column = REFERENCE_FIELDS.get(step)
    if column and step not in (15, 21, 23):  # set by the meeting and probation services
        setattr(case, column, day)
    case.save()


def text(values: dict, key: str, label: str, *, required=True, limit=2000) -> str:
    value = str(values.get(key) or "").strip()
    if required and not value:
        raise ValidationError({key: f"{label}：必填"})
    if len(value) > limit:
        raise ValidationError({key: f"{label}：不能超过{limit}个字（现为{len(value)}个）"})
    return value
