"""`make faults` (issue #13 item 2): inject faults into a real deployment shape and assert the outcome.

Each scenario runs against its own scratch deployment (a temporary QIANGJI_VAR_DIR, a SQLite file
database, or a scratch PostgreSQL database), with real processes (`qiangji db_worker`, `qiangji runserver`)
started and killed by this script, and prints one line per assertion; the exit status is non-zero if any
fails.

1. kill -9 of the job worker in the middle of a large roster import (SQLite): a write by another client
   during the import succeeds within a few seconds (the import holds no long write lock); after the kill
   the job's lease expires and the scheduler's tick marks it failed, nothing of the file is published,
   the upload and the staging table are gone; a rerun on a new worker imports every row.
2. PostgreSQL unreachable (a TCP proxy in front of the server is stopped, then started again): the
   running application answers 503 with the Chinese message, JSON under /api/, during the outage and
   200 again afterwards without a restart. Needs a PostgreSQL at QIANGJI_FAULTS_PG (default
   postgres://postgres@127.0.0.1:5432/postgres); skipped with a note otherwise.
3. Redis down (QIANGJI_REDIS_URL at a port where nothing listens): pages and the API keep answering.

    python -m qiangji.tooling.faults.run [--rows N] [--only 1,2,3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("QIANGJI_FAULTS_PORT", "8108"))
RESULTS: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> bool:
    RESULTS.append((name, bool(ok), detail))
    print(f"  {'PASS' if ok else 'FAIL'}  {name}{'  (' + detail + ')' if detail else ''}", flush=True)
    return ok


def _env(var_dir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QIANGJI_")}
    env.update(
        QIANGJI_VAR_DIR=str(var_dir),
        QIANGJI_SECRET_KEY="faults-secret-key",
        QIANGJI_DATA_KEY="faults-data-key",
        QIANGJI_BACKUP_KEY="faults-backup-key",
        QIANGJI_DEBUG="0",
        DJANGO_SETTINGS_MODULE="qiangji.settings",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def _manage(env, *args, check_rc=True, timeout=900):
    result = subprocess.run(
        [PYTHON, "-m", "qiangji", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if check_rc and result.returncode:
        raise RuntimeError(f"qiangji {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _shell(env, code: str, timeout=600) -> dict:
    """Run Django code in a fresh process of the deployment; it prints one JSON line."""
    result = subprocess.run(
        [PYTHON, "-c", "import django; django.setup()\n" + code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(f"shell failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- 1. kill -9 of a job worker mid-import -----------------------------------------------------------

SETUP_IMPORT = """
import json, os
from qiangji.members.bench.roster import generate_roster, scratch_tree
from qiangji.testing import add_member
tree = scratch_tree(20)
user = tree.user
user.is_active = True
user.save()
from qiangji.orgs.models import Organisation
branch = Organisation.objects.filter(path__startswith=tree.root_path, kind="branch").first()
probe = add_member(branch, "并发写入")
for name in ("first", "second"):
    generate_roster(os.path.join(os.environ["QIANGJI_VAR_DIR"], f"{name}.csv"), ROWS,
                    branch_names=tree.branch_names, fmt="csv", region=tree.region)
print(json.dumps({"user": user.pk, "probe": probe.pk}))
"""

START_IMPORT = """
import json, os, shutil
from django.contrib.auth import get_user_model
from qiangji.core.jobs import start_job
from qiangji.members.roster.jobs import IMPORT_KIND, import_roster_task
user = get_user_model().objects.get(pk=USER)
upload = os.path.join(os.environ["QIANGJI_VAR_DIR"], "imports", "NAME-upload.csv")
os.makedirs(os.path.dirname(upload), exist_ok=True)
shutil.copy(os.path.join(os.environ["QIANGJI_VAR_DIR"], "NAME.csv"), upload)
job = start_job(actor=user, kind=IMPORT_KIND, org_path="", params={"path": upload, "file_name": "NAME.csv"},
                task=import_roster_task)
print(json.dumps({"job": str(job.pk), "upload": upload}))
"""

STATE = """
import json
from django.core.cache import cache
from qiangji.core.models import Job
from qiangji.members.models import Member
from qiangji.members.roster import staging
job = Job.objects.get(pk=JOB)
print(json.dumps({"status": job.status, "message": job.message, "progress": cache.get(f"job:{job.pk}:progress"),
                  "imported": Member.objects.filter(org_path__startswith=ROOTPATH).count(),
                  "staging": staging.leftover_tables()}))
