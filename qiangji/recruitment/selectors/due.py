"""Due lists (docs/rules.md §1, issue item 8): what is overdue and what falls due in the next N days, per step.

Computed set-wise in SQL (one aggregate query for the counts of every rule, one query per rule for
a page of its cases), never by looping over cases in Python:

* A deadline rule (a `Rule` with a maximum, a reference step and a time unit, e.g. `step17.approval_within`:
  approval within 3 months of the branch meeting) gives each pending case a due date
  `f(ref) = ref + maximum`, where `ref` is the case's date column of the reference step
  (`choices.REFERENCE_FIELDS`).  `f` never decreases as `ref` grows, also for calendar months
  (clamped at month end) and working days (Chinese holiday calendar).
* So "due before day D" is the same as "ref before the first reference date whose due date is D or
  later": that threshold is found once per rule in Python (a binary search over dates, constant work),
  and the database only compares an indexed date column with a constant.  Exact for every unit, on
  SQLite and PostgreSQL alike, with no date arithmetic in SQL.
* Within one rule, ordering by `ref` is ordering by due date, so a rule's list pages in SQL.  Due dates
  are computed for the rows shown (a page, an export), a few distinct reference dates memoised.

A stricter regional value (`RuleOverride`) applies to its subtree: each rule's cases are split into
partitions by the most specific override path, each with its own thresholds.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from qiangji.core import dates
from qiangji.recruitment import rules
from qiangji.recruitment.choices import ACTIVE_STATUSES, REFERENCE_FIELDS, STEP_NAMES, Unit
from qiangji.recruitment.models import Case, Rule, RuleOverride
from qiangji.recruitment.selectors import state

TIME_UNITS = (Unit.DAYS, Unit.WORKING_DAYS, Unit.MONTHS, Unit.YEARS)
SEARCH_YEARS = 12  # a reference date further back than this is overdue whatever the rule


# ----- period arithmetic: the rules module's, memoised ------------------------------------------


@functools.lru_cache(maxsize=65536)
def _shift(ref: datetime.date, amount: int, unit: str) -> rules.Due:
    return rules.shift(ref, amount, unit)


def rule_set_on(day: datetime.date) -> str:
    return rules.applicable_rule_set(day)


# ----- deadline rules and their partitions -------------------------------------------------------


@dataclass(frozen=True)
class Partition:
    """The cases of one rule under one effective maximum (the base rule, or an override's subtree)."""

    where: Q
    maximum: int
    unit: str

    def due_on(self, ref: datetime.date) -> datetime.date:
        return _shift(ref, self.maximum, self.unit).date

    def is_provisional(self, ref: datetime.date) -> bool:
        return _shift(ref, self.maximum, self.unit).provisional

    def threshold(self, day: datetime.date) -> datetime.date:
        """The first reference date whose due date is `day` or later (binary search: f never decreases)."""
        low = day - datetime.timedelta(days=366 * SEARCH_YEARS)
        high = day + datetime.timedelta(days=1)  # f(ref) >= ref, so f(day) >= day
        while low < high:
            middle = low + (high - low) // 2
            if self.due_on(middle) >= day:
                high = middle
            else:
                low = middle + datetime.timedelta(days=1)
        return low


@dataclass
class DeadlineRule:
    rule: Rule
    ref_field: str  # a column, or the name of the Coalesce annotation over `chain`
    pending: Q
    partitions: list[Partition] = field(default_factory=list)
    chain: tuple[str, ...] = ()  # the reference columns, first non-null wins

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def step(self) -> int:
        return self.rule.step

    @property
    def step_name(self) -> str:
        return STEP_NAMES[self.rule.step]


def _chain(rule: Rule) -> tuple[str, ...]:
    if rule.reference_step == rule.step:
        opener = max(number for number in REFERENCE_FIELDS if number < rule.step)
        return REFERENCE_FIELDS[rule.step], REFERENCE_FIELDS[opener]
    return (REFERENCE_FIELDS[rule.reference_step],)


def _in_range(chain: tuple[str, ...], lower=None, upper=None) -> Q:
    """`COALESCE(chain) >= lower AND < upper` as plain column comparisons (no annotation, so the
    ORM compiles it quickly and the database compares columns with constants)."""
    result, earlier_null = Q(pk__in=[]), Q()
    for column in chain:
        bounds = {}
        if lower is not None:
            bounds[f"{column}__gte"] = lower
        if upper is not None:
            bounds[f"{column}__lt"] = upper
        result |= earlier_null & Q(**bounds)
        earlier_null &= Q(**{f"{column}__isnull": True})
    return result


def _reference(rule: Rule) -> tuple[str, Q, dict]:
    """(date expression name, pending condition, annotations) of a rule.

    An interval rule (`step06.assessment_interval`: reference step = its own step) counts from the
    last assessment, or from the step that opened the interval (activist) before the first one.
    """
    step, ref_step = rule.step, rule.reference_step
    if ref_step == step:
        opener = max(number for number in REFERENCE_FIELDS if number < step)
        name = f"due_ref_{rule.code.replace('.', '_')}"
        annotation = {name: Coalesce(F(REFERENCE_FIELDS[step]), F(REFERENCE_FIELDS[opener]))}
        return name, Q(step__gte=opener, step__lte=step), annotation
    return REFERENCE_FIELDS[ref_step], Q(step__lt=step), {}


def deadline_rules(day: datetime.date) -> list[DeadlineRule]:
    """The deadline rules of the rule set in force on `day`, with their regional partitions."""
    in_force = Rule.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        rule_set=rule_set_on(day),
        maximum__isnull=False,
        reference_step__in=list(REFERENCE_FIELDS),
        unit__in=TIME_UNITS,
    )
    in_force = list(in_force.order_by("step", "maximum", "code"))
    overrides: dict[int, list[RuleOverride]] = {}
    for override in RuleOverride.objects.filter(rule_id__in=[rule.pk for rule in in_force]):
        overrides.setdefault(override.rule_id, []).append(override)
    result = []
    for rule in in_force:
        ref_field, pending, _annotation = _reference(rule)
        partitions = _partitions(rule, overrides.get(rule.pk, []))
        if partitions:
            result.append(DeadlineRule(rule, ref_field, pending, partitions, _chain(rule)))
    return result


