"""Demo history of the life app (registered with the generator, `qiangji generate`): two years of
organisational life (三会一课, theme days, review meetings, appraisal) up to `as_of`, with per-member attendance where it matters and the compliance rollups filled consistently.

Which meetings carry one attendance row per member (the rest carry their counts only, as a branch
records a head count): every **branch general meeting** (quarterly, ~8 in two years) and the
**theme day of the last full month**.  That is about 9 rows per member: ~26 million at province
scale (3 million members), inside the 20–30 million the disk and the two cores can take; every
other meeting has `due_count`/`present_count` like the attendance services keep them.

Non-compliance on purpose: ~4 % of branches skip theme days for 3–6 consecutive months in the last
year, ~4 % skip a quarter's general meeting, ~1 % hold only about half of their meetings; ~2 % of
members stop attending (absent without leave) 6–14 months before `as_of`, so the lapse list
(`MemberLife.last_attended_on` older than 6 months) has real rows.  Mobile members are mostly
absent on approved leave; a mobile member accepted by an inflow branch attends its general
meetings as a registered guest (`is_guest`, `home_org_path`).

The rollups (`BranchLifeYear`, `MemberLife`) are computed here from the same meetings and rows by
the rules of `qiangji.life.services.rollups` (a type also counts toward `counts_toward`; the last
life is the last meeting attended, or missed on approved leave).
"""

import bisect
import datetime

from django.db.models import Max
from django.utils import timezone

from qiangji.core.dates import add_months
from qiangji.life.models import (
    Attendance,
    BranchLifeYear,
    ChecklistItem,
    Meeting,
    MeetingType,
    MemberLife,
    MonthlyTheme,
)
from qiangji.life.services.rollups import touch_member_life
from qiangji.tooling.generate.history import Context, County, register

D = datetime.timedelta
THEMES = (
    "学习贯彻党的创新理论",
    "重温入党誓词",
    "党史学习教育",
    "为民办实事",
    "廉洁文化建设",
    "乡村振兴在行动",
    "安全生产大家谈",
    "志愿服务进社区",
    "学习新修订的条例",
    "红色教育基地参观",
    "民法典宣传",
    "环境卫生大整治",
)
CHECKLIST = ("集中学习", "重温入党誓词", "交纳党费")
ATTENDANCE_COLUMNS = [
    "meeting_id",
    "org_path",
    "member_id",
    "status",
    "absence_reason",
    "leave_approved",
    "is_guest",
    "home_organisation_id",
    "home_org_path",
    "checked_in_at",
    "method",
    "recorded_by_id",
]
LEAVE_REASONS = ("因病请假", "因公出差", "家中有事", "外出务工")
NO_FLOWS = {"by_member": {}, "inbound": {}}  # when no mobility part planned any flows


def months_of(as_of: datetime.date) -> list[tuple[int, int]]:
    """The 24 calendar months ending with the month of `as_of`."""
    first = add_months(as_of.replace(day=1), -23)
    return [(d.year, d.month) for d in (add_months(first, i) for i in range(24))]


def themes(ctx: Context) -> None:
    """The province committee's monthly themes for the two years, each with three required activities."""
    existing = dict(
        ((y, m), pk)
        for pk, y, m in MonthlyTheme.objects.filter(organisation_id=ctx.root.id).values_list(
            "pk", "year", "month"
        )
    )
    wanted = [ym for ym in months_of(ctx.as_of) if ym not in existing]
    first = ctx.take_ids(MonthlyTheme, len(wanted))
    rows, items = [], []
    for offset, (year, month) in enumerate(wanted):
        pk = first + offset
        existing[(year, month)] = pk
        title = THEMES[(year * 12 + month) % len(THEMES)]
        rows.append(
            {
                "id": pk,
                "organisation_id": ctx.root.id,
                "org_path": ctx.root.path,
                "year": year,
                "month": month,
                "title": title,
                "text": f"{year}年{month}月主题党日：{title}",
                "created_by_id": None,
            }
        )
        for position, item in enumerate(CHECKLIST):
            items.append(
                {
                    "theme_id": pk,
                    "org_path": ctx.root.path,
                    "kind": "required",
                    "title": item,
                    "description": "",
                    "position": position,
                }
            )
    ctx.write(MonthlyTheme, rows, "monthly_themes")
    ctx.write(ChecklistItem, items, "checklist_items")
    ctx.extra["themes"] = existing
    ctx.extra["types"] = {
        code: (pk, toward)
        for code, pk, toward in MeetingType.objects.values_list("code", "pk", "counts_toward_id")
    }
    ctx.extra["tz"] = timezone.get_current_timezone()


