"""Reads of the education app: the yearly hours ledger, computed set-wise in SQL.

A member's hours in a year = their `HourEntry` rows (classes, online courses, broadcasts, outside training)
+ branch study read from life: every held meeting they attended (出席) that year, at the meeting's
`study_hours` (三会一课, theme-day 首学), floored to half-hours. Required hours come from the `HourRule` rows:
the leader rule for anyone holding a committee seat that year (书记、委员), else the member rule.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Floor, Greatest

from qiangji.core.choices import Action, Role
from qiangji.core.dates import add_months, today
from qiangji.core.scoping import ancestor_paths, scope_of
from qiangji.education.choices import RuleCode, Source
from qiangji.education.intervals import covered, union
from qiangji.education.models import (
    Booking,
    Certificate,
    ChapterCompletion,
    Course,
    HourEntry,
    HourRule,
    Lecturer,
    Question,
    TrainingClass,
    WatchSession,
)
from qiangji.life.choices import HELD_STATES, AttendanceStatus
from qiangji.life.models import Attendance
from qiangji.members.choices import ON_ROLL, MemberStatus
from qiangji.members.models import Member
from qiangji.orgs.choices import Post
from qiangji.orgs.models import CommitteeMember

ZERO = Value(0, output_field=IntegerField())


def rules() -> dict[str, int]:
    """The seeded hour rules by code (values in their units: half-hours, months, counts)."""
    return dict(HourRule.objects.values_list("code", "value"))


def rule_rows():
    return HourRule.objects.order_by("code")


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _entries_sum(year: int):
    return Subquery(
        HourEntry.objects.filter(member=OuterRef("pk"), year=year)
        .order_by()
        .values("member")
        .annotate(total=Sum("half_hours"))
        .values("total"),
        output_field=IntegerField(),
    )


def _life_sum(year: int):
    first, last = _year_bounds(year)
    return Subquery(
        Attendance.objects.filter(
            member=OuterRef("pk"),
            status=AttendanceStatus.PRESENT,
            meeting__status__in=HELD_STATES,
            meeting__held_on__range=(first, last),
        )
        .order_by()
        .values("member")
        .annotate(total=Floor(Sum(F("meeting__study_hours") * 2)))
        .values("total"),
        output_field=IntegerField(),
    )


def _leader_seat(year: int):
    first, last = _year_bounds(year)
    return Exists(
        CommitteeMember.objects.filter(member=OuterRef("pk"), started_on__lte=last).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=first)
        )
    )


def with_hours(members, year: int, rule_values: dict[str, int] | None = None):
    """`members` annotated with entries_hh, life_hh, total_hh, required_hh, short_hh (half-hours) and
    is_leader, all in one statement."""
    values = rule_values if rule_values is not None else rules()
    member_rule = values.get(RuleCode.MEMBER_ANNUAL, 64)
    leader_rule = values.get(RuleCode.LEADER_ANNUAL, 112)
    return (
        members.annotate(
            entries_hh=Coalesce(_entries_sum(year), ZERO),
            life_hh=Coalesce(_life_sum(year), ZERO),
            is_leader=_leader_seat(year),
        )
        .annotate(
            total_hh=F("entries_hh") + F("life_hh"),
            required_hh=Case(
                When(is_leader=True, then=Value(leader_rule)),
                default=Value(member_rule),
                output_field=IntegerField(),
            ),
        )
        .annotate(short_hh=Greatest(F("required_hh") - F("total_hh"), ZERO))
    )


def ledger_members(user, year: int, root=None):
    """Members on the roll in the user's scope (under `root` if given) with their hours for `year`."""
    members = Member.objects.visible_to(user, Action.VIEW).filter(status__in=ON_ROLL)
    if root is not None:
        members = members.filter(org_path__startswith=root.path)
    return with_hours(members.select_related("organisation"), year).order_by("org_path", "name", "pk")


def coverage_by_org(user, year: int, root):
    """Per organisation (each member's branch) under `root`: members, members who met the requirement,
    members short and the total shortfall in half-hours — one grouped statement."""
    rows = (
        with_hours(
            Member.objects.visible_to(user, Action.VIEW).filter(
                status__in=ON_ROLL, org_path__startswith=root.path
            ),
            year,
        )
        .order_by()
        .values("organisation_id", "organisation__name", "org_path")
        .annotate(
            members=Count("pk"),
            met=Sum(Case(When(short_hh=0, then=1), default=0, output_field=IntegerField())),
            short=Sum(Case(When(short_hh__gt=0, then=1), default=0, output_field=IntegerField())),
            shortfall_hh=Sum("short_hh"),
            total_hh=Sum("total_hh"),
        )
        .order_by("org_path")
    )
    return list(rows)


