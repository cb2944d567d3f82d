"""Meeting records: schedule, record as held, submit, approve or return (《中国共产党支部工作条例（试行）》, docs/rules.md §2)."""

import datetime
import decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.life import rules as selectors_rules
from qiangji.life.choices import AttendanceStatus, MeetingStatus, MeetingTypeCode, Quorum
from qiangji.life.models import Attendance, Meeting, MeetingType, MonthlyTheme, PlanItem
from qiangji.life.services.base import changeable_org, required_text
from qiangji.life.services.rollups import refresh_branch_year, refresh_member_life

NOT_YET_HELD = "会议尚未举行，不能记录为已召开"
RECORD_FIELDS = (
    "title",
    "planned_on",
    "starts_at",
    "place",
    "host",
    "recorder",
    "lecturer",
    "agenda",
    "minutes",
    "decisions",
    "study_hours",
)
AUDITED = (
    "title",
    "status",
    "planned_on",
    "held_on",
    "place",
    "host",
    "recorder",
    "study_hours",
    "due_count",
    "present_count",
    "guest_count",
    "return_reason",
)


def _theme_for(org_path: str, day: datetime.date | None, theme: MonthlyTheme | None) -> MonthlyTheme | None:
    """The theme given (it must have been pushed to this branch), else the nearest one pushed for that month."""
    themes = MonthlyTheme.objects.for_branch_path(org_path)
    if theme is not None:
        if not themes.filter(pk=theme.pk).exists():
            raise ValidationError({"theme": "该主题不是上级向本支部发布的主题"})
        return theme
    if day is None:
        return None
    return themes.filter(year=day.year, month=day.month).order_by("-org_path").first()


@transaction.atomic
def schedule_meeting(
    *,
    actor,
    organisation,
    meeting_type: MeetingType,
    planned_on: datetime.date,
    title: str = "",
    theme: MonthlyTheme | None = None,
    plan_item: PlanItem | None = None,
    **fields,
) -> Meeting:
    """A planned meeting of a branch; a theme day picks up the month's pushed theme and checklist."""
    branch = changeable_org(actor, organisation, branch=True)
    if not isinstance(meeting_type, MeetingType):
        raise ValidationError({"meeting_type": "请选择会议类型"})
    if not isinstance(planned_on, datetime.date):
        raise ValidationError({"planned_on": "请填写计划日期"})
    if plan_item is not None and plan_item.org_path != branch.path:
        raise ValidationError({"plan_item": "计划事项不属于本支部"})
    if meeting_type.has_checklist:
        theme = _theme_for(branch.path, planned_on, theme or (plan_item.theme if plan_item else None))
    elif theme is not None:
        raise ValidationError({"theme": f"{meeting_type.name}不关联月度主题"})
    meeting = Meeting(
        organisation=branch,
        org_path=branch.path,
        meeting_type=meeting_type,
        theme=theme,
        plan_item=plan_item,
        planned_on=planned_on,
        created_by=actor,
        title=(title or (f"{meeting_type.name}：{theme.title}" if theme else meeting_type.name))[:200],
    )
    _apply_fields(meeting, fields)
    meeting.checklist_required = selectors_rules.required_item_count(meeting)
    meeting.save()
    audit.record(
        actor=actor,
        action="life.meeting.scheduled",
        target=meeting,
        org=branch,
        after=audit.snapshot(meeting, AUDITED),
    )
    return meeting


def _apply_fields(meeting: Meeting, fields: dict) -> None:
    unknown = set(fields) - set(RECORD_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "不能修改该字段"})
    for name, value in fields.items():
        setattr(
            meeting,
            name,
            value if value is not None else ("" if name not in ("starts_at", "planned_on") else None),
        )
    if meeting.study_hours in ("", None):
        meeting.study_hours = decimal.Decimal(0)
    try:
        hours = decimal.Decimal(str(meeting.study_hours))
    except decimal.InvalidOperation:
        raise ValidationError({"study_hours": "学习时长须为数字（小时）"})
    if not decimal.Decimal(0) <= hours <= decimal.Decimal(24):
        raise ValidationError({"study_hours": "学习时长须在0至24小时之间"})
    meeting.study_hours = hours
    meeting.title = required_text(meeting.title, "title", "会议名称")


def _editable(actor, meeting) -> Meeting:
    meeting = get_in_scope_or_404(Meeting, actor, meeting, Action.CHANGE, lock=True)
    if not meeting.is_editable:
        raise ValidationError({"status": f"会议记录{meeting.get_status_display()}，不能修改"})
    return meeting


@transaction.atomic
def update_meeting(*, actor, meeting: Meeting, **fields) -> Meeting:
    meeting = _editable(actor, meeting)
    before = audit.snapshot(meeting, AUDITED)
    _apply_fields(meeting, fields)
    meeting.save()
    audit.record(
        actor=actor,
        action="life.meeting.updated",
        target=meeting,
        org_path=meeting.org_path,
        before=before,
        after=audit.snapshot(meeting, AUDITED),
    )
    return meeting


@transaction.atomic
def record_held(*, actor, meeting: Meeting, held_on: datetime.date, **fields) -> Meeting:
    """The meeting took place: fill in who was due and absent, check the quorum, update the rollups."""
    meeting = _editable(actor, meeting)
    if not isinstance(held_on, datetime.date):
        raise ValidationError({"held_on": "请填写召开日期"})
    if held_on > today():
        raise ValidationError({"held_on": NOT_YET_HELD})
    before = audit.snapshot(meeting, AUDITED)
    _apply_fields(meeting, fields)
    old_year = meeting.held_on.year if meeting.held_on else None
    meeting.held_on = held_on
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.HELD
    _mark_absentees(meeting)
    recount(meeting)
    check_quorum(meeting)
    meeting.save()
    refresh_branch_year(meeting, old_year)
    refresh_member_life(meeting.attendances.values_list("member_id", flat=True))
    audit.record(
        actor=actor,
        action="life.meeting.held",
        target=meeting,
        org_path=meeting.org_path,
        before=before,
        after=audit.snapshot(meeting, AUDITED),
    )
    return meeting


