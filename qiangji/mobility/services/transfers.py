"""组织关系转接: issue, accept, return, receipts, paper letters across the platform edge (docs/rules.md §5)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from qiangji.core import audit, crypto
from qiangji.core.choices import Action
from qiangji.core.dates import add_months, today
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.dues import selectors as dues_selectors
from qiangji.members import services as member_services
from qiangji.members.choices import MemberStatus
from qiangji.members.models import Member
from qiangji.mobility.choices import (
    OPEN_FLOW_STATUSES,
    RECEIVING_KINDS,
    CertificateStatus,
    FlowStatus,
    RevocationReason,
    TransferKind,
    TransferStatus,
)
from qiangji.mobility.models import Certificate, GraduateHold, MobileFlow, Transfer
from qiangji.mobility.services import base
from qiangji.orgs.models import Organisation

SNAPSHOT = (
    "number",
    "kind",
    "status",
    "member_name",
    "from_org_name",
    "to_org_name",
    "to_branch",
    "issued_on",
    "valid_days",
    "expires_on",
    "dues_paid_to",
    "accepted_on",
    "returned_on",
    "return_reason",
    "receipt_returned_on",
)
NOT_RECEIVING = "接收方必须是基层党委（党委、党工委或行业党委），“{name}”不能接收组织关系（《中国共产党支部工作条例（试行）》第七条）"


def dues_paid_to(member, given: datetime.date | None) -> datetime.date | None:
    """The month dues are paid up to: from the dues app's ledger when it has one, else what the user gave."""
    found = dues_selectors.paid_up_to(member) if member is not None else None
    month = found or given
    return month.replace(day=1) if month else None


def _validity(valid_days, issued_on: datetime.date) -> tuple[int, datetime.date]:
    days = base.letter_valid_days() if valid_days in (None, "") else int(valid_days)
    if not 1 <= days <= 365:
        raise ValidationError({"valid_days": "有效期（天）应在1至365之间"})
    return days, issued_on + datetime.timedelta(days=days)


def _check_receiver(to_org) -> Organisation:
    receiver = base.active_org(to_org, "to_org", "接收党组织")
    if receiver.kind not in RECEIVING_KINDS:
        raise ValidationError({"to_org": NOT_RECEIVING.format(name=receiver.name)})
    return receiver


def _check_no_open_transfer(member) -> None:
    if Transfer.objects.filter(member=member, status=TransferStatus.IN_TRANSIT).exists():
        raise ValidationError({"member": f"“{member.name}”已有在途的组织关系转接，请先办结"})


def _save(transfer: Transfer) -> Transfer:
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError:
        raise ValidationError({"number": f"介绍信编号“{transfer.number}”已登记"})
    return transfer


def _letter_number(org: Organisation, issued_on: datetime.date) -> str:
    code = base.county_code(org)
    return f"ZJ{code}{issued_on:%Y}{base.next_number('letter', code, issued_on.year):05d}"


