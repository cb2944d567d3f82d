"""The dues module's periodic job (`qiangji.core.schedule`), imported by `apps.py`'s ready(): the lapse and
lost-contact suggestions for the whole platform, every night at 01:00 (docs/rules.md §5).  Idempotent:
`services.compute_suggestions` opens a suggestion only where none is open and retires the ones whose
situation changed; it never changes a member's status."""

from django_tasks import task

from qiangji.core import jobs, schedule
from qiangji.dues.jobs import SUGGESTIONS_KIND, compute_suggestions_task


@task()
def nightly_suggestions_task() -> dict:
    """The same run as `qiangji dues_suggestions`, as a Job row (visible on the jobs API) run here."""
    job = jobs.start_job(
        actor=None, kind=SUGGESTIONS_KIND, org_path="", params={}, task=compute_suggestions_task, inline=True
    )
    return {"job": str(job.pk), "status": job.status, "message": job.message}


schedule.register(
    "dues.suggestions",
    task=nightly_suggestions_task,
    at=schedule.Daily(1, 0),
    title="不交党费、失去联系处置建议",
)
