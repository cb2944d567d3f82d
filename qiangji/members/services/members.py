"""Creating and editing member records, and revealing a full ID number or phone (audited)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.members.models import Member, MemberStatusEvent
from qiangji.members.services import base
from qiangji.members.services.base import (
    AUDITED_FIELDS,
    EDITABLE_FIELDS,
    changeable,
    check_branch,
    reread,
)
from qiangji.members.validation import labelled, member_columns, validate_member_fields


def _check_duplicate(actor, id_number_hash: str, *, exclude_pk=None) -> None:
    other = Member.objects.filter(id_number_hash=id_number_hash).exclude(pk=exclude_pk).first()
    if other is None:
        return
    if Member.objects.visible_to(actor, Action.VIEW).filter(pk=other.pk).exists():
        message = f"公民身份证号已存在于“{other.organisation}”（{other.name}），请勿重复登记"
    else:
        message = "公民身份证号已存在于其他党组织，请勿重复登记；如需接收，请办理组织关系转接"
    raise ValidationError({"id_number": message})


def _validated(values: dict) -> dict:
    cleaned, errors = validate_member_fields(values, today=base.today())
    if errors:
        raise ValidationError(errors)
    return cleaned


def _save_unique(member: Member) -> None:
    """A concurrent duplicate slips past the check; the unique index catches it."""
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError({"id_number": "公民身份证号已存在于其他党员记录中，请勿重复登记"})


@transaction.atomic
def create_member(*, actor, organisation, values: dict) -> Member:
    branch = check_branch(actor, organisation)
    cleaned = _validated(
        {
            key: values.get(key)
            for key in EDITABLE_FIELDS + ("status", "status_since", "lost_contact")
            if key in values
        }
    )
    columns = member_columns(cleaned)
    _check_duplicate(actor, columns["id_number_hash"])
    member = Member(organisation=branch, org_path=branch.path, region_code=branch.region_code, **columns)
    _save_unique(member)
    effective_on = member.status_since or member.joined_on or base.today()
    MemberStatusEvent.objects.create(
        member=member,
        org_path=member.org_path,
        status=member.status,
        effective_on=effective_on,
        reason="建档",
    )
    audit.record(
        actor=actor,
        action="members.member.created",
        target=member,
        org=branch,
        after=audit.snapshot(member, AUDITED_FIELDS),
    )
    return reread(actor, member)


def current_values(member: Member) -> dict:
    """The member's editable values in clear text, for validation of an edit (never for the audit)."""
    values = {key: getattr(member, key) for key in EDITABLE_FIELDS}
    values["status"] = member.status
    values["status_since"] = member.status_since
    return values


@transaction.atomic
def update_member(*, actor, member: Member, values: dict) -> Member:
    """Change the items of a record; status changes go through `record_status_event`, moves between
    organisations through the transfer process, so neither is accepted here."""
    member = changeable(actor, member)
    refused = {key for key in ("status", "organisation") if key in values}
    if refused:
        raise ValidationError(
            {key: labelled(key, "不能在此修改，请使用“记录状态变化”或组织关系转接") for key in refused}
        )
    before = audit.snapshot(member, AUDITED_FIELDS)
    merged = current_values(member) | {key: values[key] for key in EDITABLE_FIELDS if key in values}
    if values.get("id_number"):
        for derived in ("birth_date", "sex"):  # a corrected ID number brings its own birth date and sex
            if derived not in values:
                merged.pop(derived)
    cleaned = _validated(merged)
    columns = member_columns(cleaned)
    changed = _apply_columns(member, columns, cleaned)
    if "id_number" in changed:
        _check_duplicate(actor, columns["id_number_hash"], exclude_pk=member.pk)
    _save_unique(member)
    after = audit.snapshot(member, AUDITED_FIELDS)
    after.update(id_number_changed="id_number" in changed, phone_changed="phone" in changed)
    audit.record(
        actor=actor,
        action="members.member.updated",
        target=member,
        org=member.organisation,
        before=before,
        after=after,
    )
    return reread(actor, member)


def _apply_columns(member: Member, columns: dict, cleaned: dict) -> set[str]:
    """Copy the columns, keeping old ciphertexts where the clear value did not change (a fresh
    nonce would make every save look like a change); returns the names of changed secrets."""
    changed = set()
    for secret, hash_field in (("id_number", "id_number_hash"), ("phone", "phone_hash")):
        if columns[hash_field] == getattr(member, hash_field):
            columns.pop(f"{secret}_encrypted")
        else:
            changed.add(secret)
    if (cleaned.get("family_contact_phone") or "") == member.family_contact_phone:
        columns.pop("family_contact_phone_encrypted")
    columns.pop("status_since", None)
    for key, value in columns.items():
        setattr(member, key, value)
    return changed


@transaction.atomic
def reveal_id_number(*, actor, member: Member) -> str:
    return _reveal(actor, member, "id_number", "members.id_number.revealed")


@transaction.atomic
def reveal_phone(*, actor, member: Member) -> str:
    return _reveal(actor, member, "phone", "members.phone.revealed")


def _reveal(actor, member: Member, field: str, action: str) -> str:
    """Showing a full number is its own audited act; the entry says what was shown, not the value."""
    found = Member.objects.visible_to(actor, Action.REVEAL).filter(pk=member.pk).first()
    if found is None:
        raise Http404("未找到该党员，或您无权查看完整号码")
    audit.record(
        actor=actor,
        action=action,
        target=found,
        org_path=found.org_path,
        after={
            "field": field,
            "suffix": getattr(found, "id_suffix" if field == "id_number" else "phone_suffix"),
        },
    )
    return getattr(found, field)
