"""Background tasks of the assessment app: scoring a large set (a province) as a job with its result."""

import datetime

from django_tasks import task

from qiangji.assessment import services
from qiangji.assessment.models import IndicatorSet
from qiangji.core.jobs import finish_job, run_job

RUN_KIND = "assessment.run"


@task()
def compute_run_task(job_id: str) -> None:
    run_job(job_id, compute_run_job)


def compute_run_job(job) -> None:
    indicator_set = IndicatorSet.objects.get(pk=job.params["indicator_set"])
    as_of = datetime.date.fromisoformat(job.params["as_of"]) if job.params.get("as_of") else None
    run = services.compute_run(actor=job.created_by, indicator_set=indicator_set, as_of=as_of)
    finish_job(
        job.pk,
        result={"run": run.pk, "org_count": run.org_count},
        total=run.org_count,
        message=f"已计算 {run.org_count} 个组织的得分（预览）",
    )
