"""流动党员: the outflow branch registers, the inflow branch registers or accepts, a return ends the flow."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit, crypto
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.core.validators import normalise_phone
from qiangji.members import services as member_services
from qiangji.members.models import Member
from qiangji.mobility.choices import (
    OPEN_FLOW_STATUSES,
    CertificateStatus,
    FlowReason,
    FlowStatus,
    RevocationReason,
)
from qiangji.mobility.models import Certificate, MobileFlow
from qiangji.mobility.services import base
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

SNAPSHOT = (
    "status",
    "out_org",
    "in_org",
    "province",
    "city",
    "county",
    "employer",
    "place",
    "reason",
    "left_on",
    "expected_return_on",
    "contact_phone_suffix",
    "self_registered",
    "accepted_on",
    "returned_on",
    "note",
)
TEXT_FIELDS = {
    "province": ("流入省份", 30),
    "city": ("流入城市", 30),
    "county": ("流入区县", 30),
    "employer": ("就业单位或平台", 200),
    "place": ("站点/工作地点", 200),
    "note": ("备注", 255),
}


def clean_values(values: dict) -> dict:
    """The destination, dates and contact, checked the same for the form, the API and the poster page."""
    errors, cleaned = {}, {}
    for key, (label, length) in TEXT_FIELDS.items():
        cleaned[key] = (values.get(key) or "").strip()
        if len(cleaned[key]) > length:
            errors[key] = f"{label}不能超过{length}个字"
    if not cleaned["province"]:
        errors["province"] = "请填写流入省份"
    cleaned["reason"] = values.get("reason") or FlowReason.WORK
    if cleaned["reason"] not in FlowReason.values:
        errors["reason"] = "外出原因不正确"
    cleaned["left_on"] = values.get("left_on") or today()
    cleaned["expected_return_on"] = values.get("expected_return_on") or None
    if cleaned["expected_return_on"] and cleaned["expected_return_on"] < cleaned["left_on"]:
        errors["expected_return_on"] = "预计返回日期不能早于外出日期"
    try:
        phone = normalise_phone(values.get("contact_phone") or "")
    except ValidationError as error:
        errors["contact_phone"] = error.messages[0]
        phone = ""
    cleaned.update(contact_phone_encrypted=crypto.encrypt(phone), contact_phone_suffix=phone[-4:])
    if errors:
        raise ValidationError(errors)
    return cleaned


def _inflow_branch(pk) -> Organisation:
    branch = base.active_org(pk, "in_org", "流入地党组织")
    if branch.kind not in BRANCH_KINDS:
        raise ValidationError({"in_org": f"“{branch.name}”不是党支部：流动党员须编入流入地党支部"})
    return branch


def _open_flow(member: Member):
    return MobileFlow.objects.select_for_update().filter(member=member, status__in=OPEN_FLOW_STATUSES).first()


def _destination(flow: MobileFlow) -> str:
    return "".join(part for part in (flow.destination, flow.employer and f"（{flow.employer}）") if part)


@transaction.atomic
def register_outflow(*, actor, member, values: dict, in_org=None) -> MobileFlow:
    """The home branch registers a member going out; naming an inflow branch asks it to accept."""
    member = get_in_scope_or_404(Member, actor, member, Action.CHANGE, lock=True)
    base.require_on_roll(member)
    if _open_flow(member):
        raise ValidationError({"member": f"“{member.name}”已有未结束的流动登记，请先登记返回"})
    cleaned = clean_values(values)
    branch = _inflow_branch(in_org) if in_org else None
    flow = MobileFlow.objects.create(
        member=member,
        org_path=member.org_path,
        out_org=member.organisation,
        in_org=branch,
        other_path=branch.path if branch else "",
        status=FlowStatus.PENDING if branch else FlowStatus.OUTFLOW,
        **cleaned,
    )
    audit.record(
        actor=actor,
        action="mobility.flow.registered",
        target=flow,
        org=member.organisation,
        after=audit.snapshot(flow, SNAPSHOT),
    )
    member_services.set_mobile(actor=actor, member=member, destination=_destination(flow))
    return flow


@transaction.atomic
def self_register_arrival(*, actor, branch, values: dict) -> MobileFlow:
    """A member scans the inflow branch's poster code: pending until that branch accepts."""
    member = Member.objects.select_for_update().filter(user=actor).first() if actor.is_authenticated else None
    if member is None:
        raise ValidationError({"member": "您的账号未关联党员档案，请联系原所在党支部"})
    base.require_on_roll(member)
    branch = _inflow_branch(branch)
    if member.org_path == branch.path:
        raise ValidationError({"in_org": "这是您本人所在的党支部，无需登记流入"})
    cleaned = clean_values(values)
    flow = _open_flow(member)
    if flow and flow.in_org_id:
        raise ValidationError({"in_org": f"您已登记流入“{flow.in_org.name}”，如已离开请先由党支部登记返回"})
    before = audit.snapshot(flow, SNAPSHOT) if flow else None
    if flow is None:
        flow = MobileFlow(member=member, org_path=member.org_path, out_org=member.organisation)
    for key, value in cleaned.items():
        if value or key in ("province",):
            setattr(flow, key, value)
    flow.in_org, flow.other_path, flow.status, flow.self_registered = (
        branch,
        branch.path,
        FlowStatus.PENDING,
        True,
    )
    flow.save()
    audit.record(
        actor=actor,
        action="mobility.flow.arrived",
        target=flow,
        org=branch,
        before=before,
        after=audit.snapshot(flow, SNAPSHOT),
    )
    member_services.set_mobile(actor=actor, member=member, destination=_destination(flow))
    return flow


