"""Background jobs: a `Job` row the UI can poll, run by a django-tasks task.

The demo uses the database backend (`django-tasks-db`, worker: `qiangji db_worker`) so that it needs no
extra server; production may use the Redis-backed RQ backend (`QIANGJI_TASK_BACKEND=rq`, worker:
`qiangji rqworker default`).  Tests use the immediate backend, which runs a task as it is enqueued.

A job's work usually runs in ONE database transaction (an import commits all or nothing), so the live
progress counter is written to the cache, which the web process and the worker share; the row is only
updated when the job starts and ends, outside that transaction.
"""

import contextlib
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from qiangji.core import context
from qiangji.core.models import Job

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT = 24 * 3600
MAX_STORED_ERRORS = 1000


def _progress_key(job_id) -> str:
    return f"job:{job_id}:progress"


def start_job(*, actor, kind: str, org_path: str, params: dict, task, inline: bool = False) -> Job:
    """Create the job row and enqueue `task(job_id)`; the task must call `run_job`.

    `inline` runs the task in this process now (small imports answer in the same request).  When the
    caller holds a transaction the task is enqueued on commit, so that a worker never picks up a job
    whose row it cannot see yet.  The immediate backend runs the task at once.
    """
    job = Job.objects.create(
        kind=kind,
        created_by=actor if actor is not None and actor.pk else None,
        org_path=org_path,
        params=params,
    )
    if inline:
        task.call(str(job.pk))
        job.refresh_from_db()
        return job
    immediate = "immediate" in type(task.get_backend()).__module__
    if transaction.get_connection().in_atomic_block and not immediate:
        transaction.on_commit(lambda: task.enqueue(str(job.pk)))
    else:
        task.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


def report_progress(job_id, done: int, total: int) -> None:
    """Visible at once to every process (cache), even while the job's transaction is open."""
    cache.set(_progress_key(job_id), (int(done), int(total)), PROGRESS_TIMEOUT)


def progress_of(job: Job) -> dict:
    """{"done", "total", "percent"} from the cache while running, else from the row."""
    done, total = job.progress, job.total
    if job.status in (Job.Status.QUEUED, Job.Status.RUNNING):
        cached = cache.get(_progress_key(job.pk))
        if cached:
            done, total = cached
    if job.status == Job.Status.SUCCEEDED and total:
        done = total
    percent = int(done * 100 / total) if total else (100 if job.status == Job.Status.SUCCEEDED else 0)
    return {"done": done, "total": total, "percent": max(0, min(100, percent))}


def mark_running(job_id) -> None:
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now())


def finish_job(job_id, *, result: dict, total: int = 0, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED,
        result=result,
        progress=total,
        total=total,
        message=message[:500],
        finished_at=timezone.now(),
    )
    cache.delete(_progress_key(job_id))


def fail_job(
    job_id,
    *,
    message: str,
    errors: list | None = None,
    error_count: int | None = None,
    total: int = 0,
    result: dict | None = None,
) -> None:
    """Store at most MAX_STORED_ERRORS errors, with the true count beside them."""
    errors = list(errors or [])
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED,
        message=message[:500],
        errors=errors[:MAX_STORED_ERRORS],
        error_count=len(errors) if error_count is None else error_count,
        total=total,
        result=result or {},
        finished_at=timezone.now(),
    )
    cache.delete(_progress_key(job_id))


@contextlib.contextmanager
def job_context(job_id):
    """Attribute every audit entry written by the job to `job-<id>` (one group in the log)."""
    token = context.request_id.set(f"job-{job_id}")
    try:
        yield
    finally:
        context.request_id.reset(token)


def run_job(job_id, work: Callable[[Job], None]) -> None:
    """Run `work(job)` for a queued job; `work` calls finish_job/fail_job itself.

    An unexpected exception marks the job failed with a generic message (details go to the log, not
    to the user) instead of leaving it "running" for ever.
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status not in (Job.Status.QUEUED, Job.Status.RUNNING):
        return
    mark_running(job.pk)
    with job_context(job.pk):
        try:
            work(job)
        except Exception:
            logger.exception("job %s (%s) crashed", job.pk, job.kind)
            fail_job(job.pk, message="任务执行出错，请联系管理员查看日志")
