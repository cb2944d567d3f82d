"""`qiangji bench checkin` (PostgreSQL); `compliance` lives in bench_compliance.py (imported here to register).

checkin: starts gunicorn on 127.0.0.1 (a free port) against the same database, prepares meetings with
many members and valid QR tokens, fires concurrent `POST /api/v1/life/checkin/` from client threads
(keep-alive http.client) for `--seconds`, and prints requests/s, p50/p99 latency and errors next to a
bare single-row INSERT rate measured on the same database in the same run (same number of client
threads, one autocommit INSERT each time).  The server is stopped by its PID.

"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

from django.core.management import CommandError
from django.db import connection

from qiangji.core.bench import Benchmark, BenchReport, register
from qiangji.life.bench_compliance import ComplianceBenchmark  # noqa: F401  (registers "compliance")
from qiangji.life.bench_data import CheckinFixture

GOAL_CHECKIN = "目标：≥ 1,500 次签到/秒，p99 ≤ 100 ms，0 错误（PostgreSQL，2 核；客户端与服务器争用同一机器）"


def _require_postgres():
    if connection.vendor != "postgresql":
        raise CommandError("该基准需要 PostgreSQL：请设置 QIANGJI_DATABASE_URL 或 --database-url")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


class Server:
    """gunicorn (gthread workers, keep-alive) on loopback; stopped by PID."""

    def __init__(self, workers: int, threads: int):
        self.port = _free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qiangji.settings", "QIANGJI_DB_CONN_MAX_AGE": "600"}
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "qiangji.wsgi:application", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
             "--worker-class", "gthread", "--threads", str(threads), "--keep-alive", "30", "--log-level", "warning",
             "--backlog", "2048"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError("gunicorn 未能启动：" + self.process.stderr.read().decode()[-2000:])
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/v1/life/meeting-types/")
                conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn 在 60 秒内没有就绪")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _fire(port: int, pairs, tokens, keys, stop_at: float, latencies: list, errors: list, lock) -> None:
    """One client thread: keep-alive connection, one check-in at a time until time or pairs run out."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    mine, failed = [], []
    while time.perf_counter() < stop_at:
        try:
            meeting_index, member_index = next(pairs)
        except StopIteration:
            break
        body = json.dumps({"token": tokens[meeting_index]})
        started = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/life/checkin/", body=body, headers={
                "Authorization": f"Token {keys[member_index]}", "Content-Type": "application/json"})
            response = conn.getresponse()
            payload = response.read()
            if response.status != 201:
                failed.append(f"{response.status} {payload[:120]!r}")
        except (OSError, http.client.HTTPException) as error:
            failed.append(repr(error))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine.append(time.perf_counter() - started)
    conn.close()
    with lock:
        latencies.extend(mine)
        errors.extend(failed)


def run_clients(port: int, fixture: CheckinFixture, clients: int, seconds: float) -> dict:
    total = len(fixture.tokens) * len(fixture.keys)
    pairs = iter([(m, u) for m in range(len(fixture.tokens)) for u in range(len(fixture.keys))])
    latencies, errors, lock = [], [], threading.Lock()
    started = time.perf_counter()
    threads = [threading.Thread(target=_fire, args=(port, pairs, fixture.tokens, fixture.keys, started + seconds,
                                                    latencies, errors, lock)) for _ in range(clients)]
    cpu = os.times()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    client_cpu = sum(os.times()[:2]) - sum(cpu[:2])
    return {"requests": len(latencies), "seconds": elapsed, "rate": len(latencies) / elapsed,
            "p50_ms": _percentile(latencies, 0.50) * 1000, "p99_ms": _percentile(latencies, 0.99) * 1000,
            "errors": len(errors), "error_sample": errors[:5], "capacity": total, "client_cpu_s": client_cpu}


