"""Attendance by hand, checklist evidence, attachments and exemptions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.life import rules
from qiangji.life.choices import HELD_STATES, AttachmentKind, AttendanceStatus, CheckInMethod, ChecklistKind
from qiangji.life.models import (
    Attendance,
    ChecklistCompletion,
    ChecklistItem,
    Meeting,
    MeetingAttachment,
    MeetingExemption,
    MeetingType,
)
from qiangji.life.models.meetings import inflow_members_q
from qiangji.life.selectors.objects import inflow_member
from qiangji.life.services.base import changeable_org, required_text
from qiangji.life.services.meetings import _editable, check_quorum, recount
from qiangji.life.services.rollups import refresh_branch_year, refresh_member_life
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member

OUTSIDER = "该党员不是本支部党员，也没有登记为列席/外支部人员，不能登记出席情况"


def _visible_member(actor, member) -> Member:
    try:
        found = get_in_scope_or_404(Member, actor, member, Action.VIEW)
    except Http404:  # a mobile member of the actor's inflow branch attends as a guest, credited at home too
        found = inflow_member(actor, member, Action.CHANGE)
        if found is None:
            raise
    if found.status not in ON_ROLL:
        raise ValidationError(
            {"member": f"{found.name}的党员状态为{found.get_status_display()}，不能登记出席"}
        )
    return found


def _inflow(actor, member: Member, meeting: Meeting) -> bool:
    """The member is a mobile member of the meeting's own branch (an inflow branch): a guest without asking."""
    q = inflow_members_q([meeting.org_path], field="pk")
    return q is not None and Member.objects.filter(q, pk=member.pk).exists()


def _after_attendance_change(meeting: Meeting, member_id: int) -> None:
    if meeting.status in HELD_STATES:
        recount(meeting)
        meeting.save(
            update_fields=[
                "due_count",
                "present_count",
                "guest_count",
                "committee_size",
                "committee_present",
                "updated_at",
            ]
        )
        refresh_branch_year(meeting)
        refresh_member_life([member_id])


@transaction.atomic
def record_attendance(
    *,
    actor,
    meeting: Meeting,
    member,
    status: str,
    absence_reason: str = "",
    leave_approved: bool = False,
    as_guest: bool = False,
) -> Attendance:
    """One member's attendance, by hand (an HTMX toggle calls this per member).

    Someone outside the branch is accepted only when registered as a guest (`as_guest=True`); a
    guest is credited to their own branch as well (docs/rules.md §5).
    """
    meeting = _editable(actor, meeting)
    member = _visible_member(actor, member)
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": "出席情况只能是出席或缺席"})
    existing = Attendance.objects.filter(meeting=meeting, member=member).first()
    is_guest = member.organisation_id != meeting.organisation_id
    if (
        is_guest
        and not as_guest
        and not (existing and existing.is_guest)
        and not _inflow(actor, member, meeting)
    ):
        raise ValidationError({"member": OUTSIDER})
    if status == AttendanceStatus.PRESENT:
        absence_reason, leave_approved = "", False
    before = (
        {
            "status": existing.status,
            "absence_reason": existing.absence_reason,
            "leave_approved": existing.leave_approved,
        }
        if existing
        else None
    )
    row = existing or Attendance(
        meeting=meeting,
        org_path=meeting.org_path,
        member=member,
        is_guest=is_guest,
        home_organisation_id=member.organisation_id if is_guest else None,
        home_org_path=member.org_path if is_guest else "",
    )
    row.status, row.absence_reason = status, (absence_reason or "").strip()[:200]
    row.leave_approved, row.recorded_by = bool(leave_approved), actor
    if row.checked_in_at is None:
        row.method = CheckInMethod.MANUAL
    row.save()
    _after_attendance_change(meeting, member.pk)
    audit.record(
        actor=actor,
        action="life.attendance.recorded",
        target=meeting,
        org_path=meeting.org_path,
        target_repr=f"{meeting.title}：{member.name}",
        before=before,
        after={
            "member": member.pk,
            "status": status,
            "absence_reason": row.absence_reason,
            "leave_approved": row.leave_approved,
            "guest": row.is_guest,
        },
    )
    return row


@transaction.atomic
def remove_attendance(*, actor, attendance: Attendance) -> None:
    """Only a guest's row may be removed: a member of the branch stays on the record, present or absent."""
    found = get_in_scope_or_404(Attendance, actor, attendance, Action.CHANGE)
    meeting = _editable(actor, found.meeting_id)
    if not found.is_guest:
        raise ValidationError({"member": "本支部党员不能从会议记录中删除，请改为缺席并注明原因"})
    found.delete()
    _after_attendance_change(meeting, found.member_id)
    audit.record(
        actor=actor,
        action="life.attendance.removed",
        target=meeting,
        org_path=meeting.org_path,
        before={"member": found.member_id, "status": found.status},
    )


