"""QR check-in: the secretary shows a code, members scan it on their phones while the meeting runs.

`check_in` is a handful of indexed statements in one transaction, no lock on the meeting row (counts
are recomputed when the record is saved as held); the phone page and every unusual API request use it.
`check_in_one_statement` is the same check-in as ONE PostgreSQL statement for the API's plain case,
answered by the lean WSGI path (qiangji/life/fastpath.py, ADR 0007) — the hot path of `qiangji bench
checkin`.  A rule changed here must change `_CHECK_IN_SQL` too: test_checkin_fastpath.py compares them.
"""

import datetime
import functools
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from qiangji.core import audit
from qiangji.core.models import AuditEntry
from qiangji.life.choices import AttendanceStatus, CheckInMethod, MeetingStatus
from qiangji.life.models import Attendance, CheckInCode, Meeting, MemberLife
from qiangji.life.services.meetings import _editable
from qiangji.life.services.rollups import touch_member_life
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation

INVALID = "签到码无效，请重新扫描会议现场的二维码"
EXPIRED = "签到码已过期，请联系会议主持人刷新二维码"
CLOSED = "会议记录已报送，签到已结束"
NOT_YET = "签到尚未开始，可于 {opens} 起签到"
OVER = "签到已结束"
NO_MEMBER = "您的账号没有关联党员档案，无法签到"
ALREADY = "已签到"
DONE = "签到成功"


def window(
    day: datetime.date | None, starts_at: datetime.time | None
) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The meeting's check-in window [opens, closes): from QIANGJI_CHECKIN_OPENS_MINUTES_BEFORE minutes before its start
    (its date — held_on, else planned_on — at its start time, 00:00 without one) until QIANGJI_CHECKIN_CLOSES_HOURS_AFTER
    hours after it (after the end of its day without a start time), in the site's zone.  None: no date, no window.
    `_CHECK_IN_SQL` computes the same bounds (test_checkin_fastpath.py compares them)."""
    if day is None:
        return None
    start = timezone.make_aware(
        datetime.datetime.combine(day, starts_at or datetime.time()), timezone.get_default_timezone()
    )
    end = start if starts_at is not None else start + datetime.timedelta(days=1)
    return start - _opens_before(), end + _closes_after()


def _opens_before() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "QIANGJI_CHECKIN_OPENS_MINUTES_BEFORE", 60))


def _closes_after() -> datetime.timedelta:
    return datetime.timedelta(hours=getattr(settings, "QIANGJI_CHECKIN_CLOSES_HOURS_AFTER", 6))


def not_yet(opens: datetime.datetime) -> str:
    return NOT_YET.format(opens=timezone.localtime(opens).strftime("%Y-%m-%d %H:%M"))


def lifetime() -> datetime.timedelta:
    """How long a new code is valid (setting QIANGJI_LIFE_CHECKIN_MINUTES, default 180)."""
    return datetime.timedelta(minutes=getattr(settings, "QIANGJI_LIFE_CHECKIN_MINUTES", 180))


@transaction.atomic
def issue_checkin_code(*, actor, meeting: Meeting, minutes: int | None = None) -> CheckInCode:
    meeting = _editable(actor, meeting)
    if minutes is not None and not (isinstance(minutes, int) and 1 <= minutes <= 24 * 60):
        raise ValidationError({"minutes": "有效时长须在1至1440分钟之间"})
    valid = datetime.timedelta(minutes=minutes) if minutes else lifetime()
    code = CheckInCode.objects.create(
        meeting=meeting,
        org_path=meeting.org_path,
        token=secrets.token_urlsafe(24),
        expires_at=timezone.now() + valid,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="life.checkin_code.issued",
        target=meeting,
        org_path=meeting.org_path,
        after={"expires_at": code.expires_at},
    )
    return code


@dataclass
class CheckInResult:
    attendance: Attendance
    already: bool  # True: the member had already checked in; the same row is returned

    @property
    def message(self) -> str:
        return ALREADY if self.already else DONE


_OPEN = (MeetingStatus.PLANNED, MeetingStatus.HELD, MeetingStatus.RETURNED)


def _valid_code(token: str) -> tuple[datetime.datetime, Meeting]:
    """The code's expiry and its meeting, in one indexed statement (the hot path avoids ORM compilation)."""
    row = None
    if isinstance(token, str) and 0 < len(token) <= 64:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT c.expires_at, m.id, m.organisation_id, m.org_path, m.title, m.status, m.held_on, "
                f"m.planned_on, m.starts_at "
                f"FROM {CheckInCode._meta.db_table} c JOIN {Meeting._meta.db_table} m ON m.id = c.meeting_id "
                f"WHERE c.token = %s",
                [token],
            )
            row = cursor.fetchone()
    if row is None:
        raise ValidationError({"token": INVALID})
    expires_at = _aware(row[0])
    if timezone.now() >= expires_at:
        raise ValidationError({"token": EXPIRED})
    if row[5] not in _OPEN:
        raise ValidationError({"token": CLOSED})
    held_on, planned_on = (_date(value) for value in row[6:8])
    starts_at = (
        row[8] if row[8] is None or isinstance(row[8], datetime.time) else datetime.time.fromisoformat(row[8])
    )
    bounds = window(held_on or planned_on, starts_at)
    if bounds is not None:
        now = timezone.now()
        if now < bounds[0]:
            raise ValidationError({"token": not_yet(bounds[0])})
        if now >= bounds[1]:
            raise ValidationError({"token": OVER})
    return expires_at, Meeting(
        id=row[1], organisation_id=row[2], org_path=row[3], title=row[4], status=row[5], held_on=held_on
    )


