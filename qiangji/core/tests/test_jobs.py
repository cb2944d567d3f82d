"""Background job plumbing: rows, cache progress, failure handling, audit attribution."""

from django_tasks import task

from qiangji.core import audit
from qiangji.core.context import current_request_id
from qiangji.core.jobs import fail_job, finish_job, progress_of, report_progress, run_job, start_job
from qiangji.core.models import AuditEntry, Job

SEEN = {}


def _work(job):
    SEEN["request_id"] = current_request_id()
    report_progress(job.pk, 5, 10)
    SEEN["progress"] = progress_of(Job.objects.get(pk=job.pk))
    from django.db import transaction

    with transaction.atomic():
        audit.record(actor=job.created_by, action="test.job.did", target=job)
    finish_job(job.pk, result={"ok": True}, total=10, message="完成")


def _crash(job):
    raise RuntimeError("boom")


@task()
def ok_task(job_id: str) -> None:
    run_job(job_id, _work)


@task()
def crash_task(job_id: str) -> None:
    run_job(job_id, _crash)


def test_start_job_runs_and_records_progress_and_request_id(world):
    job = start_job(
        actor=world.users["zhibu"], kind="test", org_path=world.branch.path, params={}, task=ok_task
    )
    assert (
        job.status == Job.Status.SUCCEEDED
        and job.result == {"ok": True}
        and job.started_at
        and job.finished_at
    )
    assert SEEN["progress"] == {"done": 5, "total": 10, "percent": 50}
    assert SEEN["request_id"] == f"job-{job.pk}"
    assert AuditEntry.objects.get(action="test.job.did").request_id == f"job-{job.pk}"
    assert progress_of(job) == {"done": 10, "total": 10, "percent": 100}


def test_inline_job(world):
    job = start_job(
        actor=world.users["zhibu"], kind="test", org_path="", params={}, task=ok_task, inline=True
    )
    assert job.status == Job.Status.SUCCEEDED


def test_crash_marks_the_job_failed_with_a_generic_message(world):
    job = start_job(actor=world.users["zhibu"], kind="test", org_path="", params={}, task=crash_task)
    assert job.status == Job.Status.FAILED and "boom" not in job.message and job.finished_at


def test_finished_job_is_not_run_again(world):
    job = Job.objects.create(kind="test", status=Job.Status.SUCCEEDED)
    SEEN.clear()
    ok_task.call(str(job.pk))
    assert "request_id" not in SEEN


def test_fail_job_caps_errors_and_keeps_the_count(world):
    job = Job.objects.create(kind="test")
    fail_job(job.pk, message="x", errors=[{"row": i} for i in range(1500)], error_count=1500)
    job.refresh_from_db()
    assert len(job.errors) == 1000 and job.error_count == 1500


def test_visibility_creator_and_subtree(world):
    job = Job.objects.create(kind="test", created_by=world.users["zhibu"], org_path=world.branch.path)
    assert Job.objects.visible_to(world.users["zhibu"]).filter(pk=job.pk).exists()
    assert Job.objects.visible_to(world.users["xian"]).filter(pk=job.pk).exists()
    assert not Job.objects.visible_to(world.users["foreign"]).filter(pk=job.pk).exists()
    assert not Job.objects.visible_to(world.users["nobody"]).filter(pk=job.pk).exists()
