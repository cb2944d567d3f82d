"""Background tasks of the dues app: the lapse and lost-contact suggestions (docs/rules.md §5).

Run for a subtree from the suggestions page, or for the whole platform by a nightly schedule
(`qiangji dues_suggestions`).
"""

from django_tasks import task

from qiangji.core.jobs import finish_job, run_job
from qiangji.dues import services

SUGGESTIONS_KIND = "dues.suggestions"


@task()
def compute_suggestions_task(job_id: str) -> None:
    run_job(job_id, run_suggestions)


def run_suggestions(job) -> None:
    result = services.compute_suggestions(actor=job.created_by, root_path=job.org_path)
    finish_job(
        job.pk,
        result={key: str(value) for key, value in result.items()},
        total=result["flagged"],
        message=f"新增建议 {result['opened']} 条，情况已变化 {result['retired']} 条",
    )