def _mark_absentees(meeting: Meeting) -> None:
    """Everyone due and not yet recorded is recorded absent (no reason yet), so the record lists them."""
    due = selectors_rules.due_member_ids(meeting)
    recorded = set(meeting.attendances.values_list("member_id", flat=True))
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                org_path=meeting.org_path,
                member_id=member_id,
                status=AttendanceStatus.ABSENT,
            )
            for member_id in sorted(due - recorded)
        ]
    )


def recount(meeting: Meeting) -> None:
    """Due, present and guest counts from the attendance rows (written by the caller)."""
    rows = list(meeting.attendances.values_list("member_id", "status", "is_guest"))
    due = selectors_rules.due_member_ids(meeting)
    meeting.due_count = len(due)
    meeting.present_count = sum(
        1 for member_id, status, guest in rows if status == AttendanceStatus.PRESENT and member_id in due
    )
    meeting.guest_count = sum(1 for _m, status, guest in rows if guest and status == AttendanceStatus.PRESENT)
    if meeting.meeting_type.quorum == Quorum.COMMITTEE_MAJORITY:
        meeting.committee_size = selectors_rules.committee_seats(meeting.organisation_id)[0]
        meeting.committee_present = meeting.present_count


def check_quorum(meeting: Meeting) -> None:
    """Branch committee meeting: members present must be more than half the committee (《中国共产党支部工作条例（试行）》, docs/rules.md §2)."""
    if meeting.meeting_type.quorum != Quorum.COMMITTEE_MAJORITY:
        return
    size, present = meeting.committee_size or 0, meeting.committee_present or 0
    if size == 0:
        raise ValidationError({"attendance": "本支部没有在任的支部委员会委员，无法核定支委会法定人数"})
    if present * 2 <= size:
        raise ValidationError(
            {
                "attendance": (
                    f"到会委员{present}人，未超过委员总数{size}人的半数，支部委员会会议不能召开（《中国共产党支部工作条例（试行）》，docs/rules.md §2）"
                )
            }
        )


@transaction.atomic
def submit_meeting(*, actor, meeting: Meeting) -> Meeting:
    """Send the record to the higher committee; every required activity needs evidence or a reason."""
    meeting = get_in_scope_or_404(Meeting, actor, meeting, Action.CHANGE, lock=True)
    if meeting.status not in (MeetingStatus.HELD, MeetingStatus.RETURNED):
        raise ValidationError(
            {"status": f"只有已召开或被退回的会议记录可以报送（当前：{meeting.get_status_display()}）"}
        )
    missing = selectors_rules.unaccounted_required_items(meeting)
    if missing:
        raise ValidationError(
            {"checklist": "以下规定动作既没有完成佐证也没有说明理由，不能报送：" + "；".join(missing)}
        )
    recount(meeting)
    check_quorum(meeting)
    meeting.status, meeting.submitted_at = MeetingStatus.SUBMITTED, timezone.now()
    meeting.save()
    refresh_branch_year(meeting)
    audit.record(
        actor=actor,
        action="life.meeting.submitted",
        target=meeting,
        org_path=meeting.org_path,
        after={"status": meeting.status, "present_count": meeting.present_count},
    )
    return meeting


def _reviewable(actor, meeting: Meeting) -> Meeting:
    meeting = get_in_scope_or_404(Meeting, actor, meeting, Action.CHANGE, lock=True)
    if not scope_of(actor).allows_above(Action.CHANGE, meeting.org_path):
        raise ValidationError({"status": "会议记录须由上级党组织审核，本支部不能审核自己的记录"})
    if meeting.status != MeetingStatus.SUBMITTED:
        raise ValidationError(
            {"status": f"只有已报送的会议记录可以审核（当前：{meeting.get_status_display()}）"}
        )
    return meeting


@transaction.atomic
def approve_meeting(*, actor, meeting: Meeting) -> Meeting:
    meeting = _reviewable(actor, meeting)
    meeting.status, meeting.reviewed_at, meeting.reviewed_by = MeetingStatus.APPROVED, timezone.now(), actor
    meeting.return_reason = ""
    meeting.save()
    audit.record(
        actor=actor,
        action="life.meeting.approved",
        target=meeting,
        org_path=meeting.org_path,
        before={"status": MeetingStatus.SUBMITTED},
        after={"status": meeting.status},
    )
    return meeting


@transaction.atomic
def return_meeting(*, actor, meeting: Meeting, reason: str) -> Meeting:
    meeting = _reviewable(actor, meeting)
    reason = required_text(reason, "reason", "退回理由")
    meeting.status, meeting.reviewed_at, meeting.reviewed_by = MeetingStatus.RETURNED, timezone.now(), actor
    meeting.return_reason = reason[:500]
    meeting.save()
    audit.record(
        actor=actor,
        action="life.meeting.returned",
        target=meeting,
        org_path=meeting.org_path,
        before={"status": MeetingStatus.SUBMITTED},
        after={"status": meeting.status, "reason": reason},
    )
    return meeting


def theme_day_type() -> MeetingType:
    return MeetingType.objects.get(code=MeetingTypeCode.THEME_DAY)
