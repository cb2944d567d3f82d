"""Background jobs: a `Job` row the UI can poll, run by a django-tasks task.

The demo uses the database backend (`django-tasks-db`, worker: `qiangji db_worker`) so that it needs no
extra server; production may use the Redis-backed RQ backend (`QIANGJI_TASK_BACKEND=rq`, worker:
`qiangji rqworker default`).  Tests use the immediate backend, which runs a task as it is enqueued.

A job's work usually runs in ONE database transaction (an import commits all or nothing), so the live
progress counter is written to the cache, which the web process and the worker share; the row is only
updated when the job starts and ends, outside that transaction.
"""

import contextlib
import datetime
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from qiangji.core import context
from qiangji.core.models import Job

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT = 24 * 3600
MAX_STORED_ERRORS = 1000
LOST_MESSAGE = "任务执行进程意外中断（心跳超时），未写入任何数据，请重新提交"

# Per job kind: cleanup(job) run when a job ends in any way, including a lost job found by the reaper
# (e.g. the roster import deletes its upload and its staging table).
_cleanups: dict[str, Callable] = {}


def register_cleanup(kind: str, cleanup: Callable) -> None:
    _cleanups[kind] = cleanup


def run_cleanup(job) -> None:
    cleanup = _cleanups.get(job.kind)
    if cleanup is None:
        return
    try:
        cleanup(job)
    except Exception:
        logger.exception("cleanup of job %s (%s) failed", job.pk, job.kind)


def lease_seconds() -> int:
    return int(getattr(settings, "QIANGJI_JOB_LEASE_SECONDS", 60))


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:100]


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
    try:
        cache.set(_progress_key(job_id), (int(done), int(total)), PROGRESS_TIMEOUT)
    except Exception:  # the cache is down (Redis stopped): the job goes on, only the live counter is lost
        logger.warning("progress of job %s not published: cache unavailable", job_id)


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
    """For a job run in the foreground (a CLI command): running, with no lease (nobody reaps it)."""
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now())


def finish_job(job_id, *, result: dict, total: int = 0, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED,
        result=result,
        progress=total,
        total=total,
        message=message[:500],
        finished_at=timezone.now(),
        lease_expires_at=None,
    )
    _forget_progress(job_id)


def _forget_progress(job_id) -> None:
    try:
        cache.delete(_progress_key(job_id))
    except Exception:
        logger.warning("progress of job %s not cleared: cache unavailable", job_id)


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
        lease_expires_at=None,
    )
    _forget_progress(job_id)


@contextlib.contextmanager
def job_context(job_id):
    """Attribute every audit entry written by the job to `job-<id>` (one group in the log)."""
    token = context.request_id.set(f"job-{job_id}")
    try:
        yield
    finally:
        context.request_id.reset(token)


class Lease:
    """The running process's claim on a job, renewed by a heartbeat thread (its own database connection)
    every third of the lease. If the process dies (kill -9, out of memory) the heartbeat stops, the lease
    expires and `reap_lost_jobs` (the scheduler's tick, the next job started) fails the job."""

    def __init__(self, job_id, worker: str):
        self.job_id, self.worker = job_id, worker
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def renew(self) -> bool:
        return bool(
            Job.objects.filter(pk=self.job_id, worker=self.worker, status=Job.Status.RUNNING).update(
                lease_expires_at=timezone.now() + datetime.timedelta(seconds=lease_seconds())
            )
        )

    def _beat(self) -> None:
        from django.db import connection as thread_connection

        interval = max(1.0, lease_seconds() / 3)
        try:
            while not self._stop.wait(interval):
                try:
                    self.renew()
                except Exception:  # a busy or unreachable database: the next beat tries again
                    logger.warning("heartbeat of job %s failed", self.job_id, exc_info=True)
        finally:
            thread_connection.close()

    def start(self) -> None:
        # An in-memory SQLite database (the test suite) cannot be shared with another thread's connection.
        if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
            return
        self._thread = threading.Thread(target=self._beat, name=f"job-heartbeat-{self.job_id}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def claim(job_id) -> Lease | None:
    """Take a queued job (or a running one whose lease expired) for this process; None if another has it."""
    worker = _worker_name()
    now = timezone.now()
    claimable = Q(status=Job.Status.QUEUED) | Q(status=Job.Status.RUNNING, lease_expires_at__lt=now)
    claimed = Job.objects.filter(claimable, pk=job_id).update(
        status=Job.Status.RUNNING,
        started_at=now,
        worker=worker,
        lease_expires_at=now + datetime.timedelta(seconds=lease_seconds()),
        attempts=F("attempts") + 1,
    )
    return Lease(job_id, worker) if claimed else None


def still_owned(job_id) -> bool:
    """For a job's last write: True if this process's lease still stands (the reaper has not failed it).
    Call inside the transaction that publishes the job's result; it locks the job row on PostgreSQL."""
    lease = _current_lease.get(str(job_id))
    queryset = Job.objects.filter(pk=job_id, status=Job.Status.RUNNING)
    if lease is not None:
        queryset = queryset.filter(worker=lease.worker)
    if connection.vendor == "postgresql":
        queryset = queryset.select_for_update()
    return queryset.exists()


_current_lease: dict[str, Lease] = {}


def reap_lost_jobs() -> list[str]:
    """Fail every running job whose lease has expired (its process died) and run its cleanup; the ids."""
    now = timezone.now()
    lost = list(Job.objects.filter(status=Job.Status.RUNNING, lease_expires_at__lt=now))
    reaped = []
    for job in lost:
        failed = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, lease_expires_at__lt=now).update(
            status=Job.Status.FAILED,
            message=LOST_MESSAGE,
            finished_at=now,
            lease_expires_at=None,
        )
        if failed:
            logger.warning("job %s (%s) lost its worker %s: marked failed", job.pk, job.kind, job.worker)
            _forget_progress(job.pk)
            run_cleanup(job)
            reaped.append(str(job.pk))
    return reaped


def run_job(job_id, work: Callable[[Job], None]) -> None:
    """Run `work(job)` for a queued job; `work` calls finish_job/fail_job itself.

    The job is claimed with a lease (a heartbeat keeps it while this process lives); lost jobs of dead
    processes are reaped first. An unexpected exception marks the job failed with a generic message
    (details go to the log, not to the user) instead of leaving it "running" for ever; the job kind's
    cleanup runs however the job ends.
    """
    try:
        reap_lost_jobs()
    except Exception:
        logger.warning("reaping lost jobs failed", exc_info=True)
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status not in (Job.Status.QUEUED, Job.Status.RUNNING):
        return
    lease = claim(job.pk)
    if lease is None:
        return  # another worker holds it
    job.refresh_from_db()
    lease.start()
    _current_lease[str(job.pk)] = lease
    with job_context(job.pk):
        try:
            work(job)
        except Exception:
            logger.exception("job %s (%s) crashed", job.pk, job.kind)
            fail_job(job.pk, message="任务执行出错，请联系管理员查看日志")
        finally:
            lease.stop()
            _current_lease.pop(str(job.pk), None)
            Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=lease.worker).update(
                status=Job.Status.FAILED, message="任务未报告结果即结束", finished_at=timezone.now()
            )
            run_cleanup(job)


def housekeeping() -> dict:
    """The scheduler's tick: fail lost jobs, seal the audit log's new entries."""
    from qiangji.core import audit

    done: dict = {"reaped": reap_lost_jobs()}
    try:
        done["sealed"] = audit.seal_all()
    except Exception:
        logger.warning("sealing audit entries failed", exc_info=True)
    return done
