"""Scope-walk cases for background exports: a job is its creator's only; the foreign county's job is a 404."""


def foreign_job(world):
    from qiangji.core.exporting import EXPORT_JOB_KIND
    from qiangji.core.models import Job

    job = Job.objects.create(
        kind=EXPORT_JOB_KIND,
        created_by=world.users["foreign"],
        params={"path": "/orgs/list/", "query": "", "fmt": "csv", "title": "外县导出"},
    )
    return {"pk": job.pk}


CASES = {
    "export-job": foreign_job,
    "export-file": foreign_job,
}
EXEMPT: dict[str, str] = {}
