"""Progress in a timed chapter that cannot be faked: sessions, heartbeats merged into watched intervals,
random in-content checks and completion (then the hours, once).

A heartbeat says "I played [start, end] since my last heartbeat" with a sequence number. The server,
not the client, measures the time: the interval may be at most (server time since the last accepted
heartbeat) × the course's highest allowed speed (+ a small tolerance), so however the learner seeks,
reloads or repeats, the credited coverage grows no faster than real time × speed. Heartbeats are never
stored: each is merged into its session's row (`WatchSession.intervals`). Only the session start, a
check answered and a completion are audited (one entry each); a heartbeat is not a domain action.
"""

import datetime
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from qiangji.core import audit
from qiangji.core.dates import today
from qiangji.core.scoping import NOT_FOUND, get_in_scope_or_404, scope_of
from qiangji.education.choices import Channel, SessionStatus, Source
from qiangji.education.intervals import covered, merge, union
from qiangji.education.models import Chapter, ChapterCompletion, WatchSession
from qiangji.education.services.base import learner_of
from qiangji.education.services.ledger import credit_hours

TOLERANCE_SECONDS = 1.5  # network jitter between two heartbeats
COVERAGE_NEEDED = 0.95
END_SLACK_SECONDS = 1.0  # "the last position reached": an interval ends within this of the end
_random = secrets.SystemRandom()


class HeartbeatRefused(ValidationError):
    """A heartbeat the server will not count; `code` says why (replayed, out_of_order, too_fast,
    superseded, closed, bad_interval). Nothing of it is saved."""

    def __init__(self, code: str, field_name: str, message: str):
        super().__init__({field_name: message}, code=code)
        self.code = code
        self.field_name = field_name
        self.message_text = message


@dataclass
class Progress:
    covered_seconds: float
    wall_seconds: float
    duration_seconds: int
    coverage: float
    check_code: str = ""
    completed: bool = False
    intervals: list = field(default_factory=list)


def _check_positions(chapter: Chapter) -> list[float]:
    """One random position per check, each in its own slice of 10 %–85 % of the chapter."""
    if chapter.checks <= 0:
        return []
    low, high = 0.10 * chapter.duration_seconds, 0.85 * chapter.duration_seconds
    width = (high - low) / chapter.checks
    return [round(_random.uniform(low + i * width, low + (i + 1) * width), 1) for i in range(chapter.checks)]


def _state(session: WatchSession, chapter: Chapter, completed: bool) -> Progress:
    return Progress(
        covered_seconds=session.covered_seconds,
        wall_seconds=round(session.wall_seconds, 1),
        duration_seconds=chapter.duration_seconds,
        coverage=round(session.covered_seconds / chapter.duration_seconds, 4),
        check_code=session.check_code if session.check_pending else "",
        completed=completed,
        intervals=session.intervals,
    )


@transaction.atomic
def start_session(*, actor, chapter) -> WatchSession:
    """A new viewing on this device; any other active session of the learner (another tab, another
    device, this page before a reload) is superseded and its heartbeats refused from now on."""
    member = learner_of(actor)
    chapter = get_in_scope_or_404(Chapter, actor, getattr(chapter, "pk", chapter), "view")
    now = timezone.now()
    WatchSession.objects.filter(member=member, status=SessionStatus.ACTIVE).update(
        status=SessionStatus.SUPERSEDED, updated_at=now
    )
    session = WatchSession.objects.create(
        member=member,
        chapter=chapter,
        org_path=member.org_path,
        region_code=member.region_code,
        token=secrets.token_urlsafe(32),
        last_seen_at=now,
        check_at=_check_positions(chapter),
    )
    audit.record(
        actor=actor,
        action="education.session.started",
        target=session,
        org_path=member.org_path,
        target_repr=f"{member.name} {chapter.title}",
    )
    return session


def _session_for(actor, token: str) -> WatchSession:
    """The learner's own session, locked (one statement: the member ids come from the cached scope)."""
    member_ids = scope_of(actor).member_ids
    session = (
        WatchSession.objects.select_for_update(of=("self",))
        .select_related("chapter__course")
        .filter(token=str(token or "")[:43], member_id__in=member_ids)
        .first()
        if member_ids
        else None
    )
    if session is None:
        raise Http404(NOT_FOUND)
    return session