"""


def scenario_worker_killed(rows: int) -> None:
    print(f"1. kill -9 of the job worker in the middle of a {rows:,}-row import (SQLite)", flush=True)
    var_dir = Path(tempfile.mkdtemp(prefix="qiangji-faults-"))
    env = _env(var_dir, QIANGJI_JOB_LEASE_SECONDS="6", QIANGJI_IMPORT_PROCESSES="1")
    _manage(env, "migrate", "-v0")
    ids = _shell(env, f"ROWS = {rows}\n" + SETUP_IMPORT)
    root_path = _shell(
        env,
        "import json\nfrom qiangji.orgs.models import Organisation\n"
        "print(json.dumps({'p': Organisation.objects.filter(code__startswith='BENCH-').order_by('path').first().path}))",
    )["p"]

    def state(job):
        return _shell(env, f"JOB = {job!r}\nROOTPATH = {root_path!r}\n" + STATE)

    started = _shell(env, f"USER = {ids['user']}\n" + START_IMPORT.replace("NAME", "first"))
    worker = subprocess.Popen(
        [PYTHON, "-m", "qiangji", "db_worker", "--interval", "0.5"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    database = var_dir / "qiangji.sqlite3"
    table = "members_import_staging_" + started["job"].replace("-", "")

    def staged() -> int:
        # read straight from the database file (another client), fast enough to catch the import mid-way
        with contextlib.closing(sqlite3.connect(database, timeout=30)) as db:
            try:
                return db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            except sqlite3.OperationalError:
                return 0

    try:
        deadline = time.monotonic() + 600
        progress = 0
        write_seconds = None
        while time.monotonic() < deadline:
            progress = staged()
            if write_seconds is None and progress >= 0.1 * rows:
                began = time.monotonic()
                with contextlib.closing(sqlite3.connect(database, timeout=30)) as db:
                    db.execute(
                        "UPDATE members_member SET address = ? WHERE id = ?", ["并发写入", ids["probe"]]
                    )
                    db.commit()
                write_seconds = time.monotonic() - began
            if progress >= 0.3 * rows:
                break
            time.sleep(0.2)
        check("the import is running at ≥ 30 %", progress >= 0.3 * rows, f"{progress:,} rows staged")
        check(
            "a concurrent write during the import succeeds within 5 s",
            write_seconds is not None and write_seconds < 5,
            f"{write_seconds:.2f} s" if write_seconds is not None else "not tried",
        )
        os.kill(worker.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)  # its helper processes too
        worker.wait()
        time.sleep(7)  # the lease (6 s) expires
        tick = _manage(env, "scheduler", "--once", check_rc=False)
        after = state(started["job"])
        check(
            "the scheduler's tick marks the lost job failed",
            after["status"] == "failed",
            after["message"] or tick.stderr[-200:],
        )
        check(
            "nothing of the file was published",
            after["imported"] == 1,
            f"{after['imported'] - 1} rows of the file",
        )
        check("the upload is deleted", not Path(started["upload"]).exists())
        check("the staging table is dropped", after["staging"] == [], str(after["staging"]))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
    rerun = _shell(env, f"USER = {ids['user']}\n" + START_IMPORT.replace("NAME", "second"))
    worker = subprocess.Popen(
        [PYTHON, "-m", "qiangji", "db_worker", "--interval", "0.5"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            current = state(rerun["job"])
            if current["status"] in ("succeeded", "failed"):
                break
            time.sleep(1)
        check("a rerun on a new worker completes", current["status"] == "succeeded", current["message"])
        check(
            "every row of the rerun is imported",
            current["imported"] == rows + 1,
            f"{current['imported'] - 1:,} of {rows:,}",
        )
        check("the rerun's upload is deleted", not Path(rerun["upload"]).exists())
        verify = _manage(env, "verify_audit", "--seal", check_rc=False)
        check(
            "the audit chain verifies",
            verify.returncode == 0,
            verify.stdout.strip().splitlines()[-1] if verify.stdout else verify.stderr[-200:],
        )
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)


# --- 2. PostgreSQL unreachable -----------------------------------------------------------------------


class Proxy:
    """A TCP forwarder 127.0.0.1:port → target; stop() closes the listener and every connection."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.running = False

    def start(self):
        if self.sock.fileno() == -1:
            self.sock = socket.socket()
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(50)
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self.running:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                b.shutdown(socket.SHUT_RDWR)

    def stop(self):
        self.running = False
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() (close() alone does not)
        self.sock.close()
        for conn in self.conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
                conn.close()
        self.conns = []