def bare_insert_rate(clients: int, seconds: float) -> float:
    """Single-row autocommit INSERTs into a scratch table, from `clients` threads with their own connections."""
    import psycopg

    settings = connection.settings_dict
    params = {"host": settings["HOST"] or None, "port": settings["PORT"] or None, "user": settings["USER"],
              "password": settings["PASSWORD"] or None, "dbname": settings["NAME"], "autocommit": True}
    table = f"bench_bare_insert_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**params) as conn:
        conn.execute(f"CREATE TABLE {table} (id bigserial PRIMARY KEY, meeting_id bigint, member_id bigint, "
                     f"checked_in_at timestamptz)")
    counts, stop_at = [], time.perf_counter() + seconds

    def insert():
        n = 0
        with psycopg.connect(**params) as conn:
            while time.perf_counter() < stop_at:
                conn.execute(f"INSERT INTO {table} (meeting_id, member_id, checked_in_at) VALUES (%s, %s, now())",
                             (1, n))
                n += 1
        counts.append(n)

    threads = [threading.Thread(target=insert) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    with psycopg.connect(**params) as conn:
        conn.execute(f"DROP TABLE {table}")
    return sum(counts) / elapsed


@register
class CheckinBenchmark(Benchmark):
    name = "checkin"
    help = "并发扫码签到（gunicorn + PostgreSQL）vs. 单行 INSERT（--seconds 30 --clients 8）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seconds", type=float, default=30, help="压测时长（秒，默认30）")
        parser.add_argument("--clients", type=int, default=8, help="客户端线程数（默认8）")
        parser.add_argument("--members", type=int, default=3000, help="参会党员数（默认3000）")
        parser.add_argument("--meetings", type=int, default=20, help="会议数（每个会议一个签到码，默认20）")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn 进程数（默认4）")
        parser.add_argument("--threads", type=int, default=2, help="每个 gunicorn 进程的线程数（默认2）")
        parser.add_argument("--insert-seconds", type=float, default=5, help="单行 INSERT 对照时长（默认5秒）")

    def run(self, options: dict, log) -> BenchReport:
        _require_postgres()
        log(f"准备 {options['members']} 名党员、{options['meetings']} 个会议 …")
        fixture = CheckinFixture.create(options["members"], options["meetings"])
        server = Server(options["workers"], options["threads"])
        try:
            server.wait_ready()
            log(f"gunicorn PID {server.process.pid} 端口 {server.port}；预热 …")
            run_clients(server.port, fixture.warmup(), 4, 2)
            log(f"压测 {options['seconds']:.0f} 秒，{options['clients']} 个客户端线程 …")
            result = run_clients(server.port, fixture, options["clients"], options["seconds"])
        finally:
            server.stop()
            log("已停止 gunicorn；测单行 INSERT …")
        try:
            inserts = bare_insert_rate(options["clients"], options["insert_seconds"])
            recorded = fixture.recorded()
        finally:
            log("清理临时数据 …")
            fixture.cleanup()
        return self._report(result, inserts, recorded, options)

    def _report(self, result: dict, inserts: float, recorded: int, options: dict) -> BenchReport:
        ratio = result["rate"] / inserts if inserts else None
        rows = [
            ("签到请求", f"{result['requests']:,}（{result['seconds']:.1f} s，容量 {result['capacity']:,} 对）"),
            ("签到速率", f"{result['rate']:,.0f} 次/秒"),
            ("延迟 p50 / p99", f"{result['p50_ms']:.1f} ms / {result['p99_ms']:.1f} ms"),
            ("错误", f"{result['errors']}" + (f"（例：{result['error_sample'][0]}）" if result["errors"] else "")),
            ("库中出席记录", f"{recorded:,}"),
            ("单行 INSERT（同库、同并发）", f"{inserts:,.0f} 行/秒"),
            ("服务器", f"gunicorn gthread {options['workers']}×{options['threads']}，客户端 {options['clients']} 线程"
                     f"（客户端 CPU {result['client_cpu_s']:.1f} s）"),
            ("CPU", f"{os.cpu_count()} 核，负载 {os.getloadavg()[0]:.1f}"),
        ]
        summary = (f"签到 {result['rate']:,.0f}/s，p50 {result['p50_ms']:.1f} ms，p99 {result['p99_ms']:.1f} ms，"
                   f"错误 {result['errors']}；单行 INSERT {inserts:,.0f}/s；比值 {ratio:.3f}" if ratio else "")
        return BenchReport("checkin", rows, summary, ratio, GOAL_CHECKIN,
                           data={**{k: v for k, v in result.items() if k != "error_sample"},
                                 "insert_rate": inserts, "recorded": recorded})