@transaction.atomic
def issue_transfer(
    *,
    actor,
    member,
    to_org=None,
    to_org_name: str = "",
    reason: str = "",
    dues_paid: datetime.date | None = None,
    valid_days=None,
) -> Transfer:
    """The sending organisation issues the letter; it keeps responsibility until acceptance (docs/rules.md §5).
    `to_org` (a platform primary committee) makes it internal; `to_org_name` alone, a paper letter out."""
    member = get_in_scope_or_404(Member, actor, member, Action.CHANGE, lock=True)
    base.require_on_roll(member)
    _check_no_open_transfer(member)
    receiver = _check_receiver(to_org) if to_org else None
    if receiver is None and not (to_org_name or "").strip():
        raise ValidationError({"to_org": "请选择平台内的接收党委，或填写平台外接收党组织名称"})
    issued_on = today()
    days, expires_on = _validity(valid_days, issued_on)
    sender = member.organisation
    transfer = Transfer(
        number=_letter_number(sender, issued_on),
        member=member,
        member_name=member.name,
        kind=TransferKind.INTERNAL if receiver else TransferKind.OUTGOING,
        from_org=sender,
        from_org_name=sender.name,
        org_path=member.org_path,
        to_org=receiver,
        to_org_name=receiver.name if receiver else to_org_name.strip()[:200],
        other_path=receiver.path if receiver else "",
        reason=(reason or "").strip()[:200],
        dues_paid_to=dues_paid_to(member, dues_paid),
        issued_on=issued_on,
        valid_days=days,
        expires_on=expires_on,
        # docs/rules.md §5: the receipt comes back within 1 month of the letter being handed in; the platform
        # does not see a paper letter handed in, so the latest hand-in day (end of validity) counts.
        receipt_due_on=None if receiver else add_months(expires_on, 1),
    )
    _save(transfer)
    audit.record(
        actor=actor,
        action="mobility.transfer.issued",
        target=transfer,
        org=sender,
        after=audit.snapshot(transfer, SNAPSHOT),
    )
    if receiver is None:  # a paper letter out: the member leaves this roll now (the receipt closes the stub)
        member_services.transfer_out(
            actor=actor,
            member=member,
            reason=f"组织关系转往平台外 {transfer.number}（{transfer.to_org_name}）",
        )
    return transfer


def _receiving(actor, transfer) -> Transfer:
    """Only the receiving side acts on an internal transfer in transit; the sender gets a 404 here."""
    transfer = get_in_scope_or_404(Transfer, actor, transfer.pk, Action.CHANGE, lock=True)
    if (
        not scope_of(actor).allows(Action.CHANGE, transfer.other_path)
        or transfer.kind != TransferKind.INTERNAL
    ):
        raise ValidationError({"status": "只有接收党委可以接收或退回该介绍信"})
    if transfer.status != TransferStatus.IN_TRANSIT:
        raise ValidationError({"status": f"该介绍信当前为“{transfer.get_status_display()}”，不能再办理"})
    return transfer


def _check_valid(transfer: Transfer, on: datetime.date) -> None:
    if on > transfer.expires_on:
        raise ValidationError(
            {
                "expires_on": f"介绍信已超过有效期（{transfer.valid_days}天，至 {transfer.expires_on:%Y-%m-%d}），"
                "请转出党组织重新开具（《中国共产党党员教育管理工作条例》）"
            }
        )


@transaction.atomic
def accept_transfer(*, actor, transfer: Transfer, branch) -> Transfer:
    """The receiving committee accepts and places the member in one of its branches."""
    transfer = _receiving(actor, transfer)
    _check_valid(transfer, today())
    target = base.branch_in_scope(actor, branch, under=transfer.other_path)
    before = audit.snapshot(transfer, SNAPSHOT)
    member = transfer.member
    assert (
        member is not None
    )  # an internal letter always names a member of the platform (_receiving checks the kind)
    member_services.move_member(
        actor=actor, member=member, branch=target, reason=f"组织关系转接 {transfer.number}"
    )
    _close_member_side(actor, member, target)
    transfer.status, transfer.accepted_on, transfer.to_branch = TransferStatus.ACCEPTED, today(), target
    transfer.save()
    audit.record(
        actor=actor,
        action="mobility.transfer.accepted",
        target=transfer,
        org=target,
        before=before,
        after=audit.snapshot(transfer, SNAPSHOT),
    )
    return transfer


def _close_member_side(actor, member, branch) -> None:
    """A transfer ends what hung on the old relationship: open flows, certificates, a graduate hold."""
    on = today()
    MobileFlow.objects.filter(member=member, status__in=OPEN_FLOW_STATUSES).update(
        status=FlowStatus.RETURNED, returned_on=on, note="组织关系已转接"
    )
    Certificate.objects.filter(member=member, status=CertificateStatus.ACTIVE).update(
        status=CertificateStatus.REVOKED, revoked_on=on, revoked_reason=RevocationReason.TRANSFERRED
    )
    GraduateHold.objects.filter(member=member, closed_on__isnull=True).update(closed_on=on)
    if member.is_mobile:
        member.refresh_from_db()
        member_services.set_mobile(actor=actor, member=member, destination="")