def _partitions(rule: Rule, overrides: list[RuleOverride]) -> list[Partition]:
    """Cases grouped by the override nodes above them, each with the rule as `rules.tighten` makes it.

    Like `rules.effective_rule`, every override on the case's ancestors applies (the smallest maximum
    wins, an override may switch a rule on but never off); a group is "under node o and under no
    deeper override node", and the base group is "under no override node".
    """
    paths = sorted({override.org_path for override in overrides})
    groups = [(path, [o for o in overrides if path.startswith(o.org_path)]) for path in paths]
    groups.append(("", []))
    partitions = []
    for path, above in groups:
        maximum, enabled = rule.maximum, rule.enabled
        for override in above:
            _minimum, maximum, enabled, _kind = rules.tighten(None, maximum, enabled, rule.kind, override)
        if not enabled or maximum is None:
            continue
        where = Q(org_path__startswith=path) if path else Q()
        for deeper in paths:
            if deeper != path and deeper.startswith(path):
                where &= ~Q(org_path__startswith=deeper)
        partitions.append(Partition(where, int(maximum), rule.unit))
    return partitions


# ----- the queries ----------------------------------------------------------------------------


def base_cases(user, org_path: str | None = None):
    """Cases the user may see, optionally within one subtree, that are still in the pipeline."""
    cases = Case.objects.visible_to(user).filter(status__in=ACTIVE_STATUSES)
    return cases.filter(org_path__startswith=org_path) if org_path else cases


def _window_q(deadline: DeadlineRule, day: datetime.date, horizon: int, *, overdue: bool, soon: bool) -> Q:
    """Cases of the rule whose due date is before `day` (overdue) and/or in [day, day + horizon]."""
    terms = Q(pk__in=[])
    for partition in deadline.partitions:
        start = partition.threshold(day)
        end = partition.threshold(day + datetime.timedelta(days=horizon + 1))
        if overdue and soon:
            window = _in_range(deadline.chain, upper=end)
        elif overdue:
            window = _in_range(deadline.chain, upper=start)
        else:
            window = _in_range(deadline.chain, lower=start, upper=end)
        terms |= partition.where & window
    return deadline.pending & terms


def rule_cases(cases, deadline: DeadlineRule, day: datetime.date, horizon: int, *, overdue=True, soon=True):
    """The rule's overdue and/or soon-due cases, earliest due first (ordering by ref = by due date)."""
    _name, _pending, annotation = _reference(deadline.rule)
    if annotation:
        cases = cases.annotate(**annotation)
    # Sort by an expression, not the bare column: with an index on the reference date PostgreSQL would
    # walk it in date order and discard the (many) older cases that are past this step; selecting the
    # pending cases first (status/step index, then the window) and sorting those is far cheaper.
    key = f"due_key_{deadline.rule.pk}"
    cases = cases.annotate(
        **{key: Coalesce(F(deadline.chain[0]), *[F(c) for c in deadline.chain[1:]], F(deadline.chain[0]))}
    )
    return cases.filter(_window_q(deadline, day, horizon, overdue=overdue, soon=soon)).order_by(key, "pk")


