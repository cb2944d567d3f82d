"""One computation of "may this step be taken now, and why not" (issue #11; docs/rules.md §1).

`step_state(case, step, on)` decides from the case's CURRENT records on the date `on`: the steps that
must precede it (`stepNN.order`), the latest vetting conclusion, the latest pre-review, the training
totals, the higher committee's consent, the notices and their windows with open objections, and every
dated rule of the step (earliest and last allowed day, from the case's reference dates).  The services'
gates (`services.base.check_order` / `enforce`), the case page (`selectors.cases.pending_rules`), the
phone forms, the API (`api_rule_state`) and the due list (`deadlines`) all read it, so a "已满足" shown
anywhere is the same computation that lets the step through.

Signature (stable; other modules call it):

    step_state(case: Case, step: int, on: datetime.date) -> StepState

`StepState.allowed` is False when any `reasons` remain; each `Reason` names the rule once
(`rule_id` = "<set>:<code>"), the facts with inclusive dates (`detail`) and the regulation in words
(`article`).  A discretionary gate (rules.OVERRIDABLE, incl. every `stepNN.order`) that an unused
`GateOverride` sets aside is listed in `overridden`, not in `reasons`.  Rules the step can only check
against what is submitted (ballot numbers, sponsors, the approver) have status "check".
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from qiangji.recruitment import rules
from qiangji.recruitment.choices import (
    NOTICE_BLOCKS_STEP,
    REFERENCE_FIELDS,
    STEP_NAMES,
    NoticePurpose,
    Outcome,
    RuleKind,
    SignOffLevel,
)
from qiangji.recruitment.models import (
    Case,
    GateOverride,
    PublicNotice,
    SignOff,
    StepRecord,
    TrainingRecord,
)

# Steps that must be done (a positive outcome) before a step (docs/rules.md §1: every step requires
# the steps before it — filings, half-yearly assessment, placement and oath included; 9–11 in any order;
# 21 (continued education during probation) is a period, not a prerequisite).  Seeded as `stepNN.order`
# rules by migration 0005.
REQUIRES = {
    2: {1},
    3: {1, 2},
    4: {3},
    5: {3},
    6: {3},
    7: {3, 4, 5, 6},
    8: {7},
    9: {7},
    10: {7},
    11: {7},
    12: {8, 9, 10, 11},
    13: {12},
    14: {13},
    15: {14},
    16: {15},
    17: {15, 16},
    18: {17},
    19: {17},
    20: {17},
    21: {17},
    22: {17, 18, 19, 20},
    23: {22},
    24: {23},
    25: {24},
}
# Rules of another step that every later step up to admission is judged on again (the latest record
# counts: a failed vetting recorded after the admission form blocks the branch meeting).
CARRIED = {
    "step10.vetting_passed": range(13, 18),
    "step13.pre_review_passed": range(14, 16),
    "step21.probation_period": (23,),  # confirmed or extended only when probation has ended
}
PURPOSE_OF_STEP = {step: purpose for purpose, step in NOTICE_BLOCKS_STEP.items()}
TIME_UNITS = ("days", "working_days", "months", "years")


def order_code(step: int) -> str:
    return f"step{step:02d}.order"


def inclusive(due: rules.Due | datetime.date) -> str:
    """A last or first allowed day, worded inclusively: "2026-02-15（含）"."""
    if isinstance(due, rules.Due):
        return f"{due.date:%Y-%m-%d}（含）" + ("（暂定：该年节假日安排未发布）" if due.provisional else "")
    return f"{due:%Y-%m-%d}（含）"


@dataclass(frozen=True)
class Reason:
    """Why a step may not be taken: the rule (once), the facts, the regulation in words."""

    rule_id: str
    detail: str
    article: str
    code: str = ""
    title: str = ""
    overridable: bool = False

    def violation(self) -> rules.RuleViolation:
        return rules.RuleViolation(
            rule=self.rule_id, detail=rules.refusal_text(self.rule_id, self.title, self.detail, self.article)
        )


@dataclass
class Fact:
    """One rule of the step as the records stand: passed / pending / late / open / none / check."""

    rule: rules.EffectiveRule
    status: str
    text: str
    blocking: bool = False
    override: GateOverride | None = None

    @property
    def rule_id(self) -> str:
        return self.rule.qualified

    @property
    def kind(self) -> str:
        return RuleKind(self.rule.kind).label


@dataclass
class StepState:
    case_id: int
    step: int
    on: datetime.date
    allowed: bool
    reasons: list[Reason] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    overridden: list[Fact] = field(default_factory=list)
    done: dict[int, datetime.date] = field(default_factory=dict)
    missing: list[int] = field(default_factory=list)
    deadlines: dict[str, rules.Due] = field(default_factory=dict)  # rule_id → last allowed day

    def reason(self, code: str) -> Reason | None:
        return next((r for r in self.reasons if r.code == code), None)

    def fact(self, code: str) -> Fact | None:
        return next((f for f in self.facts if f.rule.code == code), None)


class _Records:
    """The case's records, each read once per computation and only when a rule of the step needs it."""

    def __init__(self, case: Case, on: datetime.date):
        self.case, self.on, self.rules = case, on, {}
        self.done: dict[int, datetime.date] = {}
        steps = StepRecord.objects.filter(case=case, outcome__in=[Outcome.DONE, Outcome.PASS])
        for number, day in steps.values_list("step", "occurred_on"):
            self.done[number] = max(day, self.done.get(number, day))

    @cached_property
    def vetting(self):
        return self.case.vettings.order_by("-concluded_on", "-created_at", "-id").first()

    @cached_property
    def _signoffs(self) -> list:
        return list(
            SignOff.objects.filter(
                case=self.case, level__in=[SignOffLevel.PRE_REVIEW, SignOffLevel.CONSENT]
            ).order_by("signed_on", "id")
        )

    @property
    def pre_review(self):
        reviews = [s for s in self._signoffs if s.level == SignOffLevel.PRE_REVIEW]
        return reviews[-1] if reviews else None

    @property
    def consent(self) -> list:
        return [
            s
            for s in self._signoffs
            if s.level == SignOffLevel.CONSENT and s.outcome == Outcome.PASS and s.signed_on <= self.on
        ]

    @cached_property
    def notices(self) -> list:
        return list(
            PublicNotice.objects.filter(case=self.case)
            .prefetch_related("objections")
            .order_by("starts_on", "id")
        )

    @cached_property
    def training(self) -> tuple:
        days = hours = 0
        for record in TrainingRecord.objects.filter(case=self.case).only("days", "hours"):
            days, hours = days + record.days, hours + record.hours
        return days, hours

    @cached_property
    def overrides(self) -> dict[str, GateOverride]:
        found: dict[str, GateOverride] = {}
        unused = (
            GateOverride.objects.filter(case=self.case, used=False)
            .select_related("rule")
            .order_by("created_at")
        )
        for override in unused:
            found.setdefault(override.rule.code, override)
        return found


