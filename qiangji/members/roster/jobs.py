"""Background tasks of the members app: the roster import (run by `qiangji db_worker`, or an RQ worker in
production).  They live in the roster package because the roster's pages start them (a members/jobs.py
importing the roster while the roster imports it would be a cycle)."""

import os

from django_tasks import task

from qiangji.core.jobs import fail_job, finish_job, register_cleanup, report_progress, run_job
from qiangji.members.roster import staging
from qiangji.members.roster.importing import import_roster

IMPORT_KIND = "members.import"


def cleanup_import(job) -> None:
    """However the import ended (done, refused, crashed, or its worker found dead by the reaper): the
    uploaded file (full ID numbers) is deleted and the staging table dropped."""
    path = (job.params or {}).get("path")
    if path and job.params.get("delete_after", True) and os.path.exists(path):
        os.remove(path)
    staging.drop(staging.table_name(job.pk))


register_cleanup(IMPORT_KIND, cleanup_import)


@task()
def import_roster_task(job_id: str) -> None:
    run_job(job_id, run_import)


def run_import(job, progress=None) -> None:
    """Import the job's file as its creator; the result lands on the job row (page, API and CLI)."""

    def report(done, total):
        report_progress(job.pk, done, total)
        if progress:
            progress(done, total)

    path = job.params["path"]
    try:
        result = import_roster(
            actor=job.created_by,
            path=path,
            file_name=job.params.get("file_name", ""),
            job=job,
            progress=report,
        )
    finally:
        if job.params.get("delete_after", True) and os.path.exists(path):
            os.remove(path)
    if result.ok:
        finish_job(
            job.pk, result=result.as_dict(), total=result.total, message=f"已导入 {result.created} 名党员"
        )
    else:
        fail_job(
            job.pk,
            message=result.message or f"发现 {result.error_count} 处错误，未导入任何数据",
            errors=result.errors,
            error_count=result.error_count,
            total=result.total,
            result=result.as_dict(),
        )
