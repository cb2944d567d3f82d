"""Periodic jobs (issue #12, build 4): the schedule at its boundaries, the run record, idempotence, two
schedulers, the operator's page, the demo's supervisor — and the documented RQ worker, started for real
against Redis, running the jobs that real schedulers enqueued."""

import datetime
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks import task

from qiangji.conftest import reseed_rule_tables
from qiangji.core import schedule
from qiangji.core.models import AuditEntry, Notification, ScheduledRun
from qiangji.core.schedule import ZONE, Daily, Every

ROOT = Path(__file__).resolve().parents[3]
WORKER_COMMAND = "qiangji rqworker default --job-class django_tasks_rq.Job --with-scheduler"
REDIS_URL = "redis://127.0.0.1:6379/7"  # a database of its own; never the deployment's 0
CALLS: list[str] = []


def at(day: int, hour: int, minute: int, second: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, second, tzinfo=ZONE)


@task()
def probe_task(label: str = "probe") -> dict:
    CALLS.append(label)
    return {"label": label, "calls": len(CALLS)}


@task()
def failing_task() -> None:
    raise RuntimeError("党费数据源不可用")


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test (the apps' real jobs are restored afterwards)."""
    monkeypatch.setattr(schedule, "_REGISTRY", {})
    CALLS.clear()
    return schedule


# ----- the schedule at its boundaries ------------------------------------------------------------


def test_daily_slot_is_the_latest_time_at_or_before_now():
    seven = Daily(7, 0)
    assert seven.latest(at(4, 6, 59)) == at(3, 7, 0)  # a minute before: still yesterday's
    assert seven.latest(at(4, 7, 0)) == at(4, 7, 0)  # at: today's
    assert seven.latest(at(4, 7, 1)) == at(4, 7, 0)  # after: today's
    # the zone is Beijing time, whatever zone `now` comes in: 06:59 Beijing is 22:59 UTC the day before
    assert seven.latest(at(4, 6, 59).astimezone(datetime.UTC)) == at(3, 7, 0)
    with pytest.raises(ValueError):
        Daily(24, 0)


def test_every_n_minutes_slots_fall_on_the_marks():
    quarter = Every(15)
    assert quarter.latest(at(4, 10, 14, 59)) == at(4, 10, 0)
    assert quarter.latest(at(4, 10, 15)) == at(4, 10, 15)
    assert quarter.latest(at(4, 10, 16)) == at(4, 10, 15)
    with pytest.raises(ValueError):
        Every(0)


@pytest.mark.django_db
def test_due_a_minute_before_at_and_after(registry):
    job = registry.register("test.probe", task=probe_task, at=Daily(7, 0), title="探针")
    ScheduledRun.objects.create(name=job.name, last_slot=at(3, 7, 0), status=ScheduledRun.Status.SUCCEEDED)
    assert registry.due(at(4, 6, 59)) == []  # yesterday's slot is done, today's not yet come
    assert registry.due(at(4, 7, 0)) == [(job, at(4, 7, 0))]
    assert registry.due(at(4, 7, 1)) == [(job, at(4, 7, 0))]
    assert registry.tick(at(4, 6, 59)) == []
    assert CALLS == []
    assert registry.tick(at(4, 7, 0)) == ["test.probe"]
    assert CALLS == ["probe"]
    assert registry.due(at(4, 7, 1)) == []  # today's done: next due tomorrow at 07:00
    assert registry.due(at(5, 6, 59)) == [] and registry.due(at(5, 7, 0)) == [(job, at(5, 7, 0))]


@pytest.mark.django_db
def test_a_job_never_run_is_due_at_once_and_missed_runs_are_caught_up_once(registry):
    registry.register("test.probe", task=probe_task, at=Daily(2, 0), title="探针")
    assert registry.tick(at(4, 10, 0)) == ["test.probe"]  # first start at 10:00: today's 02:00 run
    ScheduledRun.objects.filter(name="test.probe").update(
        last_slot=at(1, 2, 0)
    )  # the scheduler was down 3 days
    assert registry.tick(at(4, 10, 0)) == ["test.probe"]
    assert registry.tick(at(4, 10, 1)) == []
    assert CALLS == ["probe", "probe"]


# ----- the run record -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_run_records_its_start_end_status_and_duration(registry):
    registry.register("test.probe", task=probe_task, at=Daily(7, 0), title="探针", kwargs={"label": "早"})
    registry.tick(at(4, 7, 0, 30))
    row = ScheduledRun.objects.get(name="test.probe")
    assert row.status == ScheduledRun.Status.SUCCEEDED
    assert row.last_slot == at(4, 7, 0)
    assert row.enqueued_at and row.started_at and row.finished_at and row.started_at <= row.finished_at
    assert row.duration is not None and row.duration >= datetime.timedelta(0)
    assert row.result == {"label": "早", "calls": 1} and row.error == ""


@pytest.mark.django_db
def test_a_failed_run_records_the_error_and_the_next_slot_runs_again(registry):
    registry.register("test.failing", task=failing_task, at=Daily(1, 0), title="会失败")
    registry.tick(at(4, 1, 0))
    row = ScheduledRun.objects.get(name="test.failing")
    assert row.status == ScheduledRun.Status.FAILED
    assert "RuntimeError: 党费数据源不可用" in row.error and row.finished_at and row.duration is not None
    assert registry.tick(at(4, 1, 5)) == []  # the failed slot is not retried in a loop ...
    assert registry.tick(at(5, 1, 0)) == ["test.failing"]  # ... the next one runs


@pytest.mark.django_db
def test_a_refused_enqueue_gives_the_slot_back(registry, monkeypatch):
    registry.register("test.probe", task=probe_task, at=Daily(7, 0), title="探针")

    class Refusing:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("Redis 无法连接")

    working = schedule.run_scheduled_task
    monkeypatch.setattr(schedule, "run_scheduled_task", Refusing())
    assert registry.tick(at(4, 7, 0)) == []
    row = ScheduledRun.objects.get(name="test.probe")
    assert (
        row.status == ScheduledRun.Status.FAILED and "Redis 无法连接" in row.error and row.last_slot is None
    )
    monkeypatch.setattr(schedule, "run_scheduled_task", working)
    assert registry.tick(at(4, 7, 1)) == ["test.probe"]


# ----- idempotence ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_run_delivered_twice_runs_once(registry):
    registry.register("test.probe", task=probe_task, at=Daily(7, 0), title="探针")
    registry.tick(at(4, 7, 0))
    assert registry.run("test.probe", at(4, 7, 0)) == {"skipped": True}  # the backend redelivered it
    assert registry.tick(at(4, 7, 0)) == []
    assert CALLS == ["probe"]


@pytest.mark.django_db
def test_the_digest_job_sends_once_a_day(world):
    from qiangji.recruitment.schedule import daily_digest_task
    from qiangji.recruitment.tests.ui_factories import make_case

    reseed_rule_tables()  # a reused test database may come flushed by an earlier transactional test
    make_case(world.branch, name="逾期者", applied_on=datetime.date(2020, 9, 1))
    first = daily_digest_task.call()
    assert first["notifications"] == 1
    second = daily_digest_task.call()
    assert second["skipped"] == "今天已发送"
    assert Notification.objects.filter(kind="recruitment.due_digest").count() == 1
    assert AuditEntry.objects.filter(action="recruitment.digest.sent").count() == 1


@pytest.mark.django_db
def test_ended_notices_are_flagged_once_from_the_day_after_their_window(world):
    from qiangji.recruitment.jobs import flag_ended_notices
    from qiangji.recruitment.models import Objection, PublicNotice
    from qiangji.recruitment.tests.ui_factories import make_case

    case = make_case(world.branch, name="公示人", step=16)
    open_case = make_case(world.branch, name="有异议", step=16)
    day = datetime.date(2026, 11, 10)
    notice = PublicNotice.objects.create(
        case=case,
        org_path=case.org_path,
        purpose="admission",
        place="公示栏",
        text="拟接收为预备党员",
        starts_on=day - datetime.timedelta(days=7),
        working_days=5,
        ends_on=day,
    )
    objected = PublicNotice.objects.create(
        case=open_case,
        org_path=open_case.org_path,
        purpose="admission",
        place="公示栏",
        text="拟接收",
        starts_on=day - datetime.timedelta(days=7),
        working_days=5,
        ends_on=day,
    )
    Objection.objects.create(notice=objected, org_path=objected.org_path, received_on=day, summary="反映")

    assert flag_ended_notices(day=day)["flagged"] == 0  # the last day of the window: still open
    result = flag_ended_notices(day=day + datetime.timedelta(days=1))  # the day after: ended
    assert result["flagged"] == 2 and result["notifications"] == 2
    titles = sorted(
        Notification.objects.filter(recipient=world.users["zhibu"]).values_list("title", flat=True)
    )
    assert any("公示人" in t and "可进行下一步" in t for t in titles)
    assert any("有异议" in t and "尚有1个反映问题待处理" in t for t in titles)
    again = flag_ended_notices(day=day + datetime.timedelta(days=2))  # run twice: nothing new
    assert again["flagged"] == 0 and again["ended"] == 2 and again["notifications"] == 0
    assert AuditEntry.objects.filter(action="recruitment.notice.ended").count() == 2
    assert AuditEntry.objects.filter(action="recruitment.notice.ended", target_id=str(notice.pk)).count() == 1
    assert not Notification.objects.filter(recipient=world.users["dangyuan"]).exists()


def test_the_apps_register_their_periodic_jobs():
    jobs = {job.name: job.at for job in schedule.registered()}
    assert jobs == {
        "recruitment.digest": Daily(7, 0),
        "recruitment.notices_ended": Daily(0, 10),
        "dues.suggestions": Daily(1, 0),
        "dashboard.rebuild": Daily(2, 0),
        "core.workbench_digest": Daily(7, 30),
        "education.stale_sessions": Every(minutes=30),
        "service.escalate": Every(minutes=15),
        "service.unrated": Daily(2, 0),
    }


@pytest.mark.django_db
def test_every_registered_job_runs_and_runs_again_without_error(world):
    """The real jobs on a small tree, each twice (idempotent: the second run neither fails nor repeats)."""
    reseed_rule_tables()
    for job in schedule.registered():
        schedule.run(job.name, at(4, 3, 0))
        ScheduledRun.objects.filter(name=job.name).update(last_slot=at(3, 3, 0))  # a new slot: really run it
        schedule.run(job.name, at(4, 3, 1))
    rows = {row.name: row for row in ScheduledRun.objects.all()}
    assert {name: row.status for name, row in rows.items()} == {
        job.name: ScheduledRun.Status.SUCCEEDED for job in schedule.registered()
    }


# ----- two schedulers ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_schedulers_do_not_double_run(registry):
    job = registry.register("test.probe", task=probe_task, at=Daily(7, 0), title="探针")
    # both schedulers see the job due before either claims it (the race), then both try to claim
    seen_by_a, seen_by_b = registry.due(at(4, 7, 0)), registry.due(at(4, 7, 0, 1))
    assert seen_by_a == seen_by_b == [(job, at(4, 7, 0))]
    won_a, _ = registry.claim(job, at(4, 7, 0))
    won_b, _ = registry.claim(job, at(4, 7, 0))
    assert (won_a, won_b) == (True, False)
    assert registry.tick(at(4, 7, 0, 2)) == [] and CALLS == []  # nothing enqueued twice


# ----- the operator's page and the command -----------------------------------------------------------


@pytest.mark.django_db
def test_the_schedule_page_is_for_a_superuser_only(world, client_as):
    ScheduledRun.objects.create(
        name="dues.suggestions",
        status=ScheduledRun.Status.FAILED,
        error="出错了：数据库超时",
        last_slot=at(4, 1, 0),
        duration=datetime.timedelta(seconds=2.5),
    )
    url = reverse("schedule")
    page = client_as(world.users["admin"]).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "不交党费、失去联系处置建议" in text and "失败" in text and "出错了：数据库超时" in text
    assert "每天 07:00（北京时间）" in text and "从未运行" in text and "2.5" in text
    for role in ("xian", "sheng", "zhibu", "dangyuan"):
        assert client_as(world.users[role]).get(url).status_code == 404


@pytest.mark.django_db
def test_scheduler_command_once_and_list(registry, capsys):
    registry.register("test.probe", task=probe_task, at=Every(5), title="探针")
    call_command("scheduler", once=True)
    assert CALLS == ["probe"]
    call_command("scheduler", once=True)
    assert CALLS == ["probe"]  # same slot: nothing
    call_command("scheduler", run="test.probe")
    assert CALLS == ["probe", "probe"]
    call_command("scheduler", list=True)
    assert "test.probe" in capsys.readouterr().out


def test_demo_supervisor_restarts_a_child_that_died():
    from qiangji.tooling.management.commands.demo import Supervisor

    class Out:
        lines: list[str] = []

        def write(self, text):
            self.lines.append(text)

    out = Out()
    supervisor = Supervisor(
        {
            "短命": [sys.executable, "-c", "pass"],
            "长命": [sys.executable, "-c", "import time; time.sleep(60)"],
        },
        out=out,
    )
    try:
        supervisor.processes["短命"].wait(timeout=30)
        first = supervisor.processes["短命"].pid
        assert supervisor.check() == ["短命"]
        assert supervisor.processes["短命"].pid != first and "重新启动" in out.lines[-1]
        supervisor.MAX_RESTARTS = 1
        supervisor.processes["短命"].wait(timeout=30)
        assert supervisor.check() == []  # died again at once: given up, and said so
        assert "不再重启" in out.lines[-1] and supervisor.processes["长命"].poll() is None
    finally:
        supervisor.stop()
    assert supervisor.processes["长命"].poll() is not None


# ----- the documented RQ worker, for real --------------------------------------------------------------


def test_the_readme_documents_exactly_the_worker_command_this_test_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(qiangji rqworker[^`]*)`", readme))
    assert documented == {WORKER_COMMAND}


def _redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(
            f"Redis is not reachable at {REDIS_URL} ({error}): the real-worker test needs it (CI has it)"
        )
    return client


def _database_for_subprocesses(tmp_path):
    """A database URL the child processes can open with the test's tables and rows, and a reader of its
    periodic-job rows.  An in-memory SQLite test database is copied to a file first."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            target = tmp_path / "worker.sqlite3"
            connection.ensure_connection()
            copy = sqlite3.connect(target)
            connection.connection.backup(copy)
            # WAL before the children start: two processes switching a fresh file to WAL at once (the
            # settings' init_command) can get "database is locked" without waiting for the busy timeout.
            copy.execute("PRAGMA journal_mode=WAL")
            copy.close()
        else:
            target = Path(settings["NAME"])

        def read():
            with sqlite3.connect(target, timeout=30) as db:
                return db.execute("SELECT name, status, error FROM core_scheduledrun").fetchall()

        return f"sqlite:///{target}", read
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    return url, lambda: list(ScheduledRun.objects.values_list("name", "status", "error"))


def _stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.terminate()  # SIGTERM: RQ's warm shutdown
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return process.stdout.read() if process.stdout else ""


@pytest.mark.django_db(transaction=True)
def test_a_real_rq_worker_runs_the_jobs_two_real_schedulers_enqueued(tmp_path):
    """Two `qiangji scheduler --once` processes race on a fresh database; the queue holds each job once;
    the README's worker command, started as a process, runs every one of them to success."""
    client = _redis()
    from rq import Queue

    lock = client.lock("qiangji:test_schedule:rqworker", timeout=300, blocking_timeout=300)
    assert lock.acquire(), "another test run held the Redis test lock for 5 minutes"
    queue = Queue("default", connection=client)
    worker = None
    try:
        _empty(queue)
        url, read_runs = _database_for_subprocesses(tmp_path)
        venv_bin = str(Path(sys.executable).parent)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "qiangji.settings",
            "QIANGJI_TASK_BACKEND": "rq",
            "QIANGJI_REDIS_URL": REDIS_URL,
            "QIANGJI_DATABASE_URL": url,
            "QIANGJI_DB_CONN_MAX_AGE": "0",
            "QIANGJI_VAR_DIR": str(tmp_path / "var"),
            "QIANGJI_SECRET_KEY": "test-secret-not-secret",
            "QIANGJI_DATA_KEY": "test-data-key-not-secret",
            "PATH": venv_bin + os.pathsep + os.environ["PATH"],
        }
        qiangji = shutil.which("qiangji", path=env["PATH"])
        assert qiangji, "the qiangji console script is not installed next to this Python"

        schedulers = [
            subprocess.Popen(
                [qiangji, "scheduler", "--once"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [s.communicate(timeout=120)[0] for s in schedulers]
        assert [s.returncode for s in schedulers] == [0, 0], outputs
        names = sorted(job.name for job in schedule.registered())
        enqueued = sorted(re.findall(r"已交给后台任务：(\S+)", "".join(outputs)))
        assert enqueued == names, outputs  # every job once between the two schedulers, none twice
        assert queue.count == len(names)

        argv = shlex.split(WORKER_COMMAND)
        worker = subprocess.Popen(
            [qiangji, *argv[1:]], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        deadline = time.monotonic() + 180
        runs: list = []
        while time.monotonic() < deadline and worker.poll() is None:
            runs = read_runs()
            if sorted(name for name, status, _ in runs if status in ("succeeded", "failed")) == names:
                break
            time.sleep(1)
        assert worker.poll() is None, f"the worker exited: {_stop(worker)}"
        failed = {name: error for name, status, error in runs if status != "succeeded"}
        assert not failed and sorted(name for name, _, _ in runs) == names, (
            f"runs: {runs}\nworker output:\n{_stop(worker)}"
        )
    finally:
        if worker is not None:
            _stop(worker)
        _empty(queue)
        lock.release()


def _empty(queue) -> None:
    """The queue and its deferred jobs (the dashboard's refresh, nudged by the jobs' audit entries)."""
    queue.empty()
    for job_id in queue.scheduled_job_registry.get_job_ids():
        queue.scheduled_job_registry.remove(job_id, delete_job=True)


@pytest.mark.django_db(transaction=True)
def test_the_demo_backend_runs_a_scheduled_job_through_db_worker(registry, settings):
    """The demo's path: the database task backend, `qiangji db_worker` (here in batch mode) runs the run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    registry.register("test.probe", task=probe_task, at=Every(10), title="探针", kwargs={"label": "演示"})
    assert registry.tick() == ["test.probe"]
    assert (
        CALLS == [] and ScheduledRun.objects.get().status == ScheduledRun.Status.QUEUED
    )  # waits for the worker
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)
    row = ScheduledRun.objects.get()
    assert CALLS == ["演示"] and row.status == ScheduledRun.Status.SUCCEEDED and row.result["label"] == "演示"
