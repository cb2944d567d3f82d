"""Periodic jobs (issue #12, build 4): a registry the apps fill from `AppConfig.ready()`, and one tick.

Each app registers its jobs in its `schedule.py` (imported by its `ready()`):

    schedule.register("recruitment.digest", task=send_digest_task, at=schedule.Daily(7, 0),
                      title="发展党员到期提醒")

A schedule is `Daily(hour, minute)` (Asia/Shanghai, the platform's zone) or `Every(minutes=N)`. Its
*slot* is the latest scheduled time at or before now; a job is due when its slot is later than the
slot last claimed in its `ScheduledRun` row (a job never run is due at once; missed runs are caught up
once, never as a backlog).

`tick()` (run by `qiangji scheduler`, every 30 s) claims each due slot with a conditional UPDATE
(`last_slot < slot`): on SQLite and PostgreSQL alike exactly one UPDATE wins, so two schedulers never
enqueue the same run. The winner enqueues `run_scheduled_task(name, slot)` on the configured task
backend (the database backend in the demo, RQ in production); the worker runs the job's task there and
records start, end, status, error and duration in the row (`/jobs/schedule/` shows it to a superuser).
A slot already run successfully is skipped when a backend delivers its task twice, and every job is
idempotent by design (running it again changes nothing that the first run did).
"""

import datetime
import logging
import time
import traceback
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from qiangji.core.models import ScheduledRun

logger = logging.getLogger(__name__)

ZONE = ZoneInfo("Asia/Shanghai")
MAX_ERROR = 4000


@dataclass(frozen=True)
class Daily:
    """Every day at hour:minute, Beijing time."""

    hour: int
    minute: int = 0

    def __post_init__(self):
        if not (0 <= self.hour < 24 and 0 <= self.minute < 60):
            raise ValueError(f"Daily({self.hour}, {self.minute}): not a time of day")

    def latest(self, now: datetime.datetime) -> datetime.datetime:
        local = now.astimezone(ZONE)
        slot = local.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        if slot > local:
            slot -= datetime.timedelta(days=1)
        return slot

    def describe(self) -> str:
        return f"每天 {self.hour:02d}:{self.minute:02d}（北京时间）"


@dataclass(frozen=True)
class Every:
    """Every N minutes, on the minute marks counted from midnight UTC (so 15 gives :00, :15, :30, :45)."""

    minutes: int

    def __post_init__(self):
        if not 1 <= self.minutes <= 24 * 60:
            raise ValueError(f"Every({self.minutes}): 1 to 1440 minutes")

    def latest(self, now: datetime.datetime) -> datetime.datetime:
        step = self.minutes * 60
        stamp = int(now.timestamp()) // step * step
        return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC).astimezone(ZONE)

    def describe(self) -> str:
        return f"每 {self.minutes} 分钟"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Any  # a django-tasks Task; its function takes the registered kwargs
    at: Daily | Every
    title: str
    kwargs: dict = field(default_factory=dict)

    def slot(self, now: datetime.datetime) -> datetime.datetime:
        return self.at.latest(now)


_REGISTRY: dict[str, PeriodicJob] = {}


def register(name: str, *, task, at: Daily | Every, title: str, kwargs: dict | None = None) -> PeriodicJob:
    """Called from an app's `ready()` (through its schedule.py); registering a name again replaces it."""
    if not hasattr(task, "call") or not hasattr(task, "enqueue"):
        raise TypeError(f"{name}: register a django-tasks task (decorated with @task), not {task!r}")
    job = PeriodicJob(name=name, task=task, at=at, title=title, kwargs=dict(kwargs or {}))
    _REGISTRY[name] = job
    return job


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered() -> list[PeriodicJob]:
    return sorted(_REGISTRY.values(), key=lambda job: job.name)


def get(name: str) -> PeriodicJob:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(
            f"no periodic job named {name!r} (registered: {', '.join(sorted(_REGISTRY))})"
        ) from None


def _ensure_rows(jobs) -> None:
    ScheduledRun.objects.bulk_create([ScheduledRun(name=job.name) for job in jobs], ignore_conflicts=True)


