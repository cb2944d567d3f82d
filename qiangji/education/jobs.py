"""Background tasks of the education app: closing learning sessions left open (run every 30 minutes by
`schedule.py`, or at once from the console with `qiangji scheduler --run education.stale_sessions`)."""

from django_tasks import task

from qiangji.core.jobs import finish_job, run_job
from qiangji.education import services

STALE_KIND = "education.stale_sessions"


@task()
def close_stale_sessions_task(job_id: str) -> None:
    run_job(job_id, run_close_stale)


def run_close_stale(job) -> None:
    closed = services.close_stale_sessions(actor=job.created_by)
    finish_job(job.pk, result={"closed": closed}, total=closed, message=f"关闭学习会话 {closed} 个")
