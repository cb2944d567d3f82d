"""Records kept beside the national items: rewards and punishments, posts held."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.core.dates import add_years
from qiangji.members.choices import RecordKind
from qiangji.members.models import Member, PositionRecord, RewardPunishment
from qiangji.members.services import base
from qiangji.members.services.base import changeable, reread


@transaction.atomic
def add_reward_punishment(
    *,
    actor,
    member: Member,
    kind: str,
    title: str,
    decided_on,
    issuer: str = "",
    note: str = "",
    ends_on=None,
    rights_restored_on=None,
) -> RewardPunishment:
    """A reward or punishment.  For a punishment with a period (留党察看, at most two years,
    《中国共产党章程》第四十条): `ends_on` is its last day, `rights_restored_on` the day the member's
    rights were restored; both optional, neither before `decided_on`."""
    member = changeable(actor, member)
    errors = _reward_errors(member, kind, title, decided_on, issuer, note)
    errors |= _period_errors(kind, decided_on, ends_on, rights_restored_on)
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
        ends_on=ends_on,
        rights_restored_on=rights_restored_on,
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
            "ends_on": ends_on,
            "rights_restored_on": rights_restored_on,
            "record_id": record.pk,
        },
    )
    reread(actor, member)
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
    elif decided_on > base.today():
        errors["decided_on"] = f"日期：{decided_on:%Y-%m-%d} 不能晚于今天"
    elif decided_on < member.birth_date:
        errors["decided_on"] = "日期：不能早于出生日期"
    return errors


def _period_errors(kind, decided_on, ends_on, rights_restored_on) -> dict:
    errors = {}
    dated = isinstance(decided_on, datetime.date)
    for field, value, label in (
        ("ends_on", ends_on, "处分期满日期"),
        ("rights_restored_on", rights_restored_on, "恢复党员权利日期"),
    ):
        if value is None:
            continue
        if not isinstance(value, datetime.date):
            errors[field] = f"{label}：日期格式如 2025-05-01"
        elif kind != RecordKind.PUNISHMENT:
            errors[field] = f"{label}：只有处分记录才有"
        elif dated and value < decided_on:
            errors[field] = f"{label}：{value:%Y-%m-%d} 不能早于处分日期 {decided_on:%Y-%m-%d}"
        elif field == "rights_restored_on" and value > base.today():
            errors[field] = f"{label}：{value:%Y-%m-%d} 不能晚于今天"
    if (
        "ends_on" not in errors
        and isinstance(ends_on, datetime.date)
        and dated
        and ends_on > add_years(decided_on, 2)
    ):
        errors["ends_on"] = (
            f"处分期满日期：留党察看最长不超过二年（《中国共产党章程》第四十条），"
            f"最迟 {add_years(decided_on, 2):%Y-%m-%d}（含）"
        )
    return errors


@transaction.atomic
def add_position(
    *, actor, member: Member, title: str, started_on, unit: str = "", ended_on=None, note: str = ""
) -> PositionRecord:
    """Record a post held; a post without an end date is the current one and becomes `position`."""
    member = changeable(actor, member)
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
    reread(actor, member)
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
        elif value > base.today():
            errors[field] = f"{label}：{value:%Y-%m-%d} 不能晚于今天"
        elif value < member.birth_date:
            errors[field] = f"{label}：不能早于出生日期"
    if started_on and ended_on and not (errors.keys() & {"started_on", "ended_on"}) and ended_on < started_on:
        errors["ended_on"] = "免职日期：不能早于任职日期"
    return errors