def due(now: datetime.datetime | None = None) -> list[tuple[PeriodicJob, datetime.datetime]]:
    """(job, slot) for every registered job whose latest slot has not been claimed yet."""
    now = now or timezone.now()
    last = dict(ScheduledRun.objects.values_list("name", "last_slot"))
    result = []
    for job in registered():
        slot = job.slot(now)
        claimed = last.get(job.name)
        if claimed is None or claimed < slot:
            result.append((job, slot))
    return result


def claim(job: PeriodicJob, slot: datetime.datetime, now: datetime.datetime | None = None):
    """Move the job's row to `slot` if it is behind: (True, previous slot) for the one caller that wins."""
    _ensure_rows([job])
    previous = ScheduledRun.objects.filter(name=job.name).values_list("last_slot", flat=True).first()
    won = (
        ScheduledRun.objects.filter(name=job.name)
        .filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
        .update(
            last_slot=slot, status=ScheduledRun.Status.QUEUED, enqueued_at=now or timezone.now(), error=""
        )
    )
    return bool(won), previous


def enqueue(job: PeriodicJob, slot: datetime.datetime, previous=None) -> bool:
    """Enqueue the run of a claimed slot; if the backend refuses, give the slot back for the next tick."""
    try:
        run_scheduled_task.enqueue(job.name, slot.isoformat())
    except Exception as error:
        logger.exception("could not enqueue periodic job %s", job.name)
        ScheduledRun.objects.filter(name=job.name, last_slot=slot).update(
            last_slot=previous, status=ScheduledRun.Status.FAILED, error=f"未能排队：{error}"[:MAX_ERROR]
        )
        return False
    return True


def tick(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every due job once; returns the names this call enqueued."""
    now = now or timezone.now()
    jobs = registered()
    _ensure_rows(jobs)
    enqueued = []
    for job, slot in due(now):
        won, previous = claim(job, slot, now)
        if won and enqueue(job, slot, previous):
            enqueued.append(job.name)
    return enqueued


def run_now(name: str) -> None:
    """The operator's "run it now" (`qiangji scheduler --run NAME`): a slot at this moment."""
    job = get(name)
    now = timezone.now()
    won, previous = claim(job, now, now)
    if won:
        enqueue(job, now, previous)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def run(name: str, slot: datetime.datetime) -> dict:
    """Run one slot of a job here and now, recording it in the job's row (what the worker does)."""
    job = get(name)
    rows = ScheduledRun.objects.filter(name=name)
    row = rows.first()
    if row is not None and row.status == ScheduledRun.Status.SUCCEEDED and row.last_slot == slot:
        return {"skipped": True}  # a backend delivered the same run twice
    started, clock = timezone.now(), time.monotonic()
    if row is None:
        _ensure_rows([job])
    rows.update(
        status=ScheduledRun.Status.RUNNING, started_at=started, finished_at=None, duration=None, error=""
    )
    try:
        result = _jsonable(job.task.call(**job.kwargs))
    except Exception:
        logger.exception("periodic job %s failed", name)
        rows.update(
            status=ScheduledRun.Status.FAILED,
            finished_at=timezone.now(),
            duration=datetime.timedelta(seconds=time.monotonic() - clock),
            error=traceback.format_exc()[-MAX_ERROR:],
            result={},
        )
        raise
    if not isinstance(result, dict):
        result = {"result": result}
    rows.update(
        status=ScheduledRun.Status.SUCCEEDED,
        finished_at=timezone.now(),
        duration=datetime.timedelta(seconds=time.monotonic() - clock),
        result=result,
    )
    return result


@task()
def run_scheduled_task(name: str, slot: str) -> dict:
    """The task the scheduler enqueues: run the periodic job `name` for `slot` (ISO 8601)."""
    return run(name, datetime.datetime.fromisoformat(slot))


def last_runs(user) -> list[tuple[PeriodicJob, ScheduledRun | None]]:
    """Every registered job with its last run, for the operator's page (empty unless a superuser)."""
    rows = {row.name: row for row in ScheduledRun.objects.visible_to(user)}
    return [(job, rows.get(job.name)) for job in registered()]
