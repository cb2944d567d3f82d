"""Background work of the dashboard (ADR 0008): the debounced refresh and the full rebuild as a job.

`nudge()` is registered as an audit listener (apps.py): every service write schedules, on commit,
one refresh task a few seconds later (a cache key debounces a burst of writes into one run).  The
task re-schedules itself while writes keep coming, so writes that bypass `audit.record` (the check-in
fast path writes its audit rows by SQL and calls `audit.notify_listeners()`) are picked up as well.
Latency: DEBOUNCE_SECONDS + the worker's poll interval + the refresh itself — well under 60 s.
"""

import datetime
import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from qiangji.core import jobs as core_jobs
from qiangji.dashboard.models import RollupState
from qiangji.dashboard.rollups import engine

logger = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 5
FOLLOW_UP_SECONDS = 20
PENDING_KEY = "dashboard:refresh:pending"


def _immediate(backend) -> bool:
    return "immediate" in type(backend).__module__


def schedule_refresh(delay: int = DEBOUNCE_SECONDS) -> bool:
    """Enqueue one refresh unless one is already pending; returns whether it enqueued."""
    if not cache.add(PENDING_KEY, 1, delay + 60):
        return False
    backend = refresh_task.get_backend()
    if _immediate(backend) and not RollupState.objects.filter(last_rebuild_at__isnull=False).exists():
        cache.delete(PENDING_KEY)  # tests and scripts without rollups: nothing to keep current
        return False
    try:
        if backend.supports_defer and delay:
            refresh_task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue()
        else:
            refresh_task.enqueue()
    except Exception:  # a missing worker must never break the write that nudged
        cache.delete(PENDING_KEY)
        logger.exception("could not schedule the dashboard refresh")
        return False
    return True


def nudge(entry=None) -> None:
    """Audit listener: after the writer's transaction commits, schedule a refresh."""
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(schedule_refresh)
    else:
        schedule_refresh()


@task()
def refresh_task() -> dict:
    """One incremental step (a first full rebuild if the rollups were never built)."""
    cache.delete(PENDING_KEY)  # writes from now on schedule the next run
    state = engine.state()
    if state.last_rebuild_at is None:
        timings = engine.rebuild()
        return {"rebuilt": True, "seconds": timings["total"]}
    result = engine.refresh()
    if result["new_entries"] and not _immediate(refresh_task.get_backend()):
        schedule_refresh(FOLLOW_UP_SECONDS)  # keep watching while writes keep coming
    return {"organisations": result["organisations"], "seconds": result["seconds"]}


def _rebuild_work(job) -> None:
    timings = engine.rebuild(log=lambda text: logger.info("dashboard rebuild: %s", text))
    core_jobs.finish_job(
        job.pk,
        result={k: round(v, 2) for k, v in timings.items()},
        message=f"重建完成，用时{timings['total']:.1f}秒",
    )


@task()
def rebuild_task(job_id: str) -> None:
    core_jobs.run_job(job_id, _rebuild_work)


def start_rebuild(*, actor, org_path: str = ""):
    """The full rebuild as a Job row the UI can poll (core.jobs, ADR 0002)."""
    return core_jobs.start_job(
        actor=actor, kind="dashboard.rebuild", org_path=org_path, params={}, task=rebuild_task
    )
