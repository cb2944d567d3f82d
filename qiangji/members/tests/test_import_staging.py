"""Issue #13 faults (a)-(d) in the roster import: batches through a staging table (no transaction held
between batches), published all or nothing; a job whose worker died is found by its lease, failed, its
upload deleted and its staging table dropped; a reaped job's late worker publishes nothing."""

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from qiangji.core import jobs
from qiangji.core.models import AuditEntry, Job
from qiangji.members.models import Member, MemberStatusEvent
from qiangji.members.roster import importing, staging
from qiangji.members.roster.jobs import IMPORT_KIND, import_roster_task
from qiangji.members.tests.import_helpers import csv_bytes, roster_row


def _rows(n, prefix="批"):
    return [
        roster_row(name=f"{prefix}{i}", birth=datetime.date(1980, 1, 1) + datetime.timedelta(days=i))
        for i in range(n)
    ]


def _job(world, path, **params):
    return Job.objects.create(
        kind=IMPORT_KIND,
        created_by=world.users["zhibu"],
        org_path=world.branch.path,
        params={"path": str(path), "file_name": "roster.csv", **params},
    )


@pytest.mark.django_db(transaction=True)
def test_batches_commit_one_by_one_and_publish_at_the_end(world, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 5)
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(_rows(23)))
    seen = []

    def progress(done, total):
        # between batches: no transaction open (the write lock is free), rows staged, none published yet
        tables = staging.leftover_tables()
        assert len(tables) == 1
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(tables[0])}")
            staged = cursor.fetchone()[0]
        seen.append(
            (connection.in_atomic_block, done, staged, Member.objects.filter(name__startswith="批").count())
        )

    result = importing.import_roster(
        actor=world.users["zhibu"], path=path, file_name="roster.csv", progress=progress
    )
    assert result.ok and result.created == 23
    assert [row[0] for row in seen] == [False] * 5
    assert [row[2] for row in seen] == [5, 10, 15, 20, 23] and {row[3] for row in seen} == {0}
    assert Member.objects.filter(name__startswith="批").count() == 23
    assert MemberStatusEvent.objects.filter(member__name__startswith="批", reason="名册导入").count() == 23
    assert AuditEntry.objects.filter(action="members.roster.imported").count() == 1
    assert staging.leftover_tables() == []


@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_last_batch_publishes_nothing_and_leaves_no_staging(world, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 5)
    rows = _rows(12)
    rows[-1]["出生日期"] = "不是日期"
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(rows))
    result = importing.import_roster(actor=world.users["zhibu"], path=path, file_name="roster.csv")
    assert not result.ok and result.created == 0 and result.errors[0]["row"] == 13
    assert not Member.objects.filter(name__startswith="批").exists()
    assert staging.leftover_tables() == []


@pytest.mark.django_db(transaction=True)
def test_a_crash_mid_import_publishes_nothing_and_cleans_up(world, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 5)
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(_rows(20)))
    calls = []

    def die(done, total):
        calls.append(done)
        if len(calls) == 2:
            raise MemoryError("killed")  # as an out-of-memory helper would

    job = _job(world, path)
    with pytest.raises(MemoryError):
        importing.import_roster(
            actor=world.users["zhibu"], path=path, file_name="roster.csv", job=job, progress=die
        )
    assert not Member.objects.filter(name__startswith="批").exists()
    assert staging.leftover_tables() == []


@pytest.mark.django_db
class TestLease:
    def test_claim_once_until_the_lease_expires(self, world, settings):
        settings.QIANGJI_JOB_LEASE_SECONDS = 60
        job = Job.objects.create(kind="test.kind")
        lease = jobs.claim(job.pk)
        job.refresh_from_db()
        assert lease and job.status == Job.Status.RUNNING and job.attempts == 1 and job.worker == lease.worker
        assert job.lease_expires_at > timezone.now() + datetime.timedelta(seconds=50)
        assert jobs.claim(job.pk) is None  # held
        Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - datetime.timedelta(seconds=1))
        second = jobs.claim(job.pk)
        assert second and second.worker != lease.worker
        assert not lease.renew() and second.renew()  # the first process lost its claim

    def test_a_lost_import_is_failed_its_upload_deleted_and_staging_dropped(self, world, tmp_path):
        path = tmp_path / "roster.csv"
        path.write_bytes(csv_bytes(_rows(3)))
        job = _job(world, path)
        assert jobs.claim(job.pk)
        staging.Staging(job.pk).create()
        assert staging.leftover_tables() == [staging.table_name(job.pk)]
        assert jobs.reap_lost_jobs() == []  # lease still valid: nothing reaped
        Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - datetime.timedelta(seconds=1))
        assert jobs.reap_lost_jobs() == [str(job.pk)]
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED and job.message == jobs.LOST_MESSAGE and job.finished_at
        assert not path.exists() and staging.leftover_tables() == []

    def test_the_next_job_reaps_a_lost_one_and_the_rerun_completes(self, world, tmp_path):
        lost_path = tmp_path / "lost.csv"
        lost_path.write_bytes(csv_bytes(_rows(3, "失")))
        lost = _job(world, lost_path)
        jobs.claim(lost.pk)
        Job.objects.filter(pk=lost.pk).update(lease_expires_at=timezone.now() - datetime.timedelta(seconds=5))
        rerun_path = tmp_path / "rerun.csv"
        rerun_path.write_bytes(csv_bytes(_rows(3, "失")))
        rerun = _job(world, rerun_path)
        import_roster_task.call(str(rerun.pk))
        lost.refresh_from_db()
        rerun.refresh_from_db()
        assert lost.status == Job.Status.FAILED and not lost_path.exists()
        assert (
            rerun.status == Job.Status.SUCCEEDED and Member.objects.filter(name__startswith="失").count() == 3
        )
        assert not rerun_path.exists()  # the upload goes when the job ends
        assert rerun.lease_expires_at is None

    def test_a_worker_reaped_meanwhile_publishes_nothing(self, world, tmp_path):
        path = tmp_path / "roster.csv"
        path.write_bytes(csv_bytes(_rows(3, "迟")))
        job = _job(world, path)
        lease = jobs.claim(job.pk)
        jobs._current_lease[str(job.pk)] = lease
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)  # as the reaper would
        try:
            result = importing.import_roster(actor=world.users["zhibu"], path=path, file_name="x", job=job)
        finally:
            jobs._current_lease.pop(str(job.pk), None)
        assert not result.ok and "中断" in result.message
        assert not Member.objects.filter(name__startswith="迟").exists()

    def test_a_job_that_crashes_is_failed_and_its_upload_deleted(self, world, tmp_path, monkeypatch):
        path = tmp_path / "roster.csv"
        path.write_bytes(csv_bytes(_rows(2, "崩")))
        job = _job(world, path)

        def crash(**kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr("qiangji.members.roster.jobs.import_roster", crash)
        import_roster_task.call(str(job.pk))
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED and not path.exists()

    def test_the_scheduler_tick_reaps(self, world, capsys):
        from django.core.management import call_command

        job = Job.objects.create(kind="test.kind")
        jobs.claim(job.pk)
        Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - datetime.timedelta(seconds=1))
        with transaction.atomic():
            call_command("scheduler", "--once")
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED
        assert str(job.pk) in capsys.readouterr().out