def _rules(case: Case, step: int, on: datetime.date) -> tuple[list[rules.EffectiveRule], dict]:
    """The step's rules in force on `on` (the order rule first, then the carried ones, then the step's
    own), tightened for the case; and every rule read, by code (two queries)."""
    carried = [code for code, steps in CARRIED.items() if step in steps]
    extra = ["step11.training_min_days", "step11.training_min_hours"]
    found = rules.effective_rules(on, case.org_path, step=step, codes=[order_code(step), *carried, *extra])
    ordered = [found[code] for code in (order_code(step), *carried) if code in found]
    ordered += [rule for rule in found.values() if rule.step == step and rule not in ordered]
    return ordered, found


def step_state(case: Case, step: int, on: datetime.date) -> StepState:
    """May `step` of `case` be taken on `on`, and why not (see the module docstring)."""
    records = _Records(case, on)
    state = StepState(case_id=case.pk, step=step, on=on, allowed=True, done=records.done)
    ordered, found = _rules(case, step, on)
    records.rules = found
    for rule in ordered:
        code = rule.code
        if not rule.enabled:
            continue
        fact = _evaluate(case, step, on, rule, records, state)
        if fact is None:
            continue
        state.facts.append(fact)
        if not fact.blocking:
            continue
        override = records.overrides.get(code) if code in rules.OVERRIDABLE else None
        if override is not None:
            fact.override, fact.status = override, "overridden"
            fact.text += f"（已特批：{override.reason}）"
            state.overridden.append(fact)
            continue
        state.reasons.append(
            Reason(rule.qualified, fact.text, rule.source, code, rule.title, code in rules.OVERRIDABLE)
        )
    state.allowed = not state.reasons
    return state


