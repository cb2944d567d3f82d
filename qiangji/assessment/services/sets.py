"""Indicator sets, indicators, star thresholds, quotas, reviewers' points and adjustments."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.assessment.choices import AdjustmentKind, IndicatorKind
from qiangji.assessment.indicators import REGISTRY
from qiangji.assessment.models import Adjustment, Indicator, IndicatorSet, ManualScore, Quota, StarThreshold
from qiangji.assessment.services.base import require_above, require_in_scope, require_set_level, require_text
from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.orgs.choices import OrgCategory, OrgKind
from qiangji.orgs.models import Organisation

EXAMPLE_SOURCE = "本地示例办法（无全国统一标准，docs/rules.md §6），可由制定单位修改"

# (code, name, source key or "" for a manual indicator, weight, target, floor)
EXAMPLE_INDICATORS = [
    ("life", "组织生活按规定开展", "life_compliance", "30", "1", "0.5"),
    ("development", "发展党员按期推进", "development_timeliness", "15", "1", "0.5"),
    ("dues", "党费按月足额交纳", "dues_collection", "20", "1", "0.8"),
    ("terms", "按期换届", "term_on_time", "10", "1", "0"),
    ("records", "党员信息完整", "data_completeness", "10", "0.95", "0.6"),
    ("role", "作用发挥（评审组评议，附佐证）", "", "15", "1", "0"),
]
EXAMPLE_THRESHOLDS = [(5, "95"), (4, "85"), (3, "75"), (2, "65"), (1, "60")]
EXAMPLE_FIVE_STAR_PERCENT = 10


def _decimal(value, field: str, *, low: Decimal = Decimal("0"), high: Decimal = Decimal("1000")) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: "请填写数字"}) from None
    if not number.is_finite() or not low <= number <= high:
        raise ValidationError({field: f"须在{low}至{high}之间"})
    return number.quantize(Decimal("0.0001") if high <= 1 else Decimal("0.01"))


def _scoped(model, *, organisation, **fields):
    return model(org_path=organisation.path, region_code=organisation.region_code, **fields)


@transaction.atomic
def create_indicator_set(
    *,
    actor,
    organisation: Organisation,
    name: str,
    year: int,
    org_category: str = "",
    org_kind: str = "",
    source: str = EXAMPLE_SOURCE,
    max_bonus=Decimal("5"),
    notice_days: int = 5,
    appeal_days: int = 15,
) -> IndicatorSet:
    require_in_scope(actor, organisation.path, Action.CHANGE)
    name = require_text(name, "name", "名称")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度须在2000至2100之间"})
    if org_category and org_category not in OrgCategory.values:
        raise ValidationError({"org_category": "组织类别不正确"})
    if org_kind and org_kind not in OrgKind.values:
        raise ValidationError({"org_kind": "组织类型不正确"})
    for field, days in (("notice_days", notice_days), ("appeal_days", appeal_days)):
        if not isinstance(days, int) or not 1 <= days <= 60:
            raise ValidationError({field: "天数须在1至60之间"})
    if IndicatorSet.objects.filter(
        organisation=organisation, year=year, org_category=org_category, org_kind=org_kind
    ).exists():
        raise ValidationError({"year": "该组织本年度已有同类别的指标体系"})
    indicator_set = _scoped(
        IndicatorSet,
        organisation=organisation,
        name=name,
        year=year,
        org_category=org_category,
        org_kind=org_kind,
        source=require_text(source, "source", "依据"),
        max_bonus=_decimal(max_bonus, "max_bonus", high=Decimal("100")),
        notice_days=notice_days,
        appeal_days=appeal_days,
    )
    indicator_set.organisation = organisation
    indicator_set.save()
    audit.record(
        actor=actor,
        action="assessment.set.created",
        target=indicator_set,
        org=organisation,
        after={"name": name, "year": year, "org_category": org_category, "org_kind": org_kind},
    )
    return indicator_set


@transaction.atomic
def save_indicator(
    *,
    actor,
    indicator_set: IndicatorSet,
    code: str,
    name: str,
    kind: str,
    weight,
    source_key: str = "",
    target=Decimal("1"),
    floor=Decimal("0"),
    position: int = 0,
    source: str = EXAMPLE_SOURCE,
) -> Indicator:
    require_set_level(actor, indicator_set)
    code = require_text(code, "code", "代码")
    if kind not in IndicatorKind.values:
        raise ValidationError({"kind": "指标类型不正确"})
    if kind == IndicatorKind.COMPUTED and source_key not in REGISTRY:
        raise ValidationError({"source_key": "请选择计算来源"})
    if kind == IndicatorKind.MANUAL:
        source_key = ""
    weight = _decimal(weight, "weight", high=Decimal("100"))
    target = _decimal(target, "target", high=Decimal("1"))
    floor = _decimal(floor, "floor", high=Decimal("1"))
    if floor > target:
        raise ValidationError({"floor": "零分线不能高于满分线"})
    indicator = Indicator.objects.filter(indicator_set=indicator_set, code=code).first()
    before = None
    if indicator is None:
        indicator = Indicator(
            indicator_set=indicator_set,
            code=code,
            org_path=indicator_set.org_path,
            region_code=indicator_set.region_code,
        )
    else:
        before = audit.snapshot(indicator, ["name", "kind", "source_key", "weight", "target", "floor"])
    indicator.name = require_text(name, "name", "指标名称")
    indicator.kind, indicator.source_key, indicator.weight = kind, source_key, weight
    indicator.target, indicator.floor, indicator.position = target, floor, position
    indicator.source = require_text(source, "source", "依据")
    indicator.save()
    audit.record(
        actor=actor,
        action="assessment.indicator.saved",
        target=indicator,
        org_path=indicator_set.org_path,
        before=before,
        after=audit.snapshot(indicator, ["name", "kind", "source_key", "weight", "target", "floor"]),
    )
    return indicator


@transaction.atomic
def save_threshold(*, actor, indicator_set: IndicatorSet, stars: int, min_points) -> StarThreshold:
    require_set_level(actor, indicator_set)
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError({"stars": "星级须为1至5"})
    points = _decimal(min_points, "min_points", high=Decimal("200"))
    others = dict(indicator_set.thresholds.exclude(stars=stars).values_list("stars", "min_points"))
    if any(s < stars and p >= points for s, p in others.items()) or any(
        s > stars and p <= points for s, p in others.items()
    ):
        raise ValidationError({"min_points": "星级越高，分数线须越高"})
    row, _created = StarThreshold.objects.update_or_create(
        indicator_set=indicator_set,
        stars=stars,
        defaults={
            "min_points": points,
            "org_path": indicator_set.org_path,
            "region_code": indicator_set.region_code,
        },
    )
    audit.record(
        actor=actor,
        action="assessment.threshold.saved",
        target=indicator_set,
        org_path=indicator_set.org_path,
        after={"stars": stars, "min_points": points},
    )
    return row


@transaction.atomic
def save_quota(
    *,
    actor,
    indicator_set: IndicatorSet,
    organisation: Organisation,
    stars: int,
    max_percent: int,
    source: str,
) -> Quota:
    require_set_level(actor, indicator_set)
    require_in_scope(actor, organisation.path, Action.CHANGE)
    if not organisation.path.startswith(indicator_set.org_path):
        raise ValidationError({"organisation": "比例只能设在指标体系覆盖范围内的党组织"})
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError({"stars": "星级须为1至5"})
    if not isinstance(max_percent, int) or not 0 <= max_percent <= 100:
        raise ValidationError({"max_percent": "比例须在0至100之间"})
    row, _created = Quota.objects.update_or_create(
        indicator_set=indicator_set,
        organisation=organisation,
        stars=stars,
        defaults={
            "max_percent": max_percent,
            "source": require_text(source, "source", "依据"),
            "org_path": organisation.path,
            "region_code": organisation.region_code,
        },
    )
    audit.record(
        actor=actor,
        action="assessment.quota.saved",
        target=indicator_set,
        org=organisation,
        after={"stars": stars, "max_percent": max_percent},
    )
    return row


@transaction.atomic
def create_example_set(
    *, actor, organisation: Organisation, year: int, org_category: str = ""
) -> IndicatorSet:
    """The documented example set (docs/rules.md §6): six indicators of 100 points, 95/85/75/65/60 for
    five to one star, five stars for at most 10 % at the owning level.  Local example, not a national rule."""
    indicator_set = create_indicator_set(
        actor=actor,
        organisation=organisation,
        name="党支部星级评定（示例指标体系）",
        year=year,
        org_category=org_category,
    )
    for position, (code, name, key, weight, target, floor) in enumerate(EXAMPLE_INDICATORS):
        save_indicator(
            actor=actor,
            indicator_set=indicator_set,
            code=code,
            name=name,
            kind=IndicatorKind.COMPUTED if key else IndicatorKind.MANUAL,
            source_key=key,
            weight=weight,
            target=target,
            floor=floor,
            position=position,
        )
    for stars, points in EXAMPLE_THRESHOLDS:
        save_threshold(actor=actor, indicator_set=indicator_set, stars=stars, min_points=points)
    save_quota(
        actor=actor,
        indicator_set=indicator_set,
        organisation=organisation,
        stars=5,
        max_percent=EXAMPLE_FIVE_STAR_PERCENT,
        source=EXAMPLE_SOURCE,
    )
    return indicator_set


def _in_set(indicator_set: IndicatorSet, organisation: Organisation) -> None:
    if not organisation.path.startswith(indicator_set.org_path):
        raise ValidationError({"organisation": "该组织不在指标体系覆盖范围内"})


@transaction.atomic
def record_manual_score(
    *, actor, indicator: Indicator, organisation: Organisation, points, evidence: str
) -> ManualScore:
    require_in_scope(actor, organisation.path, Action.CHANGE)
    _in_set(indicator.indicator_set, organisation)
    if indicator.kind != IndicatorKind.MANUAL:
        raise ValidationError({"indicator": "该指标由业务记录计算，不能手工录入"})
    require_above(actor, organisation)
    points = _decimal(points, "points", high=indicator.weight)
    evidence = require_text(evidence, "evidence", "佐证")
    row = ManualScore.objects.filter(indicator=indicator, organisation=organisation).first()
    before = None if row is None else {"points": row.points, "evidence": row.evidence}
    if row is None:
        row = _scoped(
            ManualScore, organisation=organisation, indicator=indicator, points=points, evidence=evidence
        )
        row.organisation = organisation
    row.points, row.evidence, row.entered_by = points, evidence, actor
    row.save()
    audit.record(
        actor=actor,
        action="assessment.manual.saved",
        target=indicator,
        org=organisation,
        before=before,
        after={"points": points, "evidence": evidence},
    )
    return row


@transaction.atomic
def record_adjustment(
    *,
    actor,
    indicator_set: IndicatorSet,
    organisation: Organisation,
    kind: str,
    points,
    reason: str,
    evidence: str,
) -> Adjustment:
    require_in_scope(actor, organisation.path, Action.CHANGE)
    _in_set(indicator_set, organisation)
    require_above(actor, organisation)
    if kind not in AdjustmentKind.values:
        raise ValidationError({"kind": "类型不正确"})
    points = Decimal("0") if kind == AdjustmentKind.VETO else _decimal(points, "points", high=Decimal("100"))
    if kind != AdjustmentKind.VETO and points <= 0:
        raise ValidationError({"points": "加减分须大于0"})
    row = _scoped(
        Adjustment,
        organisation=organisation,
        indicator_set=indicator_set,
        kind=kind,
        points=points,
        reason=require_text(reason, "reason", "事由"),
        evidence=require_text(evidence, "evidence", "佐证"),
        entered_by=actor,
    )
    row.organisation = organisation
    row.save()
    audit.record(
        actor=actor,
        action="assessment.adjustment.recorded",
        target=indicator_set,
        org=organisation,
        after={"kind": kind, "points": points, "reason": row.reason},
    )
    return row