def _date(value) -> datetime.date | None:
    return value if value is None or isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _aware(value) -> datetime.datetime:
    if isinstance(value, str):  # SQLite returns text
        value = datetime.datetime.fromisoformat(value)
    return timezone.make_aware(value, datetime.UTC) if timezone.is_naive(value) else value


def _member_of(user):
    row = None
    if user is not None and user.is_authenticated:
        statuses = sorted(ON_ROLL)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, name, organisation_id, org_path FROM {Member._meta.db_table} WHERE user_id = %s "
                f"AND status IN ({', '.join(['%s'] * len(statuses))}) ORDER BY id LIMIT 1",
                [user.pk, *statuses],
            )
            row = cursor.fetchone()
    if row is None:
        raise ValidationError({"token": NO_MEMBER})
    return Member(id=row[0], name=row[1], organisation_id=row[2], org_path=row[3])


@transaction.atomic
def check_in(*, token: str, user) -> CheckInResult:
    """Idempotent: a second scan returns the same attendance with `already=True`, not an error.

    The valid code is the authority here (the member is physically at the meeting), so no grant on the
    branch is needed; a member of another branch is recorded as a guest and credited to their own branch
    (their `MemberLife` moves when the record is saved as held, see `record_held`).  The common case is
    one INSERT … ON CONFLICT DO NOTHING and the audit entry.
    """
    _expires_at, meeting = _valid_code(token)
    member = _member_of(user)
    now = timezone.now()
    attendance = _insert(meeting, member, now)
    if attendance is None:  # already recorded: by an earlier scan, a concurrent one, or by hand as absent
        attendance = Attendance.objects.get(meeting_id=meeting.pk, member_id=member.pk)
        if attendance.status == AttendanceStatus.PRESENT:
            return CheckInResult(attendance, already=True)
        attendance.status, attendance.absence_reason, attendance.leave_approved = (
            AttendanceStatus.PRESENT,
            "",
            False,
        )
        attendance.checked_in_at, attendance.method = now, CheckInMethod.QR
        attendance.save(
            update_fields=["status", "absence_reason", "leave_approved", "checked_in_at", "method"]
        )
    if meeting.held_on is not None:  # checking in to a meeting already recorded as held
        touch_member_life(member.pk, member.org_path, meeting.held_on)
    audit.record(
        actor=user,
        action="life.checkin.recorded",
        target=meeting,
        org_path=meeting.org_path,
        target_repr=f"{meeting.title}：{member.name}",
        after={"member": member.pk, "guest": attendance.is_guest},
    )
    return CheckInResult(attendance, already=False)


_COLUMNS = (
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
    "created_at",
)


def _insert(meeting: Meeting, member, now) -> Attendance | None:
    """One statement; None when the (meeting, member) row exists already (unique constraint)."""
    is_guest = member.organisation_id != meeting.organisation_id
    attendance = Attendance(
        meeting=meeting,
        org_path=meeting.org_path,
        member_id=member.pk,
        status=AttendanceStatus.PRESENT,
        is_guest=is_guest,
        checked_in_at=now,
        created_at=now,
        home_organisation_id=member.organisation_id if is_guest else None,
        home_org_path=member.org_path if is_guest else "",
        method=CheckInMethod.QR,
    )
    fields = [Attendance._meta.get_field(name.removesuffix("_id")) for name in _COLUMNS]
    values = [field.get_db_prep_save(getattr(attendance, field.attname), connection) for field in fields]  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Attendance._meta.db_table} ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(values))}) "
            f"ON CONFLICT (meeting_id, member_id) DO NOTHING RETURNING id",
            values,
        )
        row = cursor.fetchone()
    if row is None:
        return None
    attendance.pk = row[0]
    return attendance