@dataclass
class DueSummary:
    deadline: DeadlineRule
    overdue: int
    soon: int


def summary(
    user, *, org_path: str | None = None, day: datetime.date | None = None, horizon: int = 30
) -> list[DueSummary]:
    """Per deadline rule: how many cases are overdue and how many fall due within `horizon` days.

    ONE aggregate query for all rules: a single pass over the subtree's index range with two filtered
    counts per rule, each a comparison of a date column with a constant threshold.
    """
    day = day or dates.today()
    deadlines = deadline_rules(day)
    if not deadlines:
        return []
    counts = _aggregate(base_cases(user, org_path), deadlines, day, horizon)
    return [DueSummary(d, counts[f"overdue_{i}"], counts[f"soon_{i}"]) for i, d in enumerate(deadlines)]


def _aggregate(cases, deadlines, day, horizon) -> dict:
    measures = {}
    for index, deadline in enumerate(deadlines):
        measures[f"overdue_{index}"] = Count(
            "pk", filter=_window_q(deadline, day, horizon, overdue=True, soon=False)
        )
        measures[f"soon_{index}"] = Count(
            "pk", filter=_window_q(deadline, day, horizon, overdue=False, soon=True)
        )
    return cases.aggregate(**measures)


@dataclass
class DueItem:
    case: Case
    deadline: DeadlineRule
    due_on: datetime.date
    days_left: int  # negative: overdue by that many days
    provisional: bool = False  # working days in a year the holiday calendar does not cover yet

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def hard(self) -> bool:
        """A gate deadline ("不得超过六个月"): once overdue the step is refused, not only late."""
        return self.deadline.rule.kind == "gate"

    @property
    def last_day_label(self) -> str:
        """The last allowed day, worded inclusively (it still counts): "最迟 2026-02-15（含）"."""
        return f"最迟 {self.due_on:%Y-%m-%d}（含）" + (
            "（暂定：该年节假日安排未发布）" if self.provisional else ""
        )

    def rule_state(self, day: datetime.date) -> "state.StepState":
        """The rule state of the step this item waits for (`selectors.state.step_state`, the services' gate)."""
        return state.step_state(self.case, self.deadline.step, day)


def items(deadline: DeadlineRule, cases, day: datetime.date) -> list[DueItem]:
    """DueItems for already-fetched rows of one rule (a page or an export chunk)."""
    result = []
    for case in cases:
        ref = getattr(case, deadline.ref_field)
        partition = next(p for p in deadline.partitions if _matches(p, case))
        due = partition.due_on(ref)
        result.append(DueItem(case, deadline, due, (due - day).days, partition.is_provisional(ref)))
    return result


def _matches(partition: Partition, case: Case) -> bool:
    """Which partition a fetched case belongs to (the Q objects only hold org_path prefix terms)."""
    return _eval_q(partition.where, case.org_path)


def _eval_q(q: Q, org_path: str) -> bool:
    results = []
    for child in q.children:
        if isinstance(child, Q):
            results.append(_eval_q(child, org_path))
        else:
            _lookup, prefix = child
            results.append(org_path.startswith(prefix))
    value = all(results) if q.connector == Q.AND else any(results)
    return not value if q.negated else value


def counts_by_branch(day: datetime.date, horizon: int, cases=None) -> dict[int, list[tuple]]:
    """branch id → [(deadline, overdue, soon)] over all cases (the daily digest; no user scope).

    One grouped aggregate query for all rules, whatever the number of branches.
    """
    cases = Case.objects.filter(status__in=ACTIVE_STATUSES) if cases is None else cases
    deadlines = deadline_rules(day)
    if not deadlines:
        return {}
    measures = {}
    for index, deadline in enumerate(deadlines):
        measures[f"overdue_{index}"] = Count(
            "pk", filter=_window_q(deadline, day, horizon, overdue=True, soon=False)
        )
        measures[f"soon_{index}"] = Count(
            "pk", filter=_window_q(deadline, day, horizon, overdue=False, soon=True)
        )
    grouped = cases.order_by().values("organisation_id").annotate(**measures)
    result: dict[int, list[tuple]] = {}
    for row in grouped:
        rows = [(d, row[f"overdue_{i}"], row[f"soon_{i}"]) for i, d in enumerate(deadlines)]
        if any(late or soon for _d, late, soon in rows):
            result[row["organisation_id"]] = [r for r in rows if r[1] or r[2]]
    return result
