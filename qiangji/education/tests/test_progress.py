"""Heartbeats, intervals and completion: the hours cannot be faked by seeking, replaying, racing or a
second device; a learner who watches completes once and the hours reach the ledger once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qiangji.core.models import AuditEntry
from qiangji.education import services
from qiangji.education.intervals import covered, merge, union
from qiangji.education.models import ChapterCompletion, HourEntry, WatchSession
from qiangji.education.services import HeartbeatRefused
from qiangji.education.tests.factories import published_chapter

pytestmark = pytest.mark.django_db


def test_merge_joins_overlapping_and_touching_intervals():
    assert merge([[0, 5], [10, 15]], 4, 11) == [[0, 15]]
    assert merge([[0, 5]], 5, 6) == [[0, 6]]
    assert merge([[10, 15]], 0, 3) == [[0, 3], [10, 15]]
    assert union([[0, 2]], [[1, 4], [8, 9]]) == [[0, 4], [8, 9]]
    assert covered([[0, 4], [8, 9]]) == 5


class Clock:
    def __init__(self):
        self.now = timezone.now()

    def tick(self, seconds):
        self.now += datetime.timedelta(seconds=seconds)
        return self.now


def _watch(learner, session, clock, *, until, step=5.0, seq=0, speed=1.0):
    position = 0.0
    state = None
    while position < until:
        seq += 1
        end = min(until, position + step * speed)
        state = services.heartbeat(
            actor=learner, token=session.token, seq=seq, start=position, end=end, now=clock.tick(step)
        )
        position = end
    return state, seq


def test_watching_to_the_end_completes_and_credits_the_hours_once(world):
    chapter = published_chapter(world, seconds=60, hours="1.5")
    learner = world.users["dangyuan"]
    session = services.start_session(actor=learner, chapter=chapter)
    clock = Clock()
    state, seq = _watch(learner, session, clock, until=60)
    assert state.completed
    entry = HourEntry.objects.get(member=world.member, origin=f"chapter:{chapter.pk}")
    assert entry.half_hours == 3 and entry.source == "online" and entry.channel == "online"
    assert AuditEntry.objects.filter(action="education.chapter.completed").count() == 1
    # Watching it again credits nothing more.
    again = services.start_session(actor=learner, chapter=chapter)
    _watch(learner, again, Clock(), until=60)
    assert HourEntry.objects.filter(member=world.member).count() == 1
    assert ChapterCompletion.objects.filter(member=world.member).count() == 1


def test_seeking_to_the_end_gives_no_completion(world):
    chapter = published_chapter(world, seconds=60)
    learner = world.users["dangyuan"]
    session = services.start_session(actor=learner, chapter=chapter)
    clock = Clock()
    services.heartbeat(actor=learner, token=session.token, seq=1, start=0, end=5, now=clock.tick(5))
    state = services.heartbeat(actor=learner, token=session.token, seq=2, start=55, end=60, now=clock.tick(5))
    assert not state.completed and state.covered_seconds == 10
    assert not HourEntry.objects.exists()


def test_a_heartbeat_faster_than_real_time_times_speed_is_refused_and_nothing_saved(world):
    chapter = published_chapter(world, seconds=60, speed=150)
    learner = world.users["dangyuan"]
    session = services.start_session(actor=learner, chapter=chapter)
    clock = Clock()
    with pytest.raises(HeartbeatRefused) as refused:
        services.heartbeat(actor=learner, token=session.token, seq=1, start=0, end=30, now=clock.tick(10))
    assert refused.value.code == "too_fast"
    session.refresh_from_db()
    assert session.intervals == [] and session.last_seq == 0
    # At the allowed speed (1.5 × 10 s = 15 s) it counts.
    services.heartbeat(actor=learner, token=session.token, seq=1, start=0, end=15, now=clock.tick(0))
    session.refresh_from_db()
    assert session.intervals == [[0, 15]]


def test_a_fast_player_cannot_complete_in_less_than_duration_over_speed(world):
    chapter = published_chapter(world, seconds=60, speed=150)
    learner = world.users["dangyuan"]
    session = services.start_session(actor=learner, chapter=chapter)
    state, _ = _watch(learner, session, Clock(), until=60, step=4, speed=1.5)  # 40 s of real time
    assert state.completed  # exactly duration ÷ speed: allowed
    assert ChapterCompletion.objects.get().wall_seconds >= 40 - 1.5


def test_replayed_and_out_of_order_heartbeats_are_refused(world):
    chapter = published_chapter(world, seconds=60)
    learner = world.users["dangyuan"]
    session = services.start_session(actor=learner, chapter=chapter)
    clock = Clock()
    services.heartbeat(actor=learner, token=session.token, seq=2, start=0, end=5, now=clock.tick(5))
    with pytest.raises(HeartbeatRefused) as replayed:
        services.heartbeat(actor=learner, token=session.token, seq=2, start=5, end=10, now=clock.tick(5))
    assert replayed.value.code == "replayed"
    with pytest.raises(HeartbeatRefused) as old:
        services.heartbeat(actor=learner, token=session.token, seq=1, start=5, end=10, now=clock.tick(5))
    assert old.value.code == "out_of_order"
    session.refresh_from_db()
    assert session.intervals == [[0, 5]] and session.last_seq == 2


def test_a_second_device_supersedes_the_first(world):
    chapter = published_chapter(world, seconds=60)
    learner = world.users["dangyuan"]
    first = services.start_session(actor=learner, chapter=chapter)
    second = services.start_session(actor=learner, chapter=chapter)
    clock = Clock()
    with pytest.raises(HeartbeatRefused) as refused:
        services.heartbeat(actor=learner, token=first.token, seq=1, start=0, end=5, now=clock.tick(5))
    assert refused.value.code == "superseded"
    services.heartbeat(actor=learner, token=second.token, seq=1, start=0, end=5, now=clock.tick(5))
    assert WatchSession.objects.get(pk=first.pk).intervals == []


def test_reloading_keeps_real_progress_but_gains_nothing(world):
    chapter = published_chapter(world, seconds=60)
    learner = world.users["dangyuan"]
    clock = Clock()
    first = services.start_session(actor=learner, chapter=chapter)
    services.heartbeat(actor=learner, token=first.token, seq=1, start=0, end=5, now=clock.tick(5))
    for _ in range(3):  # reload, jump to the end
        again = services.start_session(actor=learner, chapter=chapter)
        state = services.heartbeat(
            actor=learner, token=again.token, seq=1, start=54, end=60, now=clock.tick(1)
        )
    assert not state.completed
    assert not ChapterCompletion.objects.exists()


def test_another_learners_session_is_not_found(world):
    from django.http import Http404

    from qiangji.testing import add_user

    chapter = published_chapter(world, seconds=60)
    session = services.start_session(actor=world.users["dangyuan"], chapter=chapter)
    other = add_user("other", world.branch, "member")
    from qiangji.testing import add_member

    add_member(world.branch, "钱七", user=other)
    with pytest.raises(Http404):
        services.heartbeat(actor=other, token=session.token, seq=1, start=0, end=5)


def test_an_unanswered_check_pauses_crediting(world):
    chapter = published_chapter(world, seconds=60, checks=1)
    learner = world.users["dangyuan"]
    session = services.start_session(actor=learner, chapter=chapter)
    at = session.check_at[0]
    assert 6 <= at <= 51
    clock = Clock()
    state, seq = _watch(learner, session, clock, until=60)
    assert state.check_code and not state.completed
    session.refresh_from_db()
    assert session.covered_seconds == pytest.approx(at, abs=0.11)
    with pytest.raises(ValidationError):
        services.answer_check(actor=learner, token=session.token, code="x")
    services.answer_check(actor=learner, token=session.token, code=state.check_code)
    position = float(int(at))
    while position < 60 and not state.completed:
        seq += 1
        end = min(60.0, position + 5)
        state = services.heartbeat(
            actor=learner, token=session.token, seq=seq, start=position, end=end, now=clock.tick(5)
        )
        position = end
    assert state.completed


def test_stale_sessions_are_closed_once(world):
    from qiangji.education.services import close_stale_sessions

    chapter = published_chapter(world, seconds=60)
    session = services.start_session(actor=world.users["dangyuan"], chapter=chapter)
    later = timezone.now() + datetime.timedelta(hours=2, minutes=1)
    assert close_stale_sessions(now=timezone.now()) == 0
    assert close_stale_sessions(now=later) == 1
    assert close_stale_sessions(now=later) == 0
    session.refresh_from_db()
    assert session.status == "closed"
    with pytest.raises(HeartbeatRefused) as refused:
        services.heartbeat(
            actor=world.users["dangyuan"], token=session.token, seq=1, start=0, end=1, now=later
        )
    assert refused.value.code == "closed"