# --- The same check-in as ONE statement (PostgreSQL): the lean HTTP path in qiangji/life/fastpath.py ------------------
#
# One round trip, one implicit transaction (autocommit): authenticate the API token (active user), find the code and
# its meeting, the member (first on-roll member of the user, as `_member_of`), and only when the code is good (exists,
# not expired, meeting open, now within the meeting's check-in window as `window()`) INSERT the attendance (guest credited home as `_insert`) ON CONFLICT DO NOTHING, touch
# `MemberLife` when the meeting is already recorded as held (as `touch_member_life`) and write the audit entry with the
# columns `audit.record()` writes.  The final SELECT returns what the caller needs to answer exactly as the API view
# does, or to hand the request to Django (unknown token, inactive user, an existing absent row, a lost race), which then
# runs `check_in` above: nothing was written in those cases.
# `s` is one row per valid API token (one LEFT JOIN chain: fewer plan nodes than a CTE per lookup, ≈ 60 µs less
# backend CPU a check-in); the data-modifying CTEs run whether or not the final SELECT reads them.


_CHECK_IN_SQL = """
WITH s AS (
    SELECT u.id AS user_id, u.username, u.first_name, u.last_name, c.expires_at, m.id AS meeting_id,
           m.organisation_id AS meeting_org, m.org_path AS meeting_path, m.title, m.status, m.held_on,
           w.opens_at, w.closes_at,
           mb.id AS member_id, mb.name, mb.organisation_id AS member_org, mb.org_path AS member_path
    FROM {token} t
    JOIN {user} u ON u.id = t.user_id AND u.is_active
    LEFT JOIN {code} c ON c.token = %(code)s
    LEFT JOIN {meeting} m ON m.id = c.meeting_id
    LEFT JOIN LATERAL (SELECT start - %(opens_before)s AS opens_at,
                              start + CASE WHEN m.starts_at IS NULL THEN interval '1 day' ELSE interval '0' END
                                    + %(closes_after)s AS closes_at
                       FROM (SELECT (coalesce(m.held_on, m.planned_on) + coalesce(m.starts_at, time '00:00'))
                                    AT TIME ZONE %(zone)s AS start) d) w ON true
    LEFT JOIN LATERAL (SELECT id, name, organisation_id, org_path FROM {member}
                       WHERE user_id = u.id AND status IN ({on_roll}) ORDER BY id LIMIT 1) mb ON true
    WHERE t.key = %(key)s
), ok AS (
    SELECT *, member_org <> meeting_org AS guest FROM s
    WHERE member_id IS NOT NULL AND expires_at > %(now)s AND status IN ({open})
      AND (opens_at IS NULL OR (opens_at <= %(now)s AND %(now)s < closes_at))
), ins AS (
    INSERT INTO {attendance} (meeting_id, org_path, member_id, status, absence_reason, leave_approved, is_guest,
                              home_organisation_id, home_org_path, checked_in_at, method, created_at)
    SELECT meeting_id, meeting_path, member_id, '{present}', '', false, guest,
           CASE WHEN guest THEN member_org END, CASE WHEN guest THEN member_path ELSE '' END,
           %(now)s, '{qr}', %(now)s
    FROM ok
    ON CONFLICT (meeting_id, member_id) DO NOTHING
    RETURNING id, is_guest
), life AS (
    INSERT INTO {life} AS l (member_id, org_path, last_attended_on)
    SELECT ok.member_id, ok.member_path, ok.held_on FROM ok, ins WHERE ok.held_on IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET org_path = excluded.org_path,
        last_attended_on = GREATEST(l.last_attended_on, excluded.last_attended_on)
), audit AS (
    INSERT INTO {audit} (created_at, actor_id, actor_name, org_path, org_name, action, target_type, target_id,
                         target_repr, before, after, request_id)
    SELECT %(now)s, ok.user_id,
           -- as core.audit.person_name: the full name, else the member record's, with the account in brackets
           left(CASE WHEN coalesce(nullif(btrim(ok.first_name || ' ' || ok.last_name, E' \\t\\n\\r\\f\\v'), ''), ok.name, '')
                          IN ('', ok.username) THEN ok.username
                     ELSE coalesce(nullif(btrim(ok.first_name || ' ' || ok.last_name, E' \\t\\n\\r\\f\\v'), ''), ok.name)
                          || '（' || ok.username || '）' END, 150),
           ok.meeting_path, left(coalesce((SELECT o.name FROM {org} o WHERE o.id = ok.meeting_org), ''), 200),
           'life.checkin.recorded', '{target_type}', ok.meeting_id::text,
           left(ok.title || '：' || ok.name, 255), NULL, jsonb_build_object('member', ok.member_id, 'guest', ins.is_guest),
           %(request_id)s
    FROM ok, ins
)
SELECT s.user_id, s.meeting_id, s.expires_at > %(now)s, s.status IN ({open}), s.member_id,
       ins.id, ins.is_guest, a.id, a.status = '{present}', a.is_guest, s.opens_at, s.closes_at
FROM (SELECT 1) AS one
LEFT JOIN s ON true
LEFT JOIN ins ON true
LEFT JOIN {attendance} a ON ins.id IS NULL AND a.meeting_id = s.meeting_id AND a.member_id = s.member_id
"""