def _fact(rule, ok: bool, text: str, *, gate: bool | None = None) -> Fact:
    blocking = (not ok) and (rule.is_gate if gate is None else gate)
    return Fact(rule, "passed" if ok else "pending", text, blocking)


def _evaluate(case, step, on, rule, records: _Records, state: StepState) -> Fact | None:
    code = rule.code.split(".", 1)[1]
    if code == "order":
        state.missing = sorted(REQUIRES.get(step, set()) - set(records.done))
        if state.missing:
            names = "、".join(f"第{n}步“{STEP_NAMES[n]}”" for n in state.missing)
            return _fact(rule, False, f"第{step}步“{STEP_NAMES[step]}”之前须先完成{names}（{on:%Y-%m-%d}）")
        return _fact(rule, True, "前序步骤均已完成")
    if code == "vetting_passed":
        vetting = records.vetting
        if vetting is None:
            return _fact(rule, False, "尚无政治审查结论")
        ok = vetting.outcome == Outcome.PASS
        return _fact(
            rule,
            ok,
            f"最近一次政治审查结论（{vetting.concluded_on:%Y-%m-%d}）为“{vetting.get_outcome_display()}”",
        )
    if code == "pre_review_passed":
        review = records.pre_review
        if review is None or review.signed_on > on:
            return _fact(rule, False, "尚未预审合格：没有上级党委预审记录")
        ok = review.outcome == Outcome.PASS
        return _fact(
            rule,
            ok,
            f"{'预审已合格' if ok else '尚未预审合格'}：最近一次预审（{review.signed_on:%Y-%m-%d}）"
            f"结果为“{review.get_outcome_display()}”",
        )
    if code in ("training_min_days", "training_min_hours"):
        return _training(case, on, rule, records)
    if code == "higher_consent":
        ok = bool(records.consent)
        return _fact(
            rule,
            ok,
            f"已于 {records.consent[-1].signed_on:%Y-%m-%d} 征得上级党委同意"
            if ok
            else f"截至 {on:%Y-%m-%d} 尚未征得上级党委同意",
        )
    if code in ("notice_min", "notice_closed"):
        return _notice(case, step, on, rule, records, code)
    if rule.code == "step21.probation_period":
        return _probation(case, step, on, rule)
    if rule.unit in TIME_UNITS and rule.reference_step in REFERENCE_FIELDS:
        return _dated(case, step, on, rule, state)
    return Fact(rule, "check", "办理时核验（依据提交的内容）")


def _training(case, on, rule, records: _Records) -> Fact:
    days, hours = records.training
    day_rule = records.rules.get("step11.training_min_days")
    hour_rule = records.rules.get("step11.training_min_hours")
    min_days = day_rule.minimum if day_rule and day_rule.minimum is not None else 3
    min_hours = hour_rule.minimum if hour_rule and hour_rule.minimum is not None else 24
    ok = days >= min_days or hours >= min_hours
    text = (
        f"集中培训共{rules.amount_text(days, 'days')}、{rules.amount_text(hours, 'hours')}，"
        f"应不少于{rules.amount_text(min_days, 'days')}或{rules.amount_text(min_hours, 'hours')}"
    )
    if rule.code.endswith("hours"):  # one refusal for the pair: the days rule names it
        return Fact(rule, "passed" if ok else "pending", text, False)
    return _fact(rule, ok, text)


