"""Weak-organisation criteria, detection and the rectification plan with the higher committee's sign-off."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.assessment import weak
from qiangji.assessment.choices import PlanStatus, WeakCriterionCode
from qiangji.assessment.models import RectificationPlan, WeakCriterion, WeakFlag
from qiangji.assessment.services.base import require_above, require_in_scope, require_text
from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.orgs.models import Organisation

RULE_SIGN_OFF = "整顿销号须由上级党委验收（docs/rules.md §6 软弱涣散整顿，本地示例办法）"


@transaction.atomic
def save_weak_criterion(
    *,
    actor,
    organisation: Organisation,
    year: int,
    code: str,
    parameter,
    enabled: bool = True,
    source: str = "",
) -> WeakCriterion:
    require_in_scope(actor, organisation.path, Action.CHANGE)
    if code not in WeakCriterionCode.values:
        raise ValidationError({"code": "认定标准不正确"})
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度须在2000至2100之间"})
    try:
        value = Decimal(str(parameter))
    except ArithmeticError:
        raise ValidationError({"parameter": "请填写数字"}) from None
    if not value.is_finite() or not Decimal("0") < value <= Decimal("100"):
        raise ValidationError({"parameter": "参数须大于0且不超过100"})
    row, _created = WeakCriterion.objects.update_or_create(
        organisation=organisation,
        year=year,
        code=code,
        defaults={
            "parameter": value,
            "enabled": bool(enabled),
            "source": source or weak.DEFAULTS[WeakCriterionCode(code)][2],
            "org_path": organisation.path,
            "region_code": organisation.region_code,
        },
    )
    audit.record(
        actor=actor,
        action="assessment.weak_criterion.saved",
        target=row,
        org=organisation,
        after={"code": code, "parameter": value, "enabled": bool(enabled)},
    )
    return row


@transaction.atomic
def seed_weak_criteria(*, actor, organisation: Organisation, year: int) -> list[WeakCriterion]:
    """The example criteria (docs/rules.md §6), each editable afterwards."""
    return [
        save_weak_criterion(
            actor=actor, organisation=organisation, year=year, code=code, parameter=value, source=source
        )
        for code, (value, _unit, source) in weak.DEFAULTS.items()
    ]


@transaction.atomic
def detect_weak(
    *, actor, organisation: Organisation, year: int, as_of: datetime.date | None = None
) -> list[WeakFlag]:
    """Flag the branches under `organisation` by its criteria.  Idempotent: a flag of the level without a plan
    that no longer matches is removed; one with a plan stays (its rectification is under way)."""
    require_in_scope(actor, organisation.path, Action.CHANGE)
    criteria = weak.criteria_for(organisation, year)
    if not criteria:
        raise ValidationError({"year": "该年度尚未设定软弱涣散认定标准"})
    as_of = as_of or today()
    found = weak.detect(organisation, year, as_of, criteria)
    stale = WeakFlag.objects.filter(level=organisation, year=year, plan__isnull=True).exclude(
        organisation_id__in=list(found)
    )
    removed = stale.count()
    stale.delete()
    existing = {
        f.organisation_id: f for f in WeakFlag.objects.filter(year=year, organisation_id__in=list(found))
    }
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=list(found))}
    flags = []
    for oid, reasons in sorted(found.items()):
        flag = existing.get(oid)
        org = orgs[oid]
        if flag is None:
            flag = WeakFlag(
                organisation=org,
                level=organisation,
                org_name=org.name[:200],
                year=year,
                org_path=org.path,
                region_code=org.region_code,
            )
        flag.reasons, flag.detected_on = reasons, as_of
        flags.append(flag)
    WeakFlag.objects.bulk_create([f for f in flags if f.pk is None])
    WeakFlag.objects.bulk_update([f for f in flags if f.pk is not None], ["reasons", "detected_on"])
    audit.record(
        actor=actor,
        action="assessment.weak.detected",
        target=organisation,
        org=organisation,
        after={"year": year, "flagged": len(flags), "removed": removed},
    )
    return flags


@transaction.atomic
def save_plan(
    *, actor, flag: WeakFlag, measures: str, deadline: datetime.date, responsible: str
) -> RectificationPlan:
    require_in_scope(actor, flag.org_path, Action.CHANGE)
    measures = require_text(measures, "measures", "整顿措施")
    responsible = require_text(responsible, "responsible", "责任人")
    if not isinstance(deadline, datetime.date) or deadline < flag.detected_on:
        raise ValidationError({"deadline": "完成时限不能早于认定日期"})
    plan = RectificationPlan.objects.select_for_update().filter(flag=flag).first()
    if plan is not None and plan.status == PlanStatus.SIGNED_OFF:
        raise ValidationError({"measures": "已验收销号，不能再修改"})
    if plan is None:
        plan = RectificationPlan(flag=flag, org_path=flag.org_path, region_code=flag.region_code)
    plan.measures, plan.deadline, plan.responsible = measures, deadline, responsible
    plan.save()
    audit.record(
        actor=actor,
        action="assessment.plan.saved",
        target=plan,
        org_path=flag.org_path,
        after={"deadline": deadline, "responsible": responsible},
    )
    return plan


@transaction.atomic
def submit_evidence(*, actor, plan: RectificationPlan, evidence: str) -> RectificationPlan:
    plan = RectificationPlan.objects.select_for_update().get(pk=plan.pk)
    require_in_scope(actor, plan.org_path, Action.CHANGE)
    if plan.status == PlanStatus.SIGNED_OFF:
        raise ValidationError({"evidence": "已验收销号"})
    plan.evidence = require_text(evidence, "evidence", "整改佐证")
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    audit.record(
        actor=actor,
        action="assessment.plan.submitted",
        target=plan,
        org_path=plan.org_path,
        after={"evidence": plan.evidence},
    )
    return plan


@transaction.atomic
def sign_off_plan(
    *, actor, plan: RectificationPlan, note: str, on: datetime.date | None = None
) -> RectificationPlan:
    plan = RectificationPlan.objects.select_for_update().select_related("flag__organisation").get(pk=plan.pk)
    require_in_scope(actor, plan.org_path, Action.VIEW)
    try:
        require_above(actor, plan.flag.organisation, "sign_off_note")
    except ValidationError:
        raise ValidationError({"sign_off_note": RULE_SIGN_OFF}) from None
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError({"sign_off_note": "须先报送整改佐证"})
    plan.sign_off_note = require_text(note, "sign_off_note", "验收意见")
    plan.status, plan.signed_off_by, plan.signed_off_on = PlanStatus.SIGNED_OFF, actor, on or today()
    plan.save()
    audit.record(
        actor=actor,
        action="assessment.plan.signed_off",
        target=plan,
        org_path=plan.org_path,
        after={"note": plan.sign_off_note},
    )
    return plan