def _inflow_side(actor, flow) -> MobileFlow:
    flow = get_in_scope_or_404(MobileFlow, actor, flow.pk, Action.CHANGE, lock=True)
    if not (flow.other_path and scope_of(actor).allows(Action.CHANGE, flow.other_path)):
        raise ValidationError({"status": "只有流入地党支部（或其上级）可以确认"})
    if flow.status != FlowStatus.PENDING:
        raise ValidationError({"status": f"该登记当前为“{flow.get_status_display()}”，无需确认"})
    return flow


def _link_certificates(flow: MobileFlow) -> None:
    """A card issued before the inflow branch accepted becomes visible to that branch too."""
    Certificate.objects.filter(member=flow.member, status=CertificateStatus.ACTIVE).update(
        flow=flow, other_path=flow.other_path
    )


@transaction.atomic
def accept_inflow(*, actor, flow: MobileFlow) -> MobileFlow:
    flow = _inflow_side(actor, flow)
    before = audit.snapshot(flow, SNAPSHOT)
    flow.status, flow.accepted_on = FlowStatus.ACTIVE, today()
    flow.save()
    _link_certificates(flow)
    audit.record(
        actor=actor,
        action="mobility.flow.accepted",
        target=flow,
        org=flow.in_org,
        before=before,
        after=audit.snapshot(flow, SNAPSHOT),
    )
    return flow


@transaction.atomic
def decline_inflow(*, actor, flow: MobileFlow, reason: str) -> MobileFlow:
    """Not ours (a wrong scan): the flow goes back to the home branch without an inflow branch."""
    flow = _inflow_side(actor, flow)
    if not (reason or "").strip():
        raise ValidationError({"note": "请填写不予接收的原因"})
    before = audit.snapshot(flow, SNAPSHOT)
    in_org = flow.in_org
    flow.status, flow.in_org, flow.other_path, flow.note = FlowStatus.OUTFLOW, None, "", reason.strip()[:255]
    flow.save()
    _link_certificates(flow)  # the branch that declined no longer sees the card
    audit.record(
        actor=actor,
        action="mobility.flow.declined",
        target=flow,
        org=in_org,
        before=before,
        after=audit.snapshot(flow, SNAPSHOT),
    )
    return flow


@transaction.atomic
def register_inflow(*, actor, branch, id_number: str, name: str, values: dict) -> MobileFlow:
    """The inflow branch registers a member who has arrived: matched by ID number AND name, so the
    answer tells nothing to someone who does not already hold both."""
    branch = base.branch_in_scope(actor, branch, "in_org")
    member = (
        Member.objects.select_for_update()
        .filter(
            id_number_hash=crypto.blind_index((id_number or "").strip().upper()), name=(name or "").strip()
        )
        .first()
    )
    if member is None:
        raise ValidationError(
            {"id_number": "未找到姓名与公民身份证号相符的党员：请核对，或请其原所在党支部登记外出"}
        )
    base.require_on_roll(member)
    if member.org_path.startswith(branch.path):
        raise ValidationError({"id_number": "该党员的组织关系就在本支部，无需登记流入"})
    cleaned = clean_values(values)
    flow = _open_flow(member)
    if flow and flow.in_org_id and flow.in_org_id != branch.pk:
        raise ValidationError({"id_number": "该党员已登记流入其他党组织，请其先办理返回"})
    before = audit.snapshot(flow, SNAPSHOT) if flow else None
    flow = flow or MobileFlow(member=member, org_path=member.org_path, out_org=member.organisation)
    for key, value in cleaned.items():
        setattr(flow, key, value)
    flow.in_org, flow.other_path = branch, branch.path
    flow.status, flow.accepted_on = FlowStatus.ACTIVE, today()
    flow.save()
    _link_certificates(flow)
    audit.record(
        actor=actor,
        action="mobility.flow.inflow_registered",
        target=flow,
        org=branch,
        before=before,
        after=audit.snapshot(flow, SNAPSHOT),
    )
    member_services.set_mobile(actor=actor, member=member, destination=_destination(flow))
    return flow


@transaction.atomic
def end_flow(
    *, actor, flow: MobileFlow, returned_on: datetime.date | None = None, note: str = ""
) -> MobileFlow:
    """The member came back: the flow ends and a certificate tied to the absence is revoked."""
    flow = get_in_scope_or_404(MobileFlow, actor, flow.pk, Action.CHANGE, lock=True)
    if flow.status == FlowStatus.RETURNED:
        raise ValidationError({"status": "该流动登记已结束"})
    returned_on = returned_on or today()
    if returned_on < flow.left_on or returned_on > today():
        raise ValidationError({"returned_on": "返回日期应在外出日期与今天之间"})
    before = audit.snapshot(flow, SNAPSHOT)
    flow.status, flow.returned_on, flow.note = FlowStatus.RETURNED, returned_on, (note or flow.note)[:255]
    flow.save()
    Certificate.objects.filter(member=flow.member, status=CertificateStatus.ACTIVE).update(
        status=CertificateStatus.REVOKED, revoked_on=returned_on, revoked_reason=RevocationReason.RETURNED
    )
    audit.record(
        actor=actor,
        action="mobility.flow.ended",
        target=flow,
        org_path=flow.org_path,
        before=before,
        after=audit.snapshot(flow, SNAPSHOT),
    )
    member_services.set_mobile(actor=actor, member=flow.member, destination="")
    return flow
