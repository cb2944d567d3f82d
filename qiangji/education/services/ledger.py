"""The hours ledger: outside training entered with evidence, and idempotent crediting from the app's sources."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.education.choices import Channel, Provider, Source
from qiangji.education.models import HourEntry
from qiangji.education.services.base import half_hours_of
from qiangji.members.models import Member

EVIDENCE_TYPES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def _evidence_type(upload) -> str:
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in EVIDENCE_TYPES.items():
        if head.startswith(magic):
            return content_type
    return ""


def _max_evidence_bytes() -> int:
    return int(getattr(settings, "QIANGJI_EDUCATION_EVIDENCE_MAX_MB", 20)) * 1024 * 1024


@transaction.atomic
def record_training(
    *,
    actor,
    member,
    title: str,
    held_on: datetime.date,
    hours,
    provider: str,
    channel: str = Channel.OFFLINE,
    concentrated: bool = False,
    induction: bool = False,
    evidence=None,
) -> HourEntry:
    """Outside training (上级调训, 外出培训…) entered by the member's organisation, with evidence
    (a certificate or notice as PDF/PNG/JPEG). Year = the training's year; no carry-over."""
    member = get_in_scope_or_404(Member, actor, getattr(member, "pk", member), Action.CHANGE, lock=True)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "请填写培训名称"
    if not isinstance(held_on, datetime.date):
        errors["held_on"] = "请填写培训日期"
    elif held_on > today():
        errors["held_on"] = "培训日期不能晚于今天"
    if provider not in Provider.values:
        errors["provider"] = "请选择组织方"
    if channel not in Channel.values:
        errors["channel"] = "请选择培训方式"
    try:
        half_hours = half_hours_of(hours)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if evidence is None:
        errors["evidence"] = "外出培训须上传佐证材料（结业证书或通知，PDF/PNG/JPEG）"
    elif evidence.size > _max_evidence_bytes():
        errors["evidence"] = f"佐证材料不能超过{_max_evidence_bytes() // 1024 // 1024}MB"
    elif not _evidence_type(evidence):
        errors["evidence"] = "佐证材料的内容不是PDF、PNG或JPEG文件"
    if errors:
        raise ValidationError(errors)
    entry = HourEntry(
        member=member,
        org_path=member.org_path,
        region_code=member.region_code,
        year=held_on.year,
        source=Source.OUTSIDE,
        channel=channel,
        provider=provider,
        half_hours=half_hours,
        concentrated=bool(concentrated),
        induction=bool(induction),
        title=title[:200],
        held_on=held_on,
        recorded_by=actor,
    )
    entry.evidence.save(f"evidence-{member.pk}-{held_on:%Y%m%d}.bin", evidence, save=False)
    entry.save()
    audit.record(
        actor=actor,
        action="education.entry.recorded",
        target=entry,
        org_path=member.org_path,
        target_repr=f"{member.name} {entry}",
        after=audit.snapshot(
            entry, ["year", "source", "provider", "channel", "half_hours", "title", "held_on"]
        ),
    )
    return entry


def credit_hours(
    *,
    actor,
    member: Member,
    origin: str,
    source: str,
    channel: str,
    provider: str,
    half_hours: int,
    title: str,
    held_on: datetime.date,
    concentrated: bool = False,
) -> tuple[HourEntry, bool]:
    """Hours from one of the app's own records (a chapter, a class): once per (member, origin), whatever
    is retried. Runs inside the calling service's transaction; returns (entry, created)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("credit_hours() runs inside the calling service's transaction")
    existing = HourEntry.objects.filter(member=member, origin=origin).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            entry = HourEntry.objects.create(
                member=member,
                org_path=member.org_path,
                region_code=member.region_code,
                year=held_on.year,
                source=source,
                channel=channel,
                provider=provider,
                half_hours=half_hours,
                concentrated=concentrated,
                title=title[:200],
                held_on=held_on,
                origin=origin,
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:  # a concurrent retry credited it first
        return HourEntry.objects.get(member=member, origin=origin), False
    audit.record(
        actor=actor,
        action="education.entry.credited",
        target=entry,
        org_path=member.org_path,
        target_repr=f"{member.name} {entry}",
        after={"origin": origin, "half_hours": half_hours, "year": entry.year, "source": source},
    )
    return entry, True
