"""What every mobility service shares: audit labels, the roll check, the other side's organisation, numbering.

Rows are locked through the actor's scope with the kernel's `get_in_scope_or_404(..., lock=True)`.

Moving a member and the mobile flag are the members app's own services (`members.services.move_member`,
`set_mobile`); the rows of this app that follow a moved member are registered in `apps.py`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from qiangji.core.choices import Action
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member
from qiangji.mobility.models import NumberSequence
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

ACTION_LABELS = {
    "mobility.transfer.issued": "开具组织关系介绍信",
    "mobility.transfer.accepted": "接收组织关系",
    "mobility.transfer.returned": "退回组织关系介绍信",
    "mobility.transfer.receipt": "登记介绍信回执",
    "mobility.transfer.registered": "登记平台外转入介绍信",
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
TARGET_URLS = {
    "mobility.transfer": "mobility:transfer-detail",
    "mobility.mobileflow": "mobility:flow-detail",
    "mobility.certificate": "mobility:certificate-detail",
}


def letter_valid_days() -> int:
    return int(getattr(settings, "QIANGJI_LETTER_VALID_DAYS", 90))


def require_on_roll(member: Member) -> None:
    if member.status not in ON_ROLL:
        raise ValidationError({"member": f"“{member.name}”当前状态为{member.get_status_display()}，不能办理"})


def active_org(pk, field: str, label: str) -> Organisation:
    """Any active organisation of the platform (the other side may be outside the actor's subtree)."""
    found = (
        Organisation.objects.filter(pk=getattr(pk, "pk", pk), dissolved_on__isnull=True).first()
        if pk
        else None
    )
    if found is None:
        raise ValidationError({field: f"{label}不存在或已撤销"})
    return found


def branch_in_scope(actor, pk, field: str = "branch", *, under: str = "") -> Organisation:
    found = (
        Organisation.objects.visible_to(actor, Action.CHANGE)
        .filter(pk=getattr(pk, "pk", pk), dissolved_on__isnull=True)
        .first()
        if pk
        else None
    )
    if found is None or (under and not found.path.startswith(under)):
        raise ValidationError(
            {field: "党支部不存在，或不在您的管理范围内" + ("（须为接收党委下属党支部）" if under else "")}
        )
    if found.kind not in BRANCH_KINDS:
        raise ValidationError(
            {field: f"“{found.name}”不是党支部，党员须编入党支部（《中国共产党支部工作条例（试行）》）"}
        )
    return found


def county_code(org: Organisation) -> str:
    code = org.region_code or (org.division_code[:6] if len(org.division_code) >= 6 else "")
    if not code:
        raise ValidationError({"member": f"“{org.name}”未设置所属县级区划，无法按县委组织部序列编号"})
    return code


def next_number(kind: str, region_code: str, year: int) -> int:
    """The next number of a county's yearly sequence; the counter row is locked until commit."""
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(kind=kind, region_code=region_code, year=year)
    except IntegrityError:  # created concurrently: the row exists now
        pass
    row = NumberSequence.objects.select_for_update().get(kind=kind, region_code=region_code, year=year)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last