def coverage_totals(rows: list[dict]) -> dict:
    members = sum(r["members"] for r in rows)
    met = sum(r["met"] for r in rows)
    return {
        "members": members,
        "met": met,
        "short": sum(r["short"] for r in rows),
        "shortfall_hours": sum(r["shortfall_hh"] for r in rows) / 2,
        "rate": round(100 * met / members, 1) if members else None,
    }


def short_count(user, year: int) -> int:
    """Members in the user's CHANGE scope short of their required hours this year (one aggregate)."""
    members = Member.objects.visible_to(user, Action.CHANGE).filter(status__in=ON_ROLL)
    return with_hours(members, year).filter(short_hh__gt=0).count()


@dataclass
class MemberYear:
    member: Member
    year: int
    by_source: list[dict]
    total_hh: int
    required_hh: int
    is_leader: bool
    missing: list[str] = field(default_factory=list)
    entries: list = field(default_factory=list)
    completions: list = field(default_factory=list)

    @property
    def total_hours(self) -> float:
        return self.total_hh / 2

    @property
    def required_hours(self) -> float:
        return self.required_hh / 2

    @property
    def short_hours(self) -> float:
        return max(0, self.required_hh - self.total_hh) / 2

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.total_hh / self.required_hh)) if self.required_hh else 100


def member_year(member: Member, year: int) -> MemberYear:
    """One member's year (the member already read through the scope): hours by source and channel,
    the requirement that applies and what is still missing (hours, concentrated training, induction)."""
    values = rules()
    annotated = with_hours(Member.objects.filter(pk=member.pk), year, values).get()
    entries = list(HourEntry.objects.filter(member=member, year=year).order_by("-held_on", "-id"))
    by_source = []
    for code, label in Source.choices:
        if code == Source.BRANCH_STUDY:
            hh = annotated.life_hh
        else:
            hh = sum(e.half_hours for e in entries if e.source == code)
        by_source.append({"source": code, "label": label, "half_hours": hh, "hours": hh / 2})
    missing: list[str] = []
    short = annotated.required_hh - annotated.total_hh
    if short > 0:
        missing.append(
            f"还差{short / 2:g}学时（本年度应达{annotated.required_hh / 2:g}学时，docs/rules.md §3）"
        )
    if annotated.is_leader:
        needed = values.get(RuleCode.LEADER_CONCENTRATED, 1)
        done = sum(1 for e in entries if e.concentrated)
        if done < needed:
            missing.append(f"书记和委员每年须参加{needed}次集中培训，本年度尚未参加（docs/rules.md §3）")
    missing.extend(_induction_missing(member, values))
    missing.extend(_probation_missing(member, values))
    completions = list(
        ChapterCompletion.objects.filter(member=member, created_at__year=year)
        .select_related("chapter__course")
        .order_by("-created_at")
    )
    return MemberYear(
        member=member,
        year=year,
        by_source=by_source,
        total_hh=annotated.total_hh,
        required_hh=annotated.required_hh,
        is_leader=annotated.is_leader,
        missing=missing,
        entries=entries,
        completions=completions,
    )


def _induction_missing(member: Member, values: dict) -> list[str]:
    months = values.get(RuleCode.NEW_SECRETARY_INDUCTION, 6)
    seat = (
        CommitteeMember.objects.filter(member=member, post=Post.SECRETARY, ended_on__isnull=True)
        .order_by("-started_on")
        .first()
    )
    if seat is None:
        return []
    due = add_months(seat.started_on, months)
    if HourEntry.objects.filter(member=member, induction=True, held_on__gte=seat.started_on).exists():
        return []
    if due < today():
        return [
            f"新任书记应在任职后{months}个月内（{due:%Y-%m-%d}前）完成任职培训，已逾期（docs/rules.md §3）"
        ]
    return [f"新任书记须在{due:%Y-%m-%d}前完成任职培训（docs/rules.md §3）"]