class BranchPlan:
    """What one branch holds in the two years: a fixed theme-day date, and its deliberate gaps."""

    def __init__(self, rng, as_of: datetime.date, months: list[tuple[int, int]]):
        self.theme_day = rng.randint(5, 25)
        self.general_month = rng.randint(0, 2)  # which month of the quarter
        self.lecture_month = rng.randint(0, 2)
        self.review_month = rng.choice((11, 12))
        self.talk_month = rng.choice((6, 7, 8, 9))
        self.secretary_month = rng.choice((3, 4, 5, 6, 7))
        self.skip: set[tuple[str, int, int]] = set()
        roll = rng.random()
        recent = months[-13:-1]
        if roll < 0.04:  # no theme day for 3–6 consecutive months in the last year
            length = rng.randint(3, 6)
            start = rng.randint(0, len(recent) - length)
            self.skip |= {("theme_day", y, m) for y, m in recent[start : start + length]}
        elif roll < 0.08:  # no general meeting in one quarter: the last completed one, or the one before
            last_done = add_months(as_of.replace(day=1), -((as_of.month - 1) % 3) - 3)
            quarter = last_done if rng.random() < 0.6 else add_months(last_done, -3)
            self.skip |= {
                ("branch_general", q.year, q.month) for q in (add_months(quarter, i) for i in range(3))
            }
        self.weak = 0.08 <= roll < 0.09  # holds about half of its meetings

    def holds(self, rng, code: str, year: int, month: int) -> bool:
        if (code, year, month) in self.skip:
            return False
        return not (self.weak and code != "branch_general" and rng.random() < 0.5)


def setup(ctx: Context, counties, progress) -> None:
    themes(ctx)


def county(ctx: Context, county: County) -> None:
    """The county's meetings and attendance; mobile members' flows come from the mobility part's setup."""
    rng = ctx.rng(county.code, "life")
    flows = ctx.extra.get("flows", NO_FLOWS)
    as_of, tz = ctx.as_of, ctx.extra["tz"]
    types, themes_by_month = ctx.extra["types"], ctx.extra["themes"]
    months = months_of(as_of)
    row_theme_month = add_months(as_of.replace(day=1), -1)
    mobile = flows["by_member"]
    inbound = flows["inbound"]
    meetings, attendance, rollups, last_life = [], [], {}, {}
    inactive = {
        m["id"]: as_of - D(rng.randint(190, 420))
        for m in county.members
        if m["status"] == "full" and not m["is_mobile"] and rng.random() < 0.02
    }
    branches = county.branches
    # At most 9 meetings a branch a month (every type once): a block of ids taken at once.
    next_id = ctx.take_ids(Meeting, max(1, len(branches) * len(months) * 9))
    for branch in branches:
        members = county.by_branch[branch.id]
        joined = sorted(m["joined_on"] for m in members)
        seats = county.seats.get(branch.id, [])
        committee_ids = [s[0] for s in seats if s[0]]
        secretary = seats[0][1] if seats else ""
        plan = BranchPlan(rng, as_of, months)
        guests = inbound.get(branch.id, [])
        for year, month in months:
            for code, day in _calendar(plan, rng, year, month, seats, len(members)):
                held = datetime.date(year, month, day)
                if held > as_of or not plan.holds(rng, code, year, month):
                    continue
                type_id, toward = types[code]
                due = bisect.bisect_right(joined, held)
                if due == 0:
                    continue
                meeting = _meeting(next_id, branch, code, type_id, held, as_of, tz, secretary, year, month)
                with_rows = code == "branch_general" or (
                    code == "theme_day" and (year, month) == (row_theme_month.year, row_theme_month.month)
                )
                if code == "theme_day":
                    meeting["theme_id"] = themes_by_month.get((year, month))
                    meeting["checklist_required"] = len(CHECKLIST)
                    meeting["checklist_done"] = len(CHECKLIST) if rng.random() < 0.9 else len(CHECKLIST) - 1
                if with_rows:
                    present, guest_count = _attendance(
                        rng,
                        attendance,
                        last_life,
                        next_id,
                        branch,
                        members,
                        held,
                        mobile,
                        inactive,
                        guests,
                        tz,
                        ctx.extra.setdefault("guest_life", {}),
                    )
                    meeting.update(due_count=due, present_count=present, guest_count=guest_count)
                elif code == "branch_committee":
                    size = len(seats)
                    present = size if rng.random() < 0.8 else size // 2 + 1
                    meeting.update(
                        due_count=len(committee_ids),
                        present_count=min(present, len(committee_ids)),
                        committee_size=size,
                        committee_present=min(present, len(committee_ids)),
                    )
                else:
                    meeting.update(due_count=due, present_count=round(due * rng.uniform(0.82, 0.98)))
                meetings.append(meeting)
                for rollup_type in (type_id, toward) if toward else (type_id,):
                    _tally(rollups, branch, year, rollup_type, meeting)
                next_id += 1
    ctx.write(Meeting, meetings, "meetings")
    ctx.writer.write_tuples(Attendance, ATTENDANCE_COLUMNS, attendance)
    ctx.result.add("attendance", len(attendance))
    ctx.write(BranchLifeYear, list(rollups.values()), "branch_life_years")
    paths = {m["id"]: m["org_path"] for m in county.members}
    ctx.write(
        MemberLife,
        [
            {"member_id": member_id, "org_path": paths[member_id], "last_attended_on": day}
            for member_id, (day, _path) in sorted(last_life.items())
        ],
        "member_life",
    )


