"""QR check-in: the secretary shows a code, members scan it on their phones while the meeting runs.

`check_in` is the hot path of `qiangji bench checkin`: a handful of indexed statements in one
transaction, no lock on the meeting row (counts are recomputed when the record is saved as held).
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from qiangji.core import audit
from qiangji.life.choices import AttendanceStatus, CheckInMethod, MeetingStatus
from qiangji.life.models import Attendance, CheckInCode, Meeting
from qiangji.life.services.meetings import _editable
from qiangji.life.services.rollups import touch_member_life
from qiangji.members.choices import ON_ROLL

INVALID = "签到码无效，请重新扫描会议现场的二维码"
EXPIRED = "签到码已过期，请联系会议主持人刷新二维码"
CLOSED = "会议记录已报送，签到已结束"
NO_MEMBER = "您的账号没有关联党员档案，无法签到"
ALREADY = "已签到"
DONE = "签到成功"


def lifetime() -> datetime.timedelta:
    """How long a new code is valid (setting QIANGJI_LIFE_CHECKIN_MINUTES, default 180)."""
    return datetime.timedelta(minutes=getattr(settings, "QIANGJI_LIFE_CHECKIN_MINUTES", 180))


@transaction.atomic
def issue_checkin_code(*, actor, meeting: Meeting, minutes: int | None = None) -> CheckInCode:
    meeting = _editable(actor, meeting)
    if minutes is not None and not (isinstance(minutes, int) and 1 <= minutes <= 24 * 60):
        raise ValidationError({"minutes": "有效时长须在1至1440分钟之间"})
    valid = datetime.timedelta(minutes=minutes) if minutes else lifetime()
    code = CheckInCode.objects.create(meeting=meeting, org_path=meeting.org_path, token=secrets.token_urlsafe(24),
                                      expires_at=timezone.now() + valid, created_by=actor)
    audit.record(actor=actor, action="life.checkin_code.issued", target=meeting, org_path=meeting.org_path,
                 after={"expires_at": code.expires_at})
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
                f"SELECT c.expires_at, m.id, m.organisation_id, m.org_path, m.title, m.status, m.held_on "
                f"FROM {CheckInCode._meta.db_table} c JOIN {Meeting._meta.db_table} m ON m.id = c.meeting_id "
                f"WHERE c.token = %s", [token])
            row = cursor.fetchone()
    if row is None:
        raise ValidationError({"token": INVALID})
    expires_at = _aware(row[0])
    if timezone.now() >= expires_at:
        raise ValidationError({"token": EXPIRED})
    if row[5] not in _OPEN:
        raise ValidationError({"token": CLOSED})
    held_on = row[6] if row[6] is None or isinstance(row[6], datetime.date) else datetime.date.fromisoformat(row[6])
    return expires_at, Meeting(id=row[1], organisation_id=row[2], org_path=row[3], title=row[4], status=row[5],
                               held_on=held_on)


def _aware(value) -> datetime.datetime:
    if isinstance(value, str):  # SQLite returns text
        value = datetime.datetime.fromisoformat(value)
    return timezone.make_aware(value, datetime.UTC) if timezone.is_naive(value) else value


def _member_of(user):
    from qiangji.members.models import Member

    row = None
    if user is not None and user.is_authenticated:
        statuses = sorted(ON_ROLL)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, name, organisation_id, org_path FROM {Member._meta.db_table} WHERE user_id = %s "
                f"AND status IN ({', '.join(['%s'] * len(statuses))}) ORDER BY id LIMIT 1", [user.pk, *statuses])
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
        attendance.status, attendance.absence_reason, attendance.leave_approved = AttendanceStatus.PRESENT, "", False
        attendance.checked_in_at, attendance.method = now, CheckInMethod.QR
        attendance.save(update_fields=["status", "absence_reason", "leave_approved", "checked_in_at", "method"])
    if meeting.held_on is not None:  # checking in to a meeting already recorded as held
        touch_member_life(member.pk, member.org_path, meeting.held_on)
    audit.record(actor=user, action="life.checkin.recorded", target=meeting, org_path=meeting.org_path,
                 target_repr=f"{meeting.title}：{member.name}",
                 after={"member": member.pk, "guest": attendance.is_guest})
    return CheckInResult(attendance, already=False)


_COLUMNS = ("meeting_id", "org_path", "member_id", "status", "absence_reason", "leave_approved", "is_guest",
            "home_organisation_id", "home_org_path", "checked_in_at", "method", "created_at")


def _insert(meeting: Meeting, member, now) -> Attendance | None:
    """One statement; None when the (meeting, member) row exists already (unique constraint)."""
    is_guest = member.organisation_id != meeting.organisation_id
    attendance = Attendance(meeting=meeting, org_path=meeting.org_path, member_id=member.pk,
                            status=AttendanceStatus.PRESENT, is_guest=is_guest, checked_in_at=now, created_at=now,
                            home_organisation_id=member.organisation_id if is_guest else None,
                            home_org_path=member.org_path if is_guest else "", method=CheckInMethod.QR)
    fields = [Attendance._meta.get_field(name.removesuffix("_id")) for name in _COLUMNS]
    values = [field.get_db_prep_save(getattr(attendance, field.attname), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Attendance._meta.db_table} ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(values))}) "
            f"ON CONFLICT (meeting_id, member_id) DO NOTHING RETURNING id", values)
        row = cursor.fetchone()
    if row is None:
        return None
    attendance.pk = row[0]
    return attendance