def _notice(case, step, on, rule, records: _Records, code: str) -> Fact:
    purpose = PURPOSE_OF_STEP.get(step)
    label = NoticePurpose(purpose).label if purpose else "公示"
    notices = [n for n in records.notices if n.purpose == purpose and n.starts_on <= on]
    if code == "notice_min":
        minimum = rule.minimum or 0
        long_enough = [n for n in notices if n.working_days >= minimum]
        if long_enough:
            last = long_enough[-1]
            return _fact(
                rule,
                True,
                f"已公示 {last.starts_on:%Y-%m-%d} 至 {last.ends_on:%Y-%m-%d}"
                f"（{rules.amount_text(last.working_days, 'working_days')}）",
            )
        return _fact(
            rule,
            False,
            f"截至 {on:%Y-%m-%d} 没有不少于{rules.amount_text(minimum, 'working_days')}的“{label}”",
        )
    if not notices:  # nothing posted: never "公示期已满"
        required = records.rules.get(f"step{step:02d}.notice_min")
        if required is not None and required.enabled:
            return Fact(rule, "pending", f"尚未发布“{label}”", False)  # refused once, by notice_min
        return Fact(rule, "none", f"未发布“{label}”（本规则集不要求公示）", False)
    open_windows = [n for n in notices if on <= n.ends_on]
    objections = sum(
        1 for n in notices for o in n.objections.all() if o.resolved_on is None or o.resolved_on > on
    )
    if open_windows:
        window = open_windows[-1]
        return _fact(
            rule,
            False,
            f"公示期 {window.starts_on:%Y-%m-%d} 至 {inclusive(window.ends_on)} 尚未结束"
            f"（本次日期 {on:%Y-%m-%d}，最早 {window.ends_on + datetime.timedelta(days=1):%Y-%m-%d} 办理）",
        )
    if objections:
        return _fact(rule, False, f"公示期间反映的问题尚有{objections}件未处理完毕（本次日期 {on:%Y-%m-%d}）")
    upheld = [o for n in notices for o in n.objections.all() if o.upheld]
    if upheld:
        first = min(o.resolved_on for o in upheld)
        return _fact(
            rule,
            False,
            f"公示期间反映的问题经核实属实（{first:%Y-%m-%d} 处理），不能继续办理；可由审批党委记录例外并说明理由",
        )
    last = notices[-1]
    return _fact(
        rule,
        True,
        f"公示期已满（{last.starts_on:%Y-%m-%d} 至 {inclusive(last.ends_on)}），反映的问题均已处理",
    )


def _probation(case, step, on, rule) -> Fact:
    ends = case.probation_ends_on
    if step != 23:
        if ends is None:
            return Fact(rule, "check", "预备期自支部大会通过之日起算")
        return Fact(rule, "open", f"预备期自 {case.admitted_on:%Y-%m-%d} 起算，{inclusive(ends)} 届满")
    if ends is None:
        return _fact(rule, False, "尚未经支部大会接收为预备党员")
    ok = on >= ends
    text = f"预备期自 {case.admitted_on:%Y-%m-%d} 起算，{ends:%Y-%m-%d} 届满"
    return _fact(rule, ok, text + ("" if ok else f"，{on:%Y-%m-%d} 尚未届满（最早 {inclusive(ends)}）"))


def _reference_date(case, rule) -> datetime.date | None:
    ref = getattr(case, REFERENCE_FIELDS[rule.reference_step])
    if ref is None and rule.reference_step == rule.step:  # an interval counts from the step that opened it
        opener = max(number for number in REFERENCE_FIELDS if number < rule.step)
        ref = getattr(case, REFERENCE_FIELDS[opener])
    return ref


def _dated(case, step, on, rule, state: StepState) -> Fact:
    ref = _reference_date(case, rule)
    ref_name = STEP_NAMES[rule.reference_step]
    if ref is None:
        return Fact(rule, "check", f"“{ref_name}”尚无日期")
    if rule.minimum is not None:
        earliest = rules.earliest_date(rule, ref)
        ok = on >= earliest.date
        text = f"“{ref_name}” {ref:%Y-%m-%d}，最早 {inclusive(earliest)}"
        return _fact(rule, ok, text + ("" if ok else f"，本次日期 {on:%Y-%m-%d}"))
    last = rules.due_date(rule, ref)
    state.deadlines[rule.qualified] = last
    late = on > last.date
    text = f"“{ref_name}” {ref:%Y-%m-%d}，最迟 {inclusive(last)}" + (
        f"，本次日期 {on:%Y-%m-%d}" if late else ""
    )
    return Fact(rule, "late" if late else "open", text, late and rule.is_gate)


def api_rule_state(case: Case, on: datetime.date, step: int | None = None) -> dict:
    """The rule state of the case's next step (or `step`) for the API's case detail (`rule_state`):
    {"step", "date", "allowed", "reasons": [...], "rules": [...]}."""
    step = step or case.next_step
    if step is None:
        return {"step": None, "date": on.isoformat(), "allowed": False, "reasons": [], "rules": []}
    state = step_state(case, step, on)
    return {
        "step": step,
        "date": on.isoformat(),
        "allowed": state.allowed,
        "reasons": [{"rule": r.rule_id, "detail": r.detail, "article": r.article} for r in state.reasons],
        "rules": [
            {
                "rule": f.rule_id,
                "title": f.rule.title,
                "kind": f.rule.kind,
                "status": f.status,
                "text": f.text,
            }
            for f in state.facts
        ],
    }