@transaction.atomic
def heartbeat(*, actor, token: str, seq: int, start: float, end: float, now: datetime.datetime | None = None):
    """Count one heartbeat (see the module's docstring); returns the session's `Progress`."""
    now = now or timezone.now()
    session = _session_for(actor, token)
    chapter = session.chapter
    if session.status == SessionStatus.SUPERSEDED:
        raise HeartbeatRefused("superseded", "token", "本课程已在另一页面或设备上开始学习，本页已停止计时")
    if session.status != SessionStatus.ACTIVE:
        raise HeartbeatRefused("closed", "token", "本次学习已结束，请重新开始")
    if seq == session.last_seq:
        raise HeartbeatRefused("replayed", "seq", "重复的进度报告（序号已使用），未计入")
    if seq < session.last_seq:
        raise HeartbeatRefused("out_of_order", "seq", "进度报告顺序错乱（序号小于已收到的），未计入")
    duration = float(chapter.duration_seconds)
    if not (0 <= start <= end <= duration + TOLERANCE_SECONDS):
        raise HeartbeatRefused("bad_interval", "end", "播放区间不正确（须在0与时长之间，且起点不大于终点）")
    end = min(end, duration)
    elapsed = max(0.0, (now - session.last_seen_at).total_seconds())
    length = end - start
    if length > elapsed * chapter.course.max_speed + TOLERANCE_SECONDS:
        raise HeartbeatRefused(
            "too_fast",
            "end",
            f"报告的播放时长（{length:.0f}秒）超过实际经过时间×允许倍速（{chapter.course.max_speed:g}倍），未计入",
        )
    session.last_seq = seq
    session.last_seen_at = now
    session.position = end
    if not session.check_pending and length > 0:
        upcoming = sorted(session.check_at)
        if upcoming and start <= upcoming[0] < end:
            # Credit up to the check; from there nothing counts until the prompt is answered.
            end = upcoming[0]
            session.check_at = upcoming[1:]
            session.check_pending = True
            session.check_code = f"{_random.randint(10, 99)}"
        credited = end - start
        if credited > 0:
            session.intervals = merge(session.intervals, round(start, 1), round(end, 1))
            session.covered_seconds = covered(session.intervals)
            session.wall_seconds += min(elapsed, credited)
    session.save(
        update_fields=[
            "last_seq",
            "last_seen_at",
            "position",
            "intervals",
            "covered_seconds",
            "wall_seconds",
            "check_at",
            "check_pending",
            "check_code",
            "updated_at",
        ]
    )
    # Completion needs an interval reaching the end: only then read the learner's other sessions.
    reached_end = bool(session.intervals) and session.intervals[-1][1] >= duration - END_SLACK_SECONDS
    completed = reached_end and _complete_if_done(actor, session, chapter)
    return _state(session, chapter, completed)


@transaction.atomic
def answer_check(*, actor, token: str, code: str) -> Progress:
    session = _session_for(actor, token)
    if session.status != SessionStatus.ACTIVE:
        raise HeartbeatRefused("superseded", "token", "本课程已在另一页面或设备上开始学习，本页已停止计时")
    if not session.check_pending:
        raise ValidationError({"code": "当前没有待回答的随学检查"})
    if str(code or "").strip() != session.check_code:
        raise ValidationError({"code": "回答不正确，请输入页面上显示的数字"})
    session.check_pending = False
    session.check_code = ""
    session.checks_passed += 1
    session.last_seen_at = timezone.now()  # the time spent on the prompt is not banked for later
    session.save(update_fields=["check_pending", "check_code", "checks_passed", "last_seen_at", "updated_at"])
    audit.record(
        actor=actor,
        action="education.check.answered",
        target=session,
        org_path=session.org_path,
        target_repr=session.chapter.title,
    )
    return _state(session, session.chapter, False)


def _complete_if_done(actor, session: WatchSession, chapter: Chapter) -> bool:
    """Completion (once): coverage over all the learner's sessions on this chapter ≥ 95 % AND their
    credited playing time ≥ duration ÷ highest speed AND an interval reaching the end. Then the hours."""
    if ChapterCompletion.objects.filter(member=session.member_id, chapter=chapter).exists():
        return True
    duration = float(chapter.duration_seconds)
    rows = list(
        WatchSession.objects.filter(member=session.member_id, chapter=chapter).values_list(
            "intervals", "wall_seconds"
        )
    )
    watched = union(*(intervals for intervals, _wall in rows))
    wall = sum(seconds for _intervals, seconds in rows)
    seen = covered(watched)
    if not (
        seen >= COVERAGE_NEEDED * duration
        and wall >= duration / chapter.course.max_speed - TOLERANCE_SECONDS
        and watched
        and watched[-1][1] >= duration - END_SLACK_SECONDS
    ):
        return False
    member = session.member
    entry, _created = credit_hours(
        actor=actor,
        member=member,
        origin=f"chapter:{chapter.pk}",
        source=Source.ONLINE,
        channel=Channel.ONLINE,
        provider=chapter.course.provider,
        half_hours=chapter.half_hours,
        title=f"{chapter.course.title}：{chapter.title}",
        held_on=today(),
    )
    completion = ChapterCompletion.objects.create(
        member=member,
        chapter=chapter,
        org_path=member.org_path,
        region_code=member.region_code,
        covered_seconds=seen,
        wall_seconds=round(wall, 1),
        entry=entry,
    )
    session.status = SessionStatus.CLOSED
    session.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="education.chapter.completed",
        target=completion,
        org_path=member.org_path,
        target_repr=f"{member.name} {chapter.title}",
        after={"covered_seconds": seen, "wall_seconds": round(wall, 1), "half_hours": chapter.half_hours},
    )
    return True


STALE_AFTER = datetime.timedelta(hours=2)


@transaction.atomic
def close_stale_sessions(*, actor=None, now: datetime.datetime | None = None) -> int:
    """Sessions left open (a device put away, a tab never closed) with no heartbeat for two hours are
    closed: what they recorded stays, nothing more can be added. Idempotent; one audit entry a run."""
    now = now or timezone.now()
    closed = WatchSession.objects.filter(
        status=SessionStatus.ACTIVE, last_seen_at__lt=now - STALE_AFTER
    ).update(status=SessionStatus.CLOSED, updated_at=now)
    if closed:
        audit.record(
            actor=actor,
            action="education.session.closed_stale",
            target_repr=f"{closed} 个学习会话",
            after={"closed": closed},
        )
    return closed
