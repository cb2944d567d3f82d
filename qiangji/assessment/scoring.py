"""The scoring: an indicator set's organisations, their measures, points, stars (docs/rules.md §6).

`compute(indicator_set, as_of)` reads each computed source ONCE for the whole set (indicators.py), the
manual scores and adjustments in one query each, and returns one `Computed` per organisation with every
line.  The same function scores a run (services.scoring), recomputes a published score in the tests, and
explains one organisation (`ids=(pk,)`).  Pure reads: nothing is written here.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from qiangji.assessment.choices import AdjustmentKind, IndicatorKind, LineKind
from qiangji.assessment.indicators import REGISTRY, Context, Measure, OrgSet
from qiangji.assessment.models import Adjustment, Indicator, IndicatorSet, ManualScore
from qiangji.orgs.choices import BRANCH_KINDS

CENT = Decimal("0.01")
ZERO = Decimal("0")


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Line:
    kind: str
    label: str
    points: Decimal
    indicator: Indicator | None = None
    adjustment: Adjustment | None = None
    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | None = None
    max_points: Decimal | None = None


@dataclass
class Computed:
    org_id: int
    org_path: str
    org_name: str
    region_code: str
    lines: list[Line] = field(default_factory=list)
    base_points: Decimal = ZERO
    bonus: Decimal = ZERO
    deduction: Decimal = ZERO
    total: Decimal = ZERO
    vetoed: bool = False
    stars: int = 0


def org_set(indicator_set: IndicatorSet, ids=None) -> OrgSet:
    kinds = (indicator_set.org_kind,) if indicator_set.org_kind else tuple(sorted(BRANCH_KINDS))
    return OrgSet(
        indicator_set.org_path, kinds, indicator_set.org_category, None if ids is None else tuple(ids)
    )


def context(indicator_set: IndicatorSet, as_of: datetime.date) -> Context:
    return Context(indicator_set.year, min(as_of, datetime.date(indicator_set.year, 12, 31)))


def points_for(indicator: Indicator, measure: Measure | None) -> tuple[Decimal, Decimal | None]:
    """(points, ratio) of a computed indicator: full points at or above `target`, none at or below `floor`,
    linear between, rounded half up to 0.01; nothing to measure (no denominator) counts as full points."""
    weight = indicator.weight
    if measure is None or measure.denominator <= 0:
        return weight, None
    ratio = Decimal(measure.numerator) / Decimal(measure.denominator)
    ratio4 = ratio.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    target, floor = indicator.target, indicator.floor
    if target <= floor:
        return (weight if ratio >= target else ZERO), ratio4
    share = (ratio - floor) / (target - floor)
    share = max(ZERO, min(Decimal(1), share))
    return q2(weight * share), ratio4


def stars_for(total: Decimal, thresholds: list[tuple[int, Decimal]], vetoed: bool) -> int:
    if vetoed:
        return 0
    for stars, minimum in sorted(thresholds, reverse=True):
        if total >= minimum:
            return stars
    return 0


def compute(indicator_set: IndicatorSet, as_of: datetime.date, ids=None) -> list[Computed]:
    orgs = org_set(indicator_set, ids)
    ctx = context(indicator_set, as_of)
    indicators = list(indicator_set.indicators.order_by("position", "pk"))
    measures = {
        ind.pk: REGISTRY[ind.source_key].compute(orgs, ctx)
        for ind in indicators
        if ind.kind == IndicatorKind.COMPUTED and ind.source_key in REGISTRY
    }
    organisations = list(orgs.queryset().order_by("path").values_list("pk", "path", "name", "region_code"))
    org_ids = [row[0] for row in organisations]
    manual: dict[tuple[int, int], ManualScore] = {}
    adjustments: dict[int, list[Adjustment]] = {}
    if ids is None:
        manual_rows = ManualScore.objects.filter(indicator__indicator_set=indicator_set)
        adjustment_rows = Adjustment.objects.filter(indicator_set=indicator_set)
    else:
        manual_rows = ManualScore.objects.filter(
            indicator__indicator_set=indicator_set, organisation_id__in=org_ids
        )
        adjustment_rows = Adjustment.objects.filter(indicator_set=indicator_set, organisation_id__in=org_ids)
    for row in manual_rows:
        manual[(row.indicator_id, row.organisation_id)] = row
    for adj in adjustment_rows.order_by("pk"):
        adjustments.setdefault(adj.organisation_id, []).append(adj)
    thresholds = list(indicator_set.thresholds.values_list("stars", "min_points"))
    result = []
    for pk, path, name, region in organisations:
        item = Computed(pk, path, name, region)
        for ind in indicators:
            if ind.kind == IndicatorKind.COMPUTED:
                measure = measures.get(ind.pk, {}).get(pk)
                points, ratio = points_for(ind, measure)
                item.lines.append(
                    Line(
                        LineKind.INDICATOR,
                        ind.name,
                        points,
                        indicator=ind,
                        numerator=measure.numerator if measure else None,
                        denominator=measure.denominator if measure else None,
                        value=ratio,
                        max_points=ind.weight,
                    )
                )
            else:
                entry = manual.get((ind.pk, pk))
                points = min(entry.points, ind.weight) if entry else ZERO
                item.lines.append(
                    Line(LineKind.MANUAL, ind.name, points, indicator=ind, max_points=ind.weight)
                )
            item.base_points += item.lines[-1].points
        additions = ZERO
        for adj in adjustments.get(pk, []):
            if adj.kind == AdjustmentKind.ADDITION:
                additions += adj.points
                item.lines.append(Line(LineKind.ADDITION, adj.reason, adj.points, adjustment=adj))
            elif adj.kind == AdjustmentKind.DEDUCTION:
                item.deduction += adj.points
                item.lines.append(Line(LineKind.DEDUCTION, adj.reason, -adj.points, adjustment=adj))
            else:
                item.vetoed = True
                item.lines.append(Line(LineKind.VETO, adj.reason, ZERO, adjustment=adj))
        item.bonus = min(additions, indicator_set.max_bonus)
        item.total = max(ZERO, q2(item.base_points + item.bonus - item.deduction))
        item.stars = stars_for(item.total, thresholds, item.vetoed)
        result.append(item)
    return result


def distribution(stars: list[int]) -> list[tuple[int, int, float]]:
    """(stars, count, share %) for 5 … 0 stars."""
    total = len(stars) or 1
    return [(n, stars.count(n), round(100 * stars.count(n) / total, 1)) for n in range(5, -1, -1)]
