"""Writes to the member registry: one function a domain action, one transaction, one audit entry.

Clear ID numbers and phones never reach the audit trail: before/after hold the masked suffix and
a flag saying that the number changed.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from qiangji.core import audit, audit_labels
from qiangji.core.choices import Action
from qiangji.members.choices import Category, MembershipStatus, MemberStatus, PoliticalStatus, RecordKind
from qiangji.members.models import Member, MemberStatusEvent, PositionRecord, RewardPunishment
from qiangji.members.validation import (
    add_years,
    completeness,
    labelled,
    member_columns,
    validate_member_fields,
)
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

BRANCH_REFUSED = "所在党支部不存在或不在您的管理范围内"
ACTION_LABELS = {
    "members.member.created": "新建党员档案",
    "members.member.updated": "修改党员档案",
    "members.status.recorded": "记录党员状态变化",
    "members.id_number.revealed": "查看完整公民身份证号",
    "members.phone.revealed": "查看完整联系电话",
    "members.record.added": "添加奖惩记录",
    "members.position.added": "添加任职经历",
}
AUDITED_FIELDS = (
    "name",
    "sex",
    "ethnicity",
    "birth_date",
    "education",
    "category",
    "joined_on",
    "confirmed_on",
    "post",
    "position",
    "employer",
    "address",
    "status",
    "status_since",
    "political_status",
    "membership_status",
    "lost_contact_since",
    "is_mobile",
    "mobile_destination",
    "family_contact_name",
    "family_contact_relation",
    "national_id",
    "id_suffix",
    "phone_suffix",
    "completeness",
    "org_path",
)
EDITABLE_FIELDS = (
    "name",
    "sex",
    "ethnicity",
    "id_number",
    "birth_date",
    "education",
    "category",
    "joined_on",
    "confirmed_on",
    "post",
    "position",
    "employer",
    "phone",
    "address",
    "membership_status",
    "lost_contact_since",
    "is_mobile",
    "mobile_destination",
    "family_contact_name",
    "family_contact_relation",
    "family_contact_phone",
    "national_id",
)
# Which status may follow which (RULES §5; a deceased or departed member's record is closed).
TRANSITIONS = {
    MemberStatus.PROBATIONARY: {
        MemberStatus.FULL,
        MemberStatus.LOST_CONTACT,
        MemberStatus.LEFT,
        MemberStatus.DECEASED,
    },
    MemberStatus.FULL: {
        MemberStatus.SUSPENDED,
        MemberStatus.LOST_CONTACT,
        MemberStatus.LEFT,
        MemberStatus.DECEASED,
    },
    MemberStatus.LOST_CONTACT: {
        MemberStatus.FULL,
        MemberStatus.PROBATIONARY,
        MemberStatus.SUSPENDED,
        MemberStatus.LEFT,
        MemberStatus.DECEASED,
    },
    MemberStatus.SUSPENDED: {
        MemberStatus.FULL,
        MemberStatus.PROBATIONARY,
        MemberStatus.LEFT,
        MemberStatus.DECEASED,
    },
    MemberStatus.LEFT: set(),
    MemberStatus.DECEASED: set(),
}
audit_labels.register(ACTION_LABELS)

PROBATION_YEARS = 1  # RULES §1 step 21: one year from the branch meeting's resolution (fzdy-2014 第21步)


def today() -> datetime.date:
    return timezone.localdate()


def check_branch(actor, organisation) -> Organisation:
    """The branch must be in the actor's CHANGE scope, a branch-kind organisation and not dissolved.
    Unknown and out-of-scope branches get the same answer, so the refusal leaks nothing."""
    pk = getattr(organisation, "pk", organisation)
    found = Organisation.objects.visible_to(actor, Action.CHANGE).filter(pk=pk).first() if pk else None
    if found is None:
        raise ValidationError({"organisation": BRANCH_REFUSED})
    if found.kind not in BRANCH_KINDS:
        raise ValidationError(
            {
                "organisation": labelled(
                    "organisation", f"“{found.name}”不是党支部，党员须编入党支部（RULES §2 / zbtl-2018）"
                )
            }
        )
    if found.dissolved_on is not None:
        raise ValidationError(
            {"organisation": labelled("organisation", f"“{found.name}”已撤销，不能再编入党员")}
        )
    return found


def _changeable(actor, member: Member) -> Member:
    """Lock and return the member if the actor may change it; 404 otherwise (nothing is said)."""
    found = Member.objects.visible_to(actor, Action.CHANGE).select_for_update().filter(pk=member.pk).first()
    if found is None:
        raise Http404("未找到该党员，或您无权操作")
    return found


def _reread(actor, member: Member) -> Member:
    """STYLE.md: after a write, re-read through the scope; raising here rolls the write back."""
    found = Member.objects.visible_to(actor, Action.CHANGE).filter(pk=member.pk).first()
    if found is None:
        raise Http404("保存后的记录不在您的管理范围内，已撤销本次操作")
    return found


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
    cleaned, errors = validate_member_fields(values, today=today())
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
    effective_on = member.status_since or member.joined_on or today()
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
    return _reread(actor, member)


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
    member = _changeable(actor, member)
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
    return _reread(actor, member)


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
def record_status_event(
    *, actor, member: Member, status: str, effective_on: datetime.date, reason: str = ""
) -> MemberStatusEvent:
    """Append a dated status event and bring the record's status columns in line with it."""
    member = _changeable(actor, member)
    _check_transition(member, status, effective_on, reason)
    before = audit.snapshot(member, AUDITED_FIELDS)
    _apply_status(member, status, effective_on)
    member.completeness = completeness(current_columns(member))
    member.save()
    event = MemberStatusEvent.objects.create(
        member=member,
        org_path=member.org_path,
        status=status,
        effective_on=effective_on,
        reason=reason.strip(),
    )
    after = audit.snapshot(member, AUDITED_FIELDS) | {"reason": reason.strip()}
    audit.record(
        actor=actor,
        action="members.status.recorded",
        target=member,
        org=member.organisation,
        before=before,
        after=after,
    )
    _reread(actor, member)
    return event