@transaction.atomic
def add_attachment(
    *, actor, meeting: Meeting, file, kind: str = AttachmentKind.PHOTO, caption: str = ""
) -> MeetingAttachment:
    meeting = _editable(actor, meeting)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": "附件类型只能是照片或文件"})
    if not file:
        raise ValidationError({"file": "请选择要上传的文件"})
    attachment = MeetingAttachment.objects.create(
        meeting=meeting,
        org_path=meeting.org_path,
        kind=kind,
        file=file,
        caption=(caption or "")[:200],
        uploaded_by=actor,
    )
    audit.record(
        actor=actor,
        action="life.attachment.added",
        target=meeting,
        org_path=meeting.org_path,
        after={"attachment": attachment.pk, "kind": kind, "caption": attachment.caption},
    )
    return attachment


@transaction.atomic
def complete_checklist_item(
    *,
    actor,
    meeting: Meeting,
    item: ChecklistItem,
    done: bool = True,
    evidence: str = "",
    attachment: MeetingAttachment | None = None,
    skipped_reason: str = "",
) -> ChecklistCompletion:
    """An activity done with its evidence, or (not done) with a reason: never silently dropped."""
    meeting = _editable(actor, meeting)
    if not rules.applicable_items(meeting).filter(pk=getattr(item, "pk", item)).exists():
        raise ValidationError({"item": "该动作不是上级为本次主题党日发布的动作"})
    item = ChecklistItem.objects.get(pk=getattr(item, "pk", item))
    if attachment is not None and attachment.meeting_id != meeting.pk:
        raise ValidationError({"attachment": "佐证材料须是本次会议的附件"})
    evidence, skipped_reason = (evidence or "").strip(), (skipped_reason or "").strip()
    if done and not (evidence or attachment):
        raise ValidationError({"evidence": "请填写完成情况或上传佐证材料"})
    if not done and item.kind == ChecklistKind.REQUIRED and not skipped_reason:
        raise ValidationError({"skipped_reason": "规定动作未完成须写明理由"})
    completion, _ = ChecklistCompletion.objects.update_or_create(
        meeting=meeting,
        item=item,
        defaults=dict(
            org_path=meeting.org_path,
            done=bool(done),
            evidence=evidence[:500],
            attachment=attachment,
            skipped_reason="" if done else skipped_reason[:255],
            completed_by=actor,
        ),
    )
    required = rules.applicable_items(meeting).filter(kind=ChecklistKind.REQUIRED)
    meeting.checklist_required = required.count()
    meeting.checklist_done = meeting.completions.filter(done=True, item__in=required).count()
    meeting.save(update_fields=["checklist_required", "checklist_done", "updated_at"])
    if meeting.status in HELD_STATES:
        refresh_branch_year(meeting)
    audit.record(
        actor=actor,
        action="life.checklist.completed",
        target=meeting,
        org_path=meeting.org_path,
        after={
            "item": item.title,
            "done": completion.done,
            "evidence": completion.evidence,
            "skipped_reason": completion.skipped_reason,
        },
    )
    return completion


@transaction.atomic
def grant_exemption(
    *,
    actor,
    organisation,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
    meeting_type: MeetingType | None = None,
) -> MeetingExemption:
    """Excuse a branch (e.g. being dissolved) from required meetings; decided by a higher committee."""
    branch = changeable_org(actor, organisation, branch=True)
    if not scope_of(actor).allows_above(Action.CHANGE, branch.path):
        raise ValidationError({"organisation": "免于考核须由上级党组织批准"})
    reason = required_text(reason, "reason", "理由")
    if not isinstance(starts_on, datetime.date) or not isinstance(ends_on, datetime.date):
        raise ValidationError({"starts_on": "请填写起止日期"})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "截止日期不能早于起始日期"})
    exemption = MeetingExemption.objects.create(
        organisation=branch,
        org_path=branch.path,
        meeting_type=meeting_type,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason[:255],
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="life.exemption.granted",
        target=exemption,
        org=branch,
        after={
            "meeting_type": meeting_type.code if meeting_type else "全部",
            "starts_on": starts_on,
            "ends_on": ends_on,
            "reason": exemption.reason,
        },
    )
    return exemption


__all__ = [
    "OUTSIDER",
    "add_attachment",
    "check_quorum",
    "complete_checklist_item",
    "grant_exemption",
    "record_attendance",
    "remove_attendance",
]
