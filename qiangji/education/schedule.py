"""The education module's periodic job (`qiangji.core.schedule`), imported by `apps.py`'s ready(): close
learning sessions with no heartbeat for two hours, every 30 minutes. Idempotent (a closed session stays
closed; what it recorded stays)."""

from django_tasks import task

from qiangji.core import jobs, schedule
from qiangji.education.jobs import STALE_KIND, close_stale_sessions_task


@task()
def stale_sessions_task() -> dict:
    job = jobs.start_job(
        actor=None, kind=STALE_KIND, org_path="", params={}, task=close_stale_sessions_task, inline=True
    )
    return {"job": str(job.pk), "status": job.status, "message": job.message}


schedule.register(
    "education.stale_sessions",
    task=stale_sessions_task,
    at=schedule.Every(minutes=30),
    title="关闭长时间无心跳的学习会话",
)
