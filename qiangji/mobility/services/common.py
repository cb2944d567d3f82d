"""What every mobility service shares: labels, the date, scoped locking, numbering, moving a member."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from qiangji.core import audit, audit_labels
from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member, MemberStatusEvent, PositionRecord, RewardPunishment
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

NOT_FOUND = "未找到该记录，或您无权操作"
ACTION_LABELS = {
    "mobility.transfer.issued": "开具组织关系介绍信",
    "mobility.transfer.accepted": "接收组织关系",
    "mobility.transfer.returned": "退回组织关系介绍信",
    "mobility.transfer.receipt": "登记介绍信回执",
    "mobility.transfer.registered": "登记平台外转入介绍信",
    "mobility.member.moved": "党员编入新党支部（组织关系转接）",
    "mobility.member.mobile_marked": "更新流动党员标记",
    "mobility.graduate.registered": "登记毕业生组织关系保留",
    "mobility.flow.registered": "登记流动党员外出",
    "mobility.flow.arrived": "流动党员扫码登记流入",
    "mobility.flow.inflow_registered": "流入地登记流动党员",
    "mobility.flow.accepted": "流入地接收流动党员",
    "mobility.flow.declined": "流入地不予接收",
    "mobility.flow.ended": "流动党员返回（流动结束）",
    "mobility.certificate.issued": "发放流动党员活动证",
    "mobility.certificate.checked": "活动证年度查验",
    "mobility.certificate.revoked": "注销流动党员活动证",
    "mobility.anchor.created": "建立双重隶属",
    "mobility.anchor.removed": "解除双重隶属",
    "mobility.post.created": "新增社区服务岗位",
    "mobility.report.registered": "在职党员到社区报到",
    "mobility.hours.recorded": "登记志愿服务时长",
    "mobility.hours.decided": "社区确认志愿服务时长",
}
audit_labels.register(ACTION_LABELS)
for _type, _url in (("mobility.transfer", "mobility:transfer-detail"), ("mobility.mobileflow", "mobility:flow-detail"),
                     ("mobility.certificate", "mobility:certificate-detail")):
    audit_labels.register_target_url(_type, _url)


def today() -> datetime.date:
    return timezone.localdate()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar months (RULES: a month is a calendar month); the 31st falls back to the month's end."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def letter_valid_days() -> int:
    return int(getattr(settings, "QIANGJI_LETTER_VALID_DAYS", 90))


def may(actor, action: str, path: str) -> bool:
    return bool(path) and scope_of(actor).allows(action, path)


def locked(model, actor, pk, *, action=Action.CHANGE):
    """Lock and return the row if the actor may act on it (either side); 404 otherwise, saying nothing."""
    found = model.objects.visible_to(actor, action).select_for_update().filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def changeable_member(actor, member) -> Member:
    pk = getattr(member, "pk", member)
    found = Member.objects.visible_to(actor, Action.CHANGE).select_for_update().filter(pk=pk).first()
    if found is None:
        raise Http404("未找到该党员，或您无权操作")
    return found


def require_on_roll(member: Member) -> None:
    if member.status not in ON_ROLL:
        raise ValidationError({"member": f"“{member.name}”当前状态为{member.get_status_display()}，不能办理"})


def active_org(pk, field: str, label: str) -> Organisation:
    """Any active organisation of the platform (the other side may be outside the actor's subtree)."""
    found = Organisation.objects.filter(pk=getattr(pk, "pk", pk), dissolved_on__isnull=True).first() if pk else None
    if found is None:
        raise ValidationError({field: f"{label}不存在或已撤销"})
    return found


def branch_in_scope(actor, pk, field: str = "branch", *, under: str = "") -> Organisation:
    found = Organisation.objects.visible_to(actor, Action.CHANGE).filter(
        pk=getattr(pk, "pk", pk), dissolved_on__isnull=True).first() if pk else None
    if found is None or (under and not found.path.startswith(under)):
        raise ValidationError({field: "党支部不存在，或不在您的管理范围内" + ("（须为接收党委下属党支部）" if under else "")})
    if found.kind not in BRANCH_KINDS:
        raise ValidationError({field: f"“{found.name}”不是党支部，党员须编入党支部（RULES §2 / zbtl-2018）"})
    return found


def county_code(org: Organisation) -> str:
    code = org.region_code or (org.division_code[:6] if len(org.division_code) >= 6 else "")
    if not code:
        raise ValidationError({"member": f"“{org.name}”未设置所属县级区划，无法按县委组织部序列编号"})
    return code


def next_number(kind: str, region_code: str, year: int) -> int:
    """The next number of a county's yearly sequence; the counter row is locked until commit."""
    from qiangji.mobility.models import NumberSequence

    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(kind=kind, region_code=region_code, year=year)
    except IntegrityError:  # created concurrently: the row exists now
        pass
    row = NumberSequence.objects.select_for_update().get(kind=kind, region_code=region_code, year=year)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last


def move_member(*, actor, member: Member, branch: Organisation, reason: str) -> None:
    """Set-wise move of a member and their own rows to the receiving branch, audited.  `members.services`
    refuses organisation changes outside the transfer process, which is this one (ADR 0006)."""
    from qiangji.mobility.models import Certificate, CommunityReport, GraduateHold, MobileFlow, VolunteerHours

    before = {"organisation": member.organisation_id, "org_path": member.org_path}
    Member.objects.filter(pk=member.pk).update(organisation=branch, org_path=branch.path,
                                               region_code=branch.region_code, updated_at=timezone.now())
    for model in (MemberStatusEvent, RewardPunishment, PositionRecord, MobileFlow, Certificate, CommunityReport,
                  GraduateHold):
        model.objects.filter(member=member).update(org_path=branch.path)
    VolunteerHours.objects.filter(report__member=member).update(org_path=branch.path)
    audit.record(actor=actor, action="mobility.member.moved", target=member, org=branch, before=before,
                 after={"organisation": branch.pk, "org_path": branch.path, "reason": reason})


def mark_mobile(*, actor, member: Member, destination: str) -> None:
    """Keep the national items `is_mobile`/`mobile_destination` current.  The home branch goes through
    `members.services.update_member`; an inflow branch or the member (who may not edit the record)
    gets a set-wise update with its own audit entry."""
    from qiangji.members import services as member_services

    is_mobile = bool(destination)
    if member.is_mobile == is_mobile and member.mobile_destination == destination:
        return
    if may(actor, Action.CHANGE, member.org_path):
        try:
            member_services.update_member(actor=actor, member=member,
                                          values={"is_mobile": is_mobile, "mobile_destination": destination[:200]})
            return
        except ValidationError:
            pass  # an older record with other gaps must not block the flow: set the two items directly
    before = {"is_mobile": member.is_mobile, "mobile_destination": member.mobile_destination}
    Member.objects.filter(pk=member.pk).update(is_mobile=is_mobile, mobile_destination=destination[:200],
                                               updated_at=timezone.now())
    audit.record(actor=actor, action="mobility.member.mobile_marked", target=member, org_path=member.org_path,
                 before=before, after={"is_mobile": is_mobile, "mobile_destination": destination})