def guest_life(ctx: Context) -> None:
    """Guests are credited to their own record too (docs/rules.md §5): after every county's rows are written,
    move a guest's last life forward where the inflow branch saw them later (the service's upsert)."""
    found = dict(ctx.extra.get("guest_life", {}))
    if ctx.extra.get("resume"):  # counties written by a run that stopped: read their guests back
        for member_id, path, day in (
            Attendance.objects.filter(is_guest=True, org_path__startswith=ctx.root.path)
            .values("member_id", "home_org_path")
            .annotate(last=Max("meeting__held_on"))
            .values_list("member_id", "home_org_path", "last")
        ):
            if member_id not in found or day > found[member_id][0]:
                found[member_id] = (day, path)
    for member_id, (day, path) in sorted(found.items()):
        touch_member_life(member_id, path, day)


def _calendar(plan: BranchPlan, rng, year: int, month: int, seats: list, size: int):
    yield "theme_day", plan.theme_day
    if len(seats) >= 3:
        yield "branch_committee", rng.randint(1, 28)
    if size >= 20:
        yield "group", rng.randint(1, 28)
    if (month - 1) % 3 == plan.general_month:
        yield "branch_general", rng.randint(1, 28)
    if (month - 1) % 3 == plan.lecture_month:
        yield "lecture", rng.randint(1, 28)
    if month == plan.secretary_month:
        yield "secretary_lecture", rng.randint(1, 28)
    if month == plan.talk_month:
        yield "heart_talk", rng.randint(1, 28)
    if month == plan.review_month:
        day = rng.randint(1, 20)
        yield "review", day
        yield "appraisal", day + rng.randint(1, 8)


TITLES = {
    "theme_day": "{y}年{m}月主题党日",
    "branch_committee": "{y}年{m}月支部委员会会议",
    "group": "{y}年{m}月党小组会",
    "branch_general": "{y}年第{q}季度支部党员大会",
    "lecture": "{y}年第{q}季度党课",
    "secretary_lecture": "{y}年书记讲党课",
    "heart_talk": "{y}年谈心谈话",
    "review": "{y}年度组织生活会",
    "appraisal": "{y}年度民主评议党员",
}
HOURS = {"theme_day": 2, "lecture": 1.5, "secretary_lecture": 1.5, "branch_general": 1, "review": 2}