@functools.cache
def check_in_sql() -> str:
    quoted = lambda values: ", ".join(f"'{value}'" for value in values)  # noqa: E731  (enum values, no quotes)
    return _CHECK_IN_SQL.format(
        token=Token._meta.db_table,
        user=get_user_model()._meta.db_table,
        code=CheckInCode._meta.db_table,
        meeting=Meeting._meta.db_table,
        member=Member._meta.db_table,
        attendance=Attendance._meta.db_table,
        life=MemberLife._meta.db_table,
        audit=AuditEntry._meta.db_table,
        org=Organisation._meta.db_table,
        on_roll=quoted(sorted(ON_ROLL)),
        open=quoted(_OPEN),
        present=AttendanceStatus.PRESENT.value,
        qr=CheckInMethod.QR.value,
        target_type=Meeting._meta.label_lower,
    )


@dataclass(frozen=True)
class LeanOutcome:
    """What the one-statement check-in did.  `refusal` is the Chinese message (HTTP 400 as the API view answers);
    `delegate` means nothing was written and Django's view (`check_in`) must answer instead."""

    attendance: int | None = None
    meeting: int | None = None
    already: bool = False
    guest: bool = False
    refusal: str = ""
    delegate: bool = False

    @property
    def message(self) -> str:
        return ALREADY if self.already else DONE


DELEGATE = LeanOutcome(delegate=True)


def check_in_one_statement(
    cursor, *, api_key: str, token: str, now: datetime.datetime, request_id: str
) -> LeanOutcome:
    """`check_in` for a user known by API token, as ONE statement on a PostgreSQL cursor (psycopg 3).

    Run it in autocommit (its own transaction) or inside the caller's transaction; the audit entry is written by the
    same statement as the attendance.  Same refusals, in the same order, as `_valid_code` and `_member_of`."""
    cursor.execute(
        check_in_sql(),
        {
            "key": api_key,
            "code": token,
            "now": now,
            "request_id": request_id,
            "opens_before": _opens_before(),
            "closes_after": _closes_after(),
            "zone": settings.TIME_ZONE,
        },
        prepare=True,
    )
    (
        user_id,
        meeting_id,
        unexpired,
        is_open,
        member_id,
        inserted,
        inserted_guest,
        existing,
        existing_present,
        existing_guest,
        opens_at,
        closes_at,
    ) = cursor.fetchone()
    if user_id is None:  # unknown token or inactive user: DRF answers 401 with its own message
        return DELEGATE
    if meeting_id is None:
        return LeanOutcome(refusal=INVALID)
    if not unexpired:
        return LeanOutcome(refusal=EXPIRED)
    if not is_open:
        return LeanOutcome(refusal=CLOSED)
    if opens_at is not None and now < opens_at:
        return LeanOutcome(refusal=not_yet(opens_at))
    if closes_at is not None and now >= closes_at:
        return LeanOutcome(refusal=OVER)
    if member_id is None:
        return LeanOutcome(refusal=NO_MEMBER)
    if inserted is not None:
        return LeanOutcome(attendance=inserted, meeting=meeting_id, guest=inserted_guest)
    if existing is not None and existing_present:
        return LeanOutcome(attendance=existing, meeting=meeting_id, already=True, guest=existing_guest)
    return DELEGATE  # marked absent by hand (the service turns it to present), or a concurrent scan not yet visible
