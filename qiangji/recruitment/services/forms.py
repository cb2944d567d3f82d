"""Admission-form number ranges (志愿书编号) and annual development plans."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.orgs.models import Organisation
from qiangji.recruitment import rules
from qiangji.recruitment.choices import PlanGroup
from qiangji.recruitment.models import AdmissionFormRange, DevelopmentPlan
from qiangji.recruitment.models.rulebook import AuthorityAction
from qiangji.recruitment.services.signoffs import check_authority, may_sign


def _organisation(actor, organisation) -> Organisation:
    return get_in_scope_or_404(Organisation, actor, organisation, Action.CHANGE)


@transaction.atomic
def add_form_range(
    *, actor, organisation, first_number: int, last_number: int, received_on, prefix: str = "", width: int = 6
) -> AdmissionFormRange:
    """A committee that may issue admission-form numbers records a range of them; ranges of one prefix
    may not overlap."""
    org = _organisation(actor, organisation)
    if not isinstance(received_on, datetime.date):
        raise ValidationError({"received_on": "领取日期：必填"})
    # Only a committee with approval authority (or the county organisation department) issues the numbers
    # (《中国共产党发展党员工作细则》第二十条; AuthorityRule rows, signoffs.may_sign, rule step14.issuer_kind).
    check_authority(actor, None, AuthorityAction.FORM_NUMBERS, org, received_on)
    if (
        not (isinstance(first_number, int) and isinstance(last_number, int))
        or not 0 < first_number <= last_number
    ):
        raise ValidationError({"last_number": "终止号：应为不小于起始号的正整数"})
    if len(str(last_number)) > width:
        raise ValidationError({"width": f"号码位数：{width}位放不下终止号 {last_number}"})
    prefix = (prefix or "").strip()
    overlapping = AdmissionFormRange.objects.select_for_update().filter(
        prefix=prefix, first_number__lte=last_number, last_number__gte=first_number
    )
    if overlapping.exists():
        raise ValidationError({"first_number": f"起始号：与已登记的编号段 {overlapping.first()} 重叠"})
    form_range = AdmissionFormRange.objects.create(
        organisation=org,
        org_path=org.path,
        prefix=prefix,
        first_number=first_number,
        last_number=last_number,
        next_number=first_number,
        width=width,
        received_on=received_on,
    )
    audit.record(
        actor=actor,
        action="recruitment.form_range.added",
        target=form_range,
        org=org,
        after={"range": str(form_range), "received_on": received_on},
    )
    return form_range


def form_sources(case) -> str:
    """Where a case's admission-form number comes from (the step-14 form says it): the ranges held above
    the branch with numbers left, or who is to register one."""
    ranges = [
        r
        for r in AdmissionFormRange.objects.filter(org_path__in=rules.path_and_ancestors(case.org_path))
        .select_related("organisation")
        .order_by("received_on", "id")
        if r.remaining
    ]
    if ranges:
        first = ranges[0]
        return (
            f"编号将取自“{first.organisation.name}”发放的编号段 {first}（下一个号 {first.prefix}"
            f"{first.next_number:0{first.width}d}，剩余{first.remaining}个）；"
            f"共{len(ranges)}个可用编号段，也可指定其中一个。"
        )
    issuers = [
        org
        for org in case.organisation.get_ancestors().order_by("-depth")
        if may_sign(None, None, AuthorityAction.FORM_NUMBERS, org) is None
    ]
    who = f"“{issuers[0].name}”" if issuers else "具有审批权限的上级党委"
    return (
        f"上级党委尚未登记可用的入党志愿书编号段：请联系{who}在“入党志愿书编号”页面登记编号段后再办理"
        f"（编号由具有审批权限的基层党委统一发放，《中国共产党发展党员工作细则》第二十条）。"
    )


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
    existing = (
        DevelopmentPlan.objects.select_for_update().filter(organisation=org, year=year, group=group).first()
    )
    before = {"planned": existing.planned} if existing else None
    plan, _ = DevelopmentPlan.objects.update_or_create(
        organisation=org,
        year=year,
        group=group,
        defaults={"org_path": org.path, "planned": planned, "note": (note or "").strip()[:255]},
    )
    audit.record(
        actor=actor,
        action="recruitment.plan.saved",
        target=plan,
        org=org,
        before=before,
        after={"year": year, "group": group, "planned": planned},
    )
    return plan