@transaction.atomic
def return_transfer(*, actor, transfer: Transfer, reason: str) -> Transfer:
    transfer = _receiving(actor, transfer)
    if not (reason or "").strip():
        raise ValidationError({"return_reason": "请填写退回原因"})
    before = audit.snapshot(transfer, SNAPSHOT)
    transfer.status, transfer.returned_on = TransferStatus.RETURNED, today()
    transfer.return_reason = reason.strip()[:255]
    transfer.save()
    audit.record(
        actor=actor,
        action="mobility.transfer.returned",
        target=transfer,
        org_path=transfer.other_path,
        before=before,
        after=audit.snapshot(transfer, SNAPSHOT),
    )
    return transfer


@transaction.atomic
def record_receipt(*, actor, transfer: Transfer, returned_on: datetime.date | None = None) -> Transfer:
    """The receipt (回执) of a paper letter out came back: the sending side's duty ends (docs/rules.md §5)."""
    transfer = get_in_scope_or_404(Transfer, actor, transfer.pk, Action.CHANGE, lock=True)
    if not scope_of(actor).allows(Action.CHANGE, transfer.org_path) or transfer.kind != TransferKind.OUTGOING:
        raise ValidationError({"status": "只有转出党组织可以登记平台外介绍信的回执"})
    if transfer.status != TransferStatus.IN_TRANSIT:
        raise ValidationError({"status": f"该介绍信当前为“{transfer.get_status_display()}”，不能登记回执"})
    returned_on = returned_on or today()
    if returned_on < transfer.issued_on or returned_on > today():
        raise ValidationError({"receipt_returned_on": "回执返回日期应在开具日期与今天之间"})
    before = audit.snapshot(transfer, SNAPSHOT)
    transfer.status, transfer.receipt_returned_on = TransferStatus.RECEIPT_RETURNED, returned_on
    transfer.save()
    audit.record(
        actor=actor,
        action="mobility.transfer.receipt",
        target=transfer,
        org_path=transfer.org_path,
        before=before,
        after=audit.snapshot(transfer, SNAPSHOT),
    )
    return transfer


@transaction.atomic
def register_incoming_letter(
    *,
    actor,
    organisation,
    number: str,
    member_name: str,
    from_org_name: str,
    issued_on: datetime.date,
    valid_days=None,
    dues_paid: datetime.date | None = None,
    reason: str = "",
    branch=None,
    values: dict | None = None,
) -> Transfer:
    """A paper letter from outside the platform, handed in at one of the actor's organisations.

    With `branch` (a branch under the receiving organisation) and the letter's items `values` (the registry's
    items: name, sex, ID number, birth date, category, joined_on …) the member is placed on that branch's roll:
    a person not in the registry is created through `members.services.create_member`; a member found by the
    ID number (blind index) who was transferred out on paper is linked: moved with every row that follows them and
    back on the roll (`members.services.transfer_back`), a letter out still in transit closed as received
    (docs/rules.md §5).  A paper letter out takes the member off the roll when it is issued (`transfer_out`)."""
    receiver = (
        Organisation.objects.visible_to(actor, Action.CHANGE)
        .filter(pk=getattr(organisation, "pk", organisation))
        .first()
    )
    if receiver is None:
        raise ValidationError({"organisation": "接收党组织不存在，或不在您的管理范围内"})
    errors = {
        key: f"请填写{label}"
        for key, label, value in (
            ("number", "介绍信编号", number),
            ("member_name", "姓名", member_name),
            ("from_org_name", "转出党组织名称", from_org_name),
            ("issued_on", "开具日期", issued_on),
        )
        if not value
    }
    if errors:
        raise ValidationError(errors)
    days, expires_on = _validity(valid_days, issued_on)
    target = None
    if branch is not None or values:
        target = base.branch_in_scope(actor, branch, under=receiver.path)
        if not isinstance(values, dict) or not values:
            raise ValidationError(
                {"values": "请填写介绍信所载党员信息（姓名、性别、公民身份证号、出生日期、人员类别等）"}
            )
    transfer = Transfer(
        number=f"外{number.strip()}"[:40],
        kind=TransferKind.INCOMING,
        member_name=member_name.strip(),
        from_org_name=from_org_name.strip()[:200],
        org_path=receiver.path,
        to_org=receiver,
        to_org_name=receiver.name,
        other_path=receiver.path,
        issued_on=issued_on,
        valid_days=days,
        expires_on=expires_on,
        dues_paid_to=dues_paid.replace(day=1) if dues_paid else None,
        reason=(reason or "")[:200],
        status=TransferStatus.ACCEPTED,
        accepted_on=today(),
    )
    _check_valid(transfer, today())
    if target is not None:
        assert values is not None  # checked with the target above
        transfer.member, transfer.to_branch = _place_incoming(actor, target, transfer, values), target
    _save(transfer)
    audit.record(
        actor=actor,
        action="mobility.transfer.registered",
        target=transfer,
        org=receiver,
        after=audit.snapshot(transfer, SNAPSHOT) | {"member": transfer.member_id},
    )
    return transfer


