"""Admission-form number ranges (志愿书编号) and annual development plans."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.orgs.models import Organisation
from qiangji.recruitment.choices import PlanGroup
from qiangji.recruitment.models import AdmissionFormRange, DevelopmentPlan


def _organisation(actor, organisation) -> Organisation:
    return get_in_scope_or_404(Organisation, actor, organisation, Action.CHANGE)


@transaction.atomic
def add_form_range(*, actor, organisation, first_number: int, last_number: int, received_on, prefix: str = "",
                   width: int = 6) -> AdmissionFormRange:
    """A committee records a range of numbered admission forms; ranges of one prefix may not overlap."""
    org = _organisation(actor, organisation)
    if not isinstance(received_on, datetime.date):
        raise ValidationError({"received_on": "领取日期：必填"})
    if not (isinstance(first_number, int) and isinstance(last_number, int)) or not 0 < first_number <= last_number:
        raise ValidationError({"last_number": "终止号：应为不小于起始号的正整数"})
    if len(str(last_number)) > width:
        raise ValidationError({"width": f"号码位数：{width}位放不下终止号 {last_number}"})
    prefix = (prefix or "").strip()
    overlapping = AdmissionFormRange.objects.select_for_update().filter(
        prefix=prefix, first_number__lte=last_number, last_number__gte=first_number)
    if overlapping.exists():
        raise ValidationError({"first_number": f"起始号：与已登记的编号段 {overlapping.first()} 重叠"})
    form_range = AdmissionFormRange.objects.create(
        organisation=org, org_path=org.path, prefix=prefix, first_number=first_number, last_number=last_number,
        next_number=first_number, width=width, received_on=received_on)
    audit.record(actor=actor, action="recruitment.form_range.added", target=form_range, org=org,
                 after={"range": str(form_range), "received_on": received_on})
    return form_range


@transaction.atomic
def save_plan(*, actor, organisation, year: int, group: str, planned: int, note: str = "") -> DevelopmentPlan:
    """Set one organisation's planned number of new members for a year and group (upsert, audited)."""
    org = _organisation(actor, organisation)
    if group not in PlanGroup.values:
        raise ValidationError({"group": f"类别：代码“{group}”不在代码表中"})
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度：应为2000至2100之间的年份"})
    if not isinstance(planned, int) or planned < 0:
        raise ValidationError({"planned": "计划发展数：应为不小于0的整数"})
    existing = DevelopmentPlan.objects.select_for_update().filter(organisation=org, year=year, group=group).first()
    before = {"planned": existing.planned} if existing else None
    plan, _ = DevelopmentPlan.objects.update_or_create(
        organisation=org, year=year, group=group,
        defaults={"org_path": org.path, "planned": planned, "note": (note or "").strip()[:255]})
    audit.record(actor=actor, action="recruitment.plan.saved", target=plan, org=org, before=before,
                 after={"year": year, "group": group, "planned": planned})
    return plan