def _probation_missing(member: Member, values: dict) -> list[str]:
    months = values.get(RuleCode.PROBATIONARY_CONCENTRATED, 12)
    if member.status == MemberStatus.PROBATIONARY:
        since, due = member.joined_on, None
    elif member.confirmed_on and add_months(member.confirmed_on, months) >= today():
        since, due = member.joined_on, add_months(member.confirmed_on, months)
    else:
        return []
    entries = HourEntry.objects.filter(member=member, concentrated=True)
    if since:
        entries = entries.filter(held_on__gte=since)
    if entries.exists():
        return []
    when = f"（{due:%Y-%m-%d}前）" if due else "（预备期内）"
    return [f"预备党员和新党员须参加1次集中培训{when}，尚未参加（docs/rules.md §3）"]


def entries_of(user, year: int | None = None):
    rows = HourEntry.objects.visible_to(user, Action.VIEW).select_related("member")
    return rows.filter(year=year) if year else rows


# ----- courses ------------------------------------------------------------------------------------


def courses_for(user):
    """Courses the user manages (CHANGE scope) or may learn (published, from their branch and above)."""
    managed = Course.objects.visible_to(user, Action.CHANGE)
    learnable = Course.objects.visible_to(user, Action.VIEW)
    return (managed | learnable).distinct().select_related("organisation").order_by("-created_at", "-id")


def chapter_progress(member: Member, chapters) -> dict[int, dict]:
    """Per chapter: the member's covered seconds (union over sessions) and whether completed."""
    ids = [c.pk for c in chapters]
    done = set(
        ChapterCompletion.objects.filter(member=member, chapter_id__in=ids).values_list(
            "chapter_id", flat=True
        )
    )
    unions: dict[int, list] = {}
    for chapter_id, intervals in WatchSession.objects.filter(member=member, chapter_id__in=ids).values_list(
        "chapter_id", "intervals"
    ):
        unions[chapter_id] = union(unions.get(chapter_id, []), intervals)
    return {
        c.pk: {
            "done": c.pk in done,
            "covered": covered(unions.get(c.pk, [])),
            "percent": min(100, round(100 * covered(unions.get(c.pk, [])) / c.duration_seconds)),
        }
        for c in chapters
    }


def is_secretary(user) -> bool:
    return any(role == Role.BRANCH for _path, role in scope_of(user).grants)


def classes_for(user):
    """Classes the user's organisations run, or that an organisation above runs for them."""
    return (
        TrainingClass.objects.visible_to(user, Action.VIEW)
        .select_related("organisation", "site")
        .order_by("-starts_on", "-id")
    )


def question_banks(user) -> list[dict]:
    return list(
        Question.objects.visible_to(user, Action.VIEW)
        .order_by()
        .values("bank")
        .annotate(n=Count("pk"))
        .order_by("bank")
    )


def certificate_by_number(number: str) -> dict | None:
    """The public verification: only the title, date and a masked name (no organisation, no ID)."""
    found = Certificate.objects.filter(number=number).select_related("member").first()
    if found is None:
        return None
    name = found.member.name
    return {
        "number": found.number,
        "title": found.title,
        "issued_on": found.issued_on,
        "name": name[:1] + "*" * max(1, len(name) - 1),
    }


def lecturers_with_ratings(user):
    """The pools the user reaches (their own and above), each lecturer with bookings done and the average."""
    return (
        Lecturer.objects.visible_to(user, Action.VIEW)
        .select_related("organisation")
        .annotate(
            lectures=Count("bookings", filter=Q(bookings__status="done"), distinct=True),
            average=Avg("bookings__ratings__stars"),
        )
        .order_by("org_path", "name")
    )


def rateable_bookings(user):
    """Bookings done by the user's own branch (or above it), which the member may rate."""
    paths = [p for own in scope_of(user).member_org_paths() for p in (*ancestor_paths(own), own)]
    return Booking.objects.filter(org_path__in=paths, status="done") if paths else Booking.objects.none()


def bookings_to_rate(user) -> list:
    member_ids = scope_of(user).member_ids
    if not member_ids:
        return []
    return list(
        rateable_bookings(user)
        .exclude(ratings__member_id__in=member_ids)
        .select_related("lecturer")
        .order_by("-held_on")[:20]
    )
