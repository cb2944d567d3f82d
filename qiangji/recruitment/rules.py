"""Rule sets, date arithmetic and gate checks for member development (《中国共产党发展党员工作细则》; docs/rules.md §1 and its rule-set section).

- Which rule set applies is decided by the date of the step: `fzdy-2026` from the setting
  `QIANGJI_FZDY_2026_EFFECTIVE` (default 2026-05-18), `fzdy-2014` before it.
- A month is a calendar month (docs/rules.md（日期计算）; `core.dates.add_months`); "以上/以下/以内" include the number, so "≥ 1 year after 2024-03-01"
  is met on 2025-03-01 and "within 1 month of 2025-01-31" ends on 2025-02-28.
- Working days follow the Chinese holiday and make-up-workday calendar (`chinesecalendar`); for a
  year it does not cover, Monday–Friday is used and the result is flagged `provisional`.
- An effective rule is the seeded rule made stricter by the `RuleOverride`s of the case's ancestors
  (a larger minimum, a smaller maximum, an L rule switched on, an alert made a gate) — never looser.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import chinese_calendar
from django.conf import settings
from django.db.models import Q

from qiangji.core.dates import add_months, add_years
from qiangji.core.scoping import ancestor_paths
from qiangji.recruitment.models import Rule, RuleOverride

RULE_SET_2014 = "fzdy-2014"
RULE_SET_2026 = "fzdy-2026"
UNIT_LABELS = {"days": "日", "working_days": "个工作日", "months": "个月", "years": "年", "hours": "学时"}

# Gates where the regulations leave discretion ("除个别特殊情况外", reported or local rules): an
# override with a written reason may let one step pass.  National hard lines (age, quorum, vote,
# sponsors, vetting, pre-review, approver, extension) are not in this set and cannot be overridden.
OVERRIDABLE = frozenset(
    {
        "step03.notice_min",
        "step03.notice_closed",
        "step07.notice_min",
        "step07.notice_closed",
        "step07.higher_consent",
        "step11.training_min_days",
        "step11.training_min_hours",
        "step15.notice_min",
        "step15.notice_closed",
        "step15.within_after_pre_review",
        "step23.notice_min",
        "step23.notice_closed",
        # Step order (migration 0005): the approving committee may set a missing step aside with a reason.
        *(f"step{step:02d}.order" for step in range(2, 26)),
    }
)


class RuleViolation(Exception):
    """A gate refused the action; the API answers 422 {"code": "rule_violation", "rule", "detail"}."""

    def __init__(self, rule: str, detail: str):
        super().__init__(detail)
        self.rule = rule
        self.detail = detail

    def as_dict(self) -> dict:
        return {"code": "rule_violation", "rule": self.rule, "detail": self.detail}


@dataclass(frozen=True)
class Due:
    date: datetime.date
    provisional: bool = False

    @property
    def label(self) -> str:
        return f"{self.date:%Y-%m-%d}" + ("（暂定：该年节假日安排未发布）" if self.provisional else "")


@dataclass(frozen=True)
class EffectiveRule:
    rule_set: str
    code: str
    title: str
    step: int
    reference_step: int | None
    minimum: Decimal | None
    maximum: Decimal | None
    unit: str
    kind: str
    enabled: bool
    source: str
    pk: int

    @property
    def qualified(self) -> str:
        return f"{self.rule_set}:{self.code}"

    @property
    def is_gate(self) -> bool:
        return self.kind == "gate"


def fzdy_2026_effective() -> datetime.date:
    value = settings.QIANGJI_FZDY_2026_EFFECTIVE
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def applicable_rule_set(step_date: datetime.date) -> str:
    """The rule set for a step done on `step_date` (docs/rules.md §1, rule sets: chosen by the date of the step)."""
    return RULE_SET_2026 if step_date >= fzdy_2026_effective() else RULE_SET_2014


# --- calendar -------------------------------------------------------------------------------------


def is_working_day(day: datetime.date) -> tuple[bool, bool]:
    """(is a working day, provisional): make-up Saturdays count, holidays do not."""
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        return day.weekday() < 5, True


def add_working_days(start: datetime.date, count: int) -> Due:
    """The `count`-th working day after `start` (start itself not counted)."""
    day, provisional, left = start, False, count
    while left > 0:
        day += datetime.timedelta(days=1)
        working, guessed = is_working_day(day)
        provisional |= guessed
        left -= working
    return Due(day, provisional)


def notice_end(starts_on: datetime.date, working_days: int) -> Due:
    """Last day of a notice of `working_days` working days whose first day is `starts_on`
    (counted if it is a working day): 2025-09-29 + 5 → 2025-10-11 across the National Day break."""
    working, provisional = is_working_day(starts_on)
    if working and working_days > 0:
        due = add_working_days(starts_on, working_days - 1)
        return Due(due.date, provisional or due.provisional)
    due = add_working_days(starts_on, working_days)
    return Due(due.date, provisional or due.provisional)


def shift(day: datetime.date, amount, unit: str) -> Due:
    """`day` moved by `amount` of `unit` (calendar months and years; working days by the calendar)."""
    whole = int(amount)
    if unit == "months":
        return Due(add_months(day, whole))
    if unit == "years":
        return Due(add_years(day, whole))
    if unit == "working_days":
        return add_working_days(day, whole)
    return Due(day + datetime.timedelta(days=whole))


def due_date(rule, reference_date: datetime.date) -> Due | None:
    """Last allowed day for a rule with a maximum ("within N of the reference step")."""
    if rule is None or rule.maximum is None or reference_date is None:
        return None
    return shift(reference_date, rule.maximum, rule.unit)


def earliest_date(rule, reference_date: datetime.date) -> Due | None:
    """First allowed day for a rule with a minimum period ("N or more after the reference step")."""
    if rule is None or rule.minimum is None or reference_date is None:
        return None
    return shift(reference_date, rule.minimum, rule.unit)


def amount_text(value, unit: str) -> str:
    number = int(value) if value is not None and Decimal(value) == int(value) else value
    return f"{number}{UNIT_LABELS.get(unit, '')}"


# --- effective rules ------------------------------------------------------------------------------


def path_and_ancestors(path: str) -> list[str]:
    """`path` and every node above it, root first (an override on the node itself applies too)."""
    return [*ancestor_paths(path), path] if path else []


def effective_rule(code: str, step_date: datetime.date, org_path: str = "") -> EffectiveRule | None:
    """The rule `code` of the set applying on `step_date`, tightened by overrides above `org_path`."""
    rule_set = applicable_rule_set(step_date)
    rule = Rule.objects.filter(rule_set=rule_set, code=code).first()
    if rule is None or not _valid_on(rule, step_date):
        return None
    minimum, maximum, enabled, kind = rule.minimum, rule.maximum, rule.enabled, rule.kind
    paths = path_and_ancestors(org_path)
    for override in RuleOverride.objects.filter(rule=rule, org_path__in=paths):
        minimum, maximum, enabled, kind = tighten(minimum, maximum, enabled, kind, override)
    return EffectiveRule(
        rule_set,
        rule.code,
        rule.title,
        rule.step,
        rule.reference_step,
        minimum,
        maximum,
        rule.unit,
        kind,
        enabled,
        rule.source,
        rule.pk,
    )


def effective_rules(
    step_date: datetime.date, org_path: str = "", *, step: int | None = None, codes=()
) -> dict[str, EffectiveRule]:
    """`effective_rule` for every rule of `step` and every code in `codes` at once (two queries)."""
    rule_set = applicable_rule_set(step_date)
    wanted = Q(code__in=list(codes)) | (Q(step=step) if step is not None else Q(pk__in=[]))
    found = [
        rule
        for rule in Rule.objects.filter(wanted, rule_set=rule_set).order_by("kind", "code")
        if _valid_on(rule, step_date)
    ]
    tightened: dict[int, list] = {}
    for override in RuleOverride.objects.filter(
        rule__in=[rule.pk for rule in found], org_path__in=path_and_ancestors(org_path)
    ):
        tightened.setdefault(override.rule_id, []).append(override)
    result = {}
    for rule in found:
        minimum, maximum, enabled, kind = rule.minimum, rule.maximum, rule.enabled, rule.kind
        for override in tightened.get(rule.pk, []):
            minimum, maximum, enabled, kind = tighten(minimum, maximum, enabled, kind, override)
        result[rule.code] = EffectiveRule(
            rule_set,
            rule.code,
            rule.title,
            rule.step,
            rule.reference_step,
            minimum,
            maximum,
            rule.unit,
            kind,
            enabled,
            rule.source,
            rule.pk,
        )
    return result


def _valid_on(rule, day: datetime.date) -> bool:
    return (rule.valid_from is None or rule.valid_from <= day) and (
        rule.valid_to is None or day <= rule.valid_to
    )


def tighten(minimum, maximum, enabled, kind, override):
    """Apply one override, keeping only what makes the rule stricter."""
    if override.minimum is not None:
        minimum = override.minimum if minimum is None else max(minimum, override.minimum)
    if override.maximum is not None:
        maximum = override.maximum if maximum is None else min(maximum, override.maximum)
    enabled = enabled or override.enabled
    if override.kind == "gate":
        kind = "gate"
    return minimum, maximum, enabled, kind


def looser_fields(rule, *, minimum=None, maximum=None, enabled=True, kind="") -> list[str]:
    """Which proposed values would loosen `rule` (docs/rules.md §1, rule sets: local settings stricter, never looser)."""
    looser = []
    if minimum is not None and rule.minimum is not None and minimum < rule.minimum:
        looser.append("minimum")
    if maximum is not None and rule.maximum is not None and maximum > rule.maximum:
        looser.append("maximum")
    if rule.enabled and not enabled:
        looser.append("enabled")
    if kind and rule.kind == "gate" and kind != "gate":
        looser.append("kind")
    return looser


_BEFORE = re.compile(r"应于 (\d{4}-\d{2}-\d{2}(?:（暂定：该年节假日安排未发布）)?) 前")


def inclusive_wording(text: str) -> str:
    """A last allowed day counts ("以内" includes it): "应于 2026-02-15 前谈话" reads "最迟 2026-02-15（含）谈话"."""
    return _BEFORE.sub(lambda m: f"最迟 {m.group(1)}（含）", text)


def refusal_text(rule_id: str, title: str, facts: str, source: str) -> str:
    """The one wording of a refusal: the rule id once, its title, the facts, the regulation in words."""
    return f"不符合规则 {rule_id}（{title}）：{inclusive_wording(facts)}。依据：{source}"


def violation(rule: EffectiveRule, facts: str) -> RuleViolation:
    """A refusal naming the rule, its set, the dates involved (last days inclusive) and the source article."""
    return RuleViolation(
        rule=rule.qualified, detail=refusal_text(rule.qualified, rule.title, facts, rule.source)
    )


# Names R2's due lists use.
rule_set_on = applicable_rule_set


def add_period(start: datetime.date, amount, unit: str) -> datetime.date:
    """`start` moved by `amount` `unit`s (see `shift`; the provisional flag is dropped)."""
    return shift(start, amount, unit).date