def _get(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def _server(env):
    server = subprocess.Popen(
        [PYTHON, "-m", "qiangji", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("the server did not start")


def scenario_postgres_down() -> None:
    print("2. PostgreSQL unreachable while the application runs", flush=True)
    base = os.environ.get("QIANGJI_FAULTS_PG", "postgres://postgres@127.0.0.1:5432/postgres")
    host_port = base.split("@", 1)[1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    try:
        socket.create_connection((host, int(port or 5432)), timeout=2).close()
    except OSError:
        check("PostgreSQL reachable for this scenario", True, "SKIPPED: no PostgreSQL at " + host_port)
        return
    database = "qiangji_faults_hardening"
    admin_env = _env(Path(tempfile.mkdtemp(prefix="qiangji-faults-")))
    subprocess.run(["psql", base, "-qc", f"DROP DATABASE IF EXISTS {database}"], capture_output=True)
    subprocess.run(["psql", base, "-qc", f"CREATE DATABASE {database}"], capture_output=True, check=True)
    proxy = Proxy((host, int(port or 5432)))
    proxy.start()
    url = base.rsplit("/", 1)[0].replace(host_port, f"127.0.0.1:{proxy.port}") + f"/{database}"
    env = {**admin_env, "QIANGJI_DATABASE_URL": url, "QIANGJI_DB_CONN_MAX_AGE": "60"}
    _manage(env, "migrate", "-v0")
    _shell(
        env,
        "import json\nfrom django.contrib.auth import get_user_model\n"
        "get_user_model().objects.create_user('faults', password='Faults-pw-2026')\nprint('{}')",
    )
    server = _server(env)
    body = json.dumps({"username": "faults", "password": "Faults-pw-2026"}).encode()
    api = f"http://127.0.0.1:{PORT}/api/v1/auth/token/"
    headers = {"Content-Type": "application/json"}
    try:
        status, _text, _ = _get(api, body, headers)
        check("before: the API answers 200", status == 200, str(status))
        proxy.stop()
        status, text, hdrs = _get(api, body, headers)
        check("during the outage: 503", status == 503, str(status))
        check(
            "during the outage: the Chinese message in the error shape",
            "数据库暂时无法连接" in text and '"code": "service_unavailable"' in text.replace('":"', '": "'),
            text[:120],
        )
        proxy.start()
        time.sleep(1)
        statuses = [_get(api, body, headers)[0] for _ in range(3)]
        check("after: the API answers 200 again without a restart", statuses[-1] == 200, str(statuses))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        proxy.stop()
        subprocess.run(
            ["psql", base, "-qc", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"], capture_output=True
        )


# --- 3. Redis down -----------------------------------------------------------------------------------


def scenario_redis_down() -> None:
    print("3. Redis down (nothing listening at QIANGJI_REDIS_URL)", flush=True)
    var_dir = Path(tempfile.mkdtemp(prefix="qiangji-faults-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    env = _env(var_dir, QIANGJI_REDIS_URL=f"redis://127.0.0.1:{dead_port}/0", QIANGJI_TASK_BACKEND="db")
    _manage(env, "migrate", "-v0")
    _shell(
        env,
        "import json\nfrom django.contrib.auth import get_user_model\n"
        "get_user_model().objects.create_user('faults', password='Faults-pw-2026')\nprint('{}')",
    )
    server = _server(env)
    try:
        status, _t, _h = _get(f"http://127.0.0.1:{PORT}/login/")
        check("the sign-in page answers 200", status == 200, str(status))
        body = json.dumps({"username": "faults", "password": "Faults-pw-2026"}).encode()
        status, text, _h = _get(
            f"http://127.0.0.1:{PORT}/api/v1/auth/token/", body, {"Content-Type": "application/json"}
        )
        check("the API answers 200 (rate limits and cache fall back)", status == 200, f"{status} {text[:80]}")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=int(os.environ.get("QIANGJI_FAULTS_ROWS", "30000")))
    parser.add_argument("--only", default="1,2,3")
    options = parser.parse_args()
    chosen = set(options.only.split(","))
    started = time.monotonic()
    if "1" in chosen:
        scenario_worker_killed(options.rows)
    if "2" in chosen:
        scenario_postgres_down()
    if "3" in chosen:
        scenario_redis_down()
    failed = [name for name, ok, _ in RESULTS if not ok]
    print(f"== faults: {len(RESULTS)} assertions, {len(failed)} failed, {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