def _check_transition(member: Member, status: str, effective_on, reason: str) -> None:
    current = MemberStatus(member.status)
    if status not in MemberStatus.values:
        raise ValidationError({"status": labelled("status", f"代码“{status}”不在代码表中")})
    if status not in TRANSITIONS[current]:
        raise ValidationError(
            {
                "status": labelled(
                    "status", f"当前状态为“{current.label}”，不能变为“{MemberStatus(status).label}”"
                )
            }
        )
    if not isinstance(effective_on, datetime.date):
        raise ValidationError({"effective_on": "生效日期：必填"})
    if effective_on > today():
        raise ValidationError({"effective_on": f"生效日期：{effective_on:%Y-%m-%d} 不能晚于今天"})
    if member.status_since and effective_on < member.status_since:
        raise ValidationError(
            {"effective_on": f"生效日期：不能早于当前状态的起始日期 {member.status_since:%Y-%m-%d}"}
        )
    if status == MemberStatus.FULL and current == MemberStatus.PROBATIONARY:
        _check_probation_over(member, effective_on)
    if status not in (MemberStatus.FULL, MemberStatus.PROBATIONARY) and not (reason or "").strip():
        raise ValidationError({"reason": "原因：必填"})


def _check_probation_over(member: Member, effective_on) -> None:
    if member.joined_on and effective_on < add_years(member.joined_on, PROBATION_YEARS):
        ends = add_years(member.joined_on, PROBATION_YEARS)
        raise ValidationError(
            {
                "effective_on": (
                    f"生效日期：预备期为一年，自支部大会通过之日（{member.joined_on:%Y-%m-%d}）起算，"
                    f"{ends:%Y-%m-%d} 前不能转正（RULES §1 第21步 / fzdy-2014）"
                )
            }
        )


def _apply_status(member: Member, status: str, effective_on) -> None:
    if status == MemberStatus.FULL and member.category == Category.PROBATIONARY:
        member.category, member.confirmed_on = Category.FULL, effective_on
    if status in (MemberStatus.FULL, MemberStatus.PROBATIONARY) and status != member.category:
        raise ValidationError(
            {
                "status": labelled(
                    "status", f"人员类别为“{member.get_category_display()}”，恢复后的状态应与人员类别一致"
                )
            }
        )
    member.status, member.status_since = status, effective_on
    member.lost_contact_since = effective_on if status == MemberStatus.LOST_CONTACT else None
    member.membership_status = (
        MembershipStatus.SUSPENDED if status == MemberStatus.SUSPENDED else MembershipStatus.NORMAL
    )
    if status == MemberStatus.LEFT:
        member.political_status = PoliticalStatus.MASSES
    elif status != MemberStatus.DECEASED:
        member.political_status = (
            PoliticalStatus.MEMBER if member.category == Category.FULL else PoliticalStatus.PROBATIONARY
        )


