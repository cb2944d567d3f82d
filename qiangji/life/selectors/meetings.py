"""Reads about one meeting (already read through the user's scope), its QR code, roster and evidence,
and a member's attendance history.  Each takes an already-scoped object, or the user."""

from django.utils import timezone

from qiangji.core.choices import Action
from qiangji.life import rules
from qiangji.life.models import (
    Attendance,
    CheckInCode,
    Meeting,
    MeetingType,
    MemberLife,
    MonthlyTheme,
    YearPlan,
)
from qiangji.life.selectors.periods import Period
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation


def meeting_types():
    """The national rule table (with sources): no organisation data, every user may read it."""
    return MeetingType.objects.all()


def meeting_row(meeting: Meeting) -> Meeting:
    """The meeting just written by a scoped service, re-read with what its answer shows."""
    return Meeting.objects.select_related("meeting_type", "organisation").get(pk=meeting.pk)


def plan_row(plan: YearPlan) -> YearPlan:
    """The plan just written by a scoped service, re-read with its items."""
    return YearPlan.objects.prefetch_related("items__meeting_type").get(pk=plan.pk)


def theme_by_id(pk) -> MonthlyTheme | None:
    """A theme named for a new meeting: themes are pushed from above the branch (outside a branch
    secretary's scope); `schedule_meeting` checks that it was pushed to the branch."""
    return MonthlyTheme.objects.filter(pk=pk).first()


def current_code(meeting: Meeting) -> CheckInCode | None:
    return meeting.checkin_codes.filter(expires_at__gt=timezone.now()).order_by("-expires_at").first()


def checklist_rows(meeting: Meeting) -> list[dict]:
    """The activities that apply to the meeting, each with its completion (or None)."""
    completions = {c.item_id: c for c in meeting.completions.select_related("attachment")}
    return [
        {"item": item, "completion": completions.get(item.pk)} for item in rules.applicable_items(meeting)
    ]


def meeting_attendances(meeting: Meeting) -> list[Attendance]:
    return list(
        meeting.attendances.select_related("member", "home_organisation").order_by(
            "is_guest", "member__name_pinyin", "id"
        )
    )


def api_attendances(meeting: Meeting):
    return meeting.attendances.select_related("member").order_by("is_guest", "member__name_pinyin", "pk")


def meeting_attachments(meeting: Meeting) -> list:
    return list(meeting.attachments.all())


def roster_rows(meeting: Meeting) -> tuple[list[Member], dict[int, Attendance], set[int]]:
    """(members due in roll order, attendance rows by member id, the due member ids): members due are the
    branch's members on the roll, or the sitting committee for a committee meeting."""
    due = rules.due_member_ids(meeting)
    rows = {a.member_id: a for a in meeting.attendances.select_related("member", "home_organisation")}
    members = list(Member.objects.filter(pk__in=due).order_by("name_pinyin", "id"))
    return members, rows, due


def guest_options(user, meeting: Meeting, listed: list[int], limit: int = 200) -> list[Member]:
    """Members the user may see in other branches (invitees, mobile members), for registering a guest by
    hand; a branch secretary sees only their own branch, so for them guests come through the QR code."""
    return list(
        Member.objects.visible_to(user, Action.CHANGE)
        .filter(status__in=ON_ROLL)
        .exclude(organisation_id=meeting.organisation_id)
        .exclude(pk__in=listed)
        .select_related("organisation")
        .order_by("org_path", "name_pinyin")[:limit]
    )


def code_by_token(token: str) -> CheckInCode | None:
    """The QR code a phone opened: the token is the authority (no grant needed to see the meeting's name)."""
    return CheckInCode.objects.select_related("meeting__organisation").filter(token=token[:64]).first()


def own_presence(meeting: Meeting, user) -> Attendance | None:
    """The user's own 'present' row at the meeting, if they already checked in."""
    return Attendance.objects.filter(meeting=meeting, member__user=user, status="present").first()


def attendance_export(org: Organisation, period: Period):
    """Attendance at the meetings held in the subtree during the period, one row a person and meeting."""
    return (
        Attendance.objects.filter(
            org_path__startswith=org.path, meeting__held_on__range=(period.start, period.end)
        )
        .select_related("meeting__organisation", "meeting__meeting_type", "member", "home_organisation")
        .order_by("meeting__held_on", "meeting_id", "is_guest", "id")
    )


def member_attendances(member: Member, limit: int = 100):
    """A member's meetings attended or missed, newest first (any branch: a guest's too)."""
    return (
        Attendance.objects.filter(member=member)
        .select_related("meeting__meeting_type", "meeting__organisation")
        .order_by("-meeting__held_on", "-meeting_id")[:limit]
    )


def last_life(member: Member):
    return MemberLife.objects.filter(member=member).values_list("last_attended_on", flat=True).first()


def member_grades(member: Member):
    return member.appraisal_grades.select_related("round").order_by("-round__year")