def _place_incoming(actor, target: Organisation, transfer: Transfer, values: dict) -> Member:
    """The member named by an incoming paper letter, on `target`'s roll: created, or found and moved."""
    values = {**values, "name": (values.get("name") or transfer.member_name).strip()}
    if values["name"] != transfer.member_name:
        raise ValidationError({"values": f"党员信息中的姓名“{values['name']}”与介绍信所载姓名不一致"})
    id_number = str(values.get("id_number") or "").strip().upper()
    existing = (
        Member.objects.select_for_update().filter(id_number_hash=crypto.blind_index(id_number)).first()
        if id_number
        else None
    )
    if existing is None:
        return member_services.create_member(actor=actor, organisation=target, values=values)
    if existing.name != values["name"] or existing.status != MemberStatus.TRANSFERRED_OUT:
        raise ValidationError(
            {
                "id_number": "该公民身份证号已登记在平台内其他党员档案中（不是已转往平台外的党员）："
                "请由其所在党组织在平台内开具介绍信"
            }
        )
    member_services.transfer_back(
        actor=actor, member=existing, branch=target, reason=f"平台外介绍信转入 {transfer.number}"
    )
    _close_member_side(actor, existing, target)
    Transfer.objects.filter(
        member=existing, kind=TransferKind.OUTGOING, status=TransferStatus.IN_TRANSIT
    ).update(status=TransferStatus.RECEIPT_RETURNED, receipt_returned_on=today())
    existing.refresh_from_db()
    return existing


@transaction.atomic
def register_graduate_hold(*, actor, member, graduated_on: datetime.date) -> GraduateHold:
    """A graduate's relationship kept at the university; flagged when it reaches 2 years (docs/rules.md §5)."""
    member = get_in_scope_or_404(Member, actor, member, Action.CHANGE, lock=True)
    if graduated_on > today():
        raise ValidationError({"graduated_on": "毕业日期不能晚于今天"})
    hold = GraduateHold.objects.create(
        member=member,
        org_path=member.org_path,
        graduated_on=graduated_on,
        flag_on=add_months(graduated_on, 24),
    )
    audit.record(
        actor=actor,
        action="mobility.graduate.registered",
        target=member,
        org_path=member.org_path,
        after={"graduated_on": graduated_on, "flag_on": hold.flag_on},
    )
    return hold


def may_receive(actor, transfer: Transfer) -> bool:
    return (
        transfer.kind == TransferKind.INTERNAL
        and transfer.status == TransferStatus.IN_TRANSIT
        and scope_of(actor).allows(Action.CHANGE, transfer.other_path)
    )