def _meeting(pk, branch, code, type_id, held, as_of, tz, secretary, year, month) -> dict:
    age = (as_of - held).days
    status = "held" if age < 7 else ("submitted" if age < 20 else "approved")
    at = datetime.time(9, 0)
    submitted = datetime.datetime.combine(held + D(2), at, tzinfo=tz) if status != "held" else None
    reviewed = datetime.datetime.combine(held + D(6), at, tzinfo=tz) if status == "approved" else None
    return {
        "id": pk,
        "organisation_id": branch.id,
        "org_path": branch.path,
        "meeting_type_id": type_id,
        "theme_id": None,
        "plan_item_id": None,
        "title": TITLES[code].format(y=year, m=month, q=(month - 1) // 3 + 1),
        "planned_on": held,
        "held_on": held,
        "starts_at": at,
        "place": "党员活动室",
        "host": secretary,
        "recorder": "",
        "lecturer": secretary if code in ("lecture", "secretary_lecture") else "",
        "agenda": "",
        "minutes": "",
        "decisions": "",
        "study_hours": HOURS.get(code, 1),
        "status": status,
        "return_reason": "",
        "due_count": 0,
        "present_count": 0,
        "guest_count": 0,
        "checklist_required": 0,
        "checklist_done": 0,
        "committee_size": None,
        "committee_present": None,
        "submitted_at": submitted,
        "reviewed_at": reviewed,
        "reviewed_by_id": None,
        "created_by_id": None,
    }


def _attendance(
    rng,
    out: list,
    last_life: dict,
    meeting_id: int,
    branch,
    members: list[dict],
    held: datetime.date,
    mobile: dict,
    inactive: dict,
    guests: list,
    tz,
    guest_life: dict,
) -> tuple[int, int]:
    """One row per member due (joined by the meeting date), and the registered guests who came."""
    present = 0
    qr = held.year >= 2026
    at = datetime.datetime.combine(held, datetime.time(8, 50), tzinfo=tz) if qr else None
    for member in members:
        if member["joined_on"] > held:
            continue
        member_id = member["id"]
        stopped = inactive.get(member_id)
        lost = member["lost_contact_since"]
        if (stopped and held >= stopped) or (lost and held >= lost):
            row = (
                meeting_id,
                branch.path,
                member_id,
                "absent",
                "",
                False,
                False,
                None,
                "",
                None,
                "manual",
                None,
            )
        elif member["is_mobile"] or member_id in mobile:
            if rng.random() < 0.15:
                row = (
                    meeting_id,
                    branch.path,
                    member_id,
                    "present",
                    "",
                    False,
                    False,
                    None,
                    "",
                    at,
                    "qr" if qr else "manual",
                    None,
                )
            else:
                row = (
                    meeting_id,
                    branch.path,
                    member_id,
                    "absent",
                    "外出务工，已请假",
                    True,
                    False,
                    None,
                    "",
                    None,
                    "manual",
                    None,
                )
        elif rng.random() < 0.93:
            row = (
                meeting_id,
                branch.path,
                member_id,
                "present",
                "",
                False,
                False,
                None,
                "",
                at,
                "qr" if qr and rng.random() < 0.7 else "manual",
                None,
            )
        else:
            approved = rng.random() < 0.8
            row = (
                meeting_id,
                branch.path,
                member_id,
                "absent",
                rng.choice(LEAVE_REASONS) if approved else "",
                approved,
                False,
                None,
                "",
                None,
                "manual",
                None,
            )
        out.append(row)
        if row[3] == "present":
            present += 1
        if row[3] == "present" or row[5]:
            _touch(last_life, member_id, held, branch.path)
    guest_count = 0
    for member_id, home_id, home_path, accepted in guests:
        if accepted <= held and rng.random() < 0.7:
            out.append(
                (
                    meeting_id,
                    branch.path,
                    member_id,
                    "present",
                    "",
                    False,
                    True,
                    home_id,
                    home_path,
                    at,
                    "qr" if qr else "manual",
                    None,
                )
            )
            guest_count += 1
            _touch(guest_life, member_id, held, home_path)
    return present, guest_count


def _touch(last_life: dict, member_id: int, day: datetime.date, path: str) -> None:
    current = last_life.get(member_id)
    if current is None or day > current[0]:
        last_life[member_id] = (day, path)


def _tally(rollups: dict, branch, year: int, type_id: int, meeting: dict) -> None:
    key = (branch.id, year, type_id)
    row = rollups.get(key)
    if row is None:
        row = rollups[key] = {
            "organisation_id": branch.id,
            "org_path": branch.path,
            "year": year,
            "meeting_type_id": type_id,
            "held_months": 0,
            "held_count": 0,
            "held_month_count": 0,
            "held_quarter_count": 0,
            "due_sum": 0,
            "present_sum": 0,
            "checklist_required": 0,
            "checklist_done": 0,
        }
    row["held_months"] |= 1 << (meeting["held_on"].month - 1)
    row["held_count"] += 1
    row["held_month_count"] = row["held_months"].bit_count()
    row["held_quarter_count"] = sum(1 for q in range(4) if row["held_months"] & (0b111 << (3 * q)))
    row["due_sum"] += meeting["due_count"]
    row["present_sum"] += meeting["present_count"]
    row["checklist_required"] += meeting["checklist_required"]
    row["checklist_done"] += meeting["checklist_done"]


register(
    "life", order=30, setup=setup, county=county, finish=guest_life, tables={"会议": (Meeting, "org_path")}
)