def current_columns(member: Member) -> dict:
    return {field.attname: getattr(member, field.attname) for field in Member._meta.concrete_fields}


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


@transaction.atomic
def add_reward_punishment(
    *, actor, member: Member, kind: str, title: str, decided_on, issuer: str = "", note: str = ""
) -> RewardPunishment:
    member = _changeable(actor, member)
    errors = _reward_errors(member, kind, title, decided_on, issuer, note)
    if errors:
        raise ValidationError(errors)
    record = RewardPunishment.objects.create(
        member=member,
        org_path=member.org_path,
        kind=kind,
        title=title.strip(),
        decided_on=decided_on,
        issuer=(issuer or "").strip(),
        note=(note or "").strip(),
    )
    audit.record(
        actor=actor,
        action="members.record.added",
        target=member,
        org=member.organisation,
        after={
            "kind": kind,
            "title": record.title,
            "decided_on": decided_on,
            "issuer": record.issuer,
            "record_id": record.pk,
        },
    )
    _reread(actor, member)
    return record


def _reward_errors(member, kind, title, decided_on, issuer, note) -> dict:
    errors = {}
    if kind not in RecordKind.values:
        errors["kind"] = f"类别：代码“{kind}”不在代码表中"
    if not (title or "").strip():
        errors["title"] = "名称：必填"
    elif len(title.strip()) > 200:
        errors["title"] = "名称：不能超过200个字"
    if len((issuer or "").strip()) > 200:
        errors["issuer"] = "批准机关：不能超过200个字"
    if len((note or "").strip()) > 500:
        errors["note"] = "说明：不能超过500个字"
    if not isinstance(decided_on, datetime.date):
        errors["decided_on"] = "日期：必填"
    elif decided_on > today():
        errors["decided_on"] = f"日期：{decided_on:%Y-%m-%d} 不能晚于今天"
    elif decided_on < member.birth_date:
        errors["decided_on"] = "日期：不能早于出生日期"
    return errors


@transaction.atomic
def add_position(
    *, actor, member: Member, title: str, started_on, unit: str = "", ended_on=None, note: str = ""
) -> PositionRecord:
    """Record a post held; a post without an end date is the current one and becomes `position`."""
    member = _changeable(actor, member)
    errors = _position_errors(member, title, unit, started_on, ended_on, note)
    if errors:
        raise ValidationError(errors)
    record = PositionRecord.objects.create(
        member=member,
        org_path=member.org_path,
        title=title.strip(),
        unit=(unit or "").strip(),
        started_on=started_on,
        ended_on=ended_on,
        note=(note or "").strip(),
    )
    before = {"position": member.position}
    if ended_on is None:
        member.position = record.title
        member.save(update_fields=["position", "updated_at"])
    audit.record(
        actor=actor,
        action="members.position.added",
        target=member,
        org=member.organisation,
        before=before,
        after={
            "position": member.position,
            "title": record.title,
            "unit": record.unit,
            "started_on": started_on,
            "ended_on": ended_on,
            "record_id": record.pk,
        },
    )
    _reread(actor, member)
    return record


def _position_errors(member, title, unit, started_on, ended_on, note) -> dict:
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "职务：必填"
    elif len(title) > 100:
        errors["title"] = "职务：不能超过100个字"
    if len((unit or "").strip()) > 200:
        errors["unit"] = "任职单位：不能超过200个字"
    if len((note or "").strip()) > 255:
        errors["note"] = "说明：不能超过255个字"
    for field, label, value in (("started_on", "任职日期", started_on), ("ended_on", "免职日期", ended_on)):
        if value is None:
            if field == "started_on":
                errors[field] = "任职日期：必填"
        elif value > today():
            errors[field] = f"{label}：{value:%Y-%m-%d} 不能晚于今天"
        elif value < member.birth_date:
            errors[field] = f"{label}：不能早于出生日期"
    if started_on and ended_on and not errors.get("ended_on") and ended_on < started_on:
        errors["ended_on"] = "免职日期：不能早于任职日期"
    return errors
