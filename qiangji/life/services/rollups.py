"""Keep the compliance rollups current; called inside the writing service's transaction.

Recomputing one (branch, year, type) row reads at most a few dozen meetings, so writes stay cheap
while province-wide reads become range scans (docs/architecture.md, "Organisational life").
"""

from django.db import connection
from django.db.models import Max, Q

from qiangji.life.choices import HELD_STATES, AttendanceStatus
from qiangji.life.models import Attendance, BranchLifeYear, Meeting, MeetingType, MemberLife
from qiangji.members.models import Member

__all__ = ["HELD_STATES"]  # re-exported: older callers import it from here


def rollup_types(meeting_type: MeetingType) -> list[int]:
    """The type itself and the type it also counts toward (a secretary's lecture is also a lecture)."""
    return [meeting_type.pk] + ([meeting_type.counts_toward_id] if meeting_type.counts_toward_id else [])


def refresh_branch_year(meeting: Meeting, year: int | None = None) -> None:
    years = {y for y in (year, meeting.held_on.year if meeting.held_on else None) if y}
    for type_id in rollup_types(meeting.meeting_type):
        for y in years:
            _refresh_row(meeting.organisation_id, meeting.org_path, y, type_id)


def _refresh_row(branch_id: int, org_path: str, year: int, type_id: int) -> None:
    meetings = Meeting.objects.filter(
        Q(meeting_type_id=type_id) | Q(meeting_type__counts_toward_id=type_id),
        organisation_id=branch_id,
        status__in=HELD_STATES,
        held_on__year=year,
    ).values_list("held_on", "due_count", "present_count", "checklist_required", "checklist_done")
    mask = count = due = present = required = done = 0
    for held_on, due_count, present_count, checklist_required, checklist_done in meetings:
        mask |= 1 << (held_on.month - 1)  # type: ignore[union-attr]
        count += 1
        due += due_count
        present += present_count
        required += checklist_required
        done += checklist_done
    BranchLifeYear.objects.update_or_create(
        organisation_id=branch_id,
        year=year,
        meeting_type_id=type_id,
        defaults=dict(
            org_path=org_path,
            held_months=mask,
            held_count=count,
            held_month_count=mask.bit_count(),
            held_quarter_count=sum(1 for q in range(4) if mask & (0b111 << (3 * q))),
            due_sum=due,
            present_sum=present,
            checklist_required=required,
            checklist_done=done,
        ),
    )


def touch_member_life(member_id: int, org_path: str, day) -> None:
    """Upsert a member's last organisational life, never moving it backwards (one statement: check-in path)."""
    table = MemberLife._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (member_id, org_path, last_attended_on) VALUES (%s, %s, %s) "
            f"ON CONFLICT (member_id) DO UPDATE SET org_path = excluded.org_path, last_attended_on = CASE "
            f"WHEN excluded.last_attended_on > {table}.last_attended_on THEN excluded.last_attended_on "
            f"ELSE {table}.last_attended_on END",
            [member_id, org_path, day],
        )


def refresh_member_life(member_ids) -> None:
    """Recompute from attendance: present, or absent on approved leave (a good reason, docs/rules.md §5)."""
    member_ids = list(member_ids)
    if not member_ids:
        return
    latest = dict(
        Attendance.objects.filter(
            member_id__in=member_ids, meeting__held_on__isnull=False, meeting__status__in=HELD_STATES
        )
        .filter(Q(status=AttendanceStatus.PRESENT) | Q(leave_approved=True))
        .values("member_id")
        .annotate(last=Max("meeting__held_on"))
        .values_list("member_id", "last")
    )
    paths = dict(Member.objects.filter(pk__in=member_ids).values_list("pk", "org_path"))
    MemberLife.objects.filter(member_id__in=[m for m in member_ids if m not in latest]).delete()
    for member_id, last in latest.items():
        MemberLife.objects.update_or_create(
            member_id=member_id, defaults={"org_path": paths[member_id], "last_attended_on": last}
        )
