"""`qiangji bench checkin` (PostgreSQL); `compliance` lives in compliance.py (both registered by the package).

checkin: starts a real WSGI server (granian or gunicorn, `--server`) on 127.0.0.1 (a free port) against the same
database, prepares meetings with many members and valid QR codes, and fires concurrent `POST /api/v1/life/checkin/`
(API token, JSON body: what a phone app sends) for `--seconds`: every request a new (meeting, member) pair, so every
answer must be 201.  The load client is `--processes` processes, each an asyncio loop over `--connections` keep-alive
sockets sending pre-built request bytes; its own CPU time is reported.  Next to it, in the same run and on the same
database: a bare single-row autocommit INSERT rate from as many connections as the server has threads.  Servers are
stopped by their PID.  `--app django` measures Django alone (qiangji.wsgi:django_application), without the lean path.
"""

import array
import asyncio
import json
import multiprocessing
import os
import pickle
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import psutil
import psycopg
from django.core.management import CommandError
from django.db import connection

from qiangji.life.bench.data import CheckinFixture
from qiangji.life.fastpath import APPLICATION_NAME
from qiangji.tooling.bench import Benchmark, BenchReport, percentile, register, require_postgres

GOAL_CHECKIN = "目标：≥ 1,500 次签到/秒，p99 ≤ 100 ms，0 错误（PostgreSQL，2 核；客户端与服务器争用同一机器）"
CHECKIN_PATH = "/api/v1/life/checkin/"
APPS = {"lean": "qiangji.wsgi:application", "django": "qiangji.wsgi:django_application"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """granian (Rust HTTP, WSGI blocking threads) or gunicorn (gthread) on loopback; stopped by PID."""

    def __init__(self, kind: str, app: str, workers: int, threads: int):
        self.kind, self.workers, self.threads = kind, workers, threads
        self.port = _free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qiangji.settings", "QIANGJI_DB_CONN_MAX_AGE": "600"}
        bindir = os.path.dirname(sys.executable)
        if kind == "granian":
            command = [
                os.path.join(bindir, "granian"),
                "--interface",
                "wsgi",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--blocking-threads",
                str(threads),
                "--http",
                "1",
                "--no-ws",
                "--log-level",
                "warning",
                "--backlog",
                "2048",
                APPS[app],
            ]
        else:
            command = [
                os.path.join(bindir, "gunicorn"),
                APPS[app],
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--keep-alive",
                "30",
                "--log-level",
                "warning",
                "--backlog",
                "2048",
            ]
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=os.getcwd()
        )

    @property
    def label(self) -> str:
        return f"{self.kind} {self.workers} 进程 × {self.threads} 线程"

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"{self.kind} 未能启动：" + self.process.stderr.read().decode()[-2000:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                    sock.sendall(
                        b"GET /api/v1/life/meeting-types/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        b"Connection: close\r\n\r\n"
                    )
                    if sock.recv(12).startswith(b"HTTP/1.1"):
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise CommandError(f"{self.kind} 在 {timeout:.0f} 秒内没有就绪")

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and its worker processes so far."""
        try:
            root = psutil.Process(self.process.pid)
            total = 0.0
            for proc in [root, *root.children(recursive=True)]:
                try:
                    times = proc.cpu_times()
                    total += times.user + times.system
                except psutil.NoSuchProcess:
                    pass
            return total
        except psutil.NoSuchProcess:
            return float("nan")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()


def build_requests(port: int, fixture: CheckinFixture) -> list[bytes]:
    """One pre-built HTTP/1.1 request per (meeting, member) pair, meeting by meeting (a meeting fills up at once)."""
    head = f"POST {CHECKIN_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
    requests = []
    for token in fixture.tokens:
        body = json.dumps({"token": token}).encode()
        tail = f"Content-Length: {len(body)}\r\n\r\n".encode() + body
        requests.extend((head + f"Authorization: Token {key}\r\n").encode() + tail for key in fixture.keys)
    return requests


class _Connection(asyncio.Protocol):
    """One keep-alive socket: send a request, read the answer (status line + Content-Length), send the next."""

    def __init__(self, run: "_ClientRun"):
        self.run, self.buffer, self.need, self.started, self.inflight, self.transport = (
            run,
            b"",
            None,
            0.0,
            False,
            None,
        )

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.send_next()

    def send_next(self) -> None:
        request = self.run.next_request()
        if request is None:
            self.transport.close()
            return
        self.started, self.inflight = time.monotonic(), True
        self.transport.write(request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.need is None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].lower()
            at = head.find(b"\r\ncontent-length:")
            if at < 0:
                length = 0
            else:
                eol = head.find(b"\r\n", at + 2)
                length = int(head[at + 17 : eol if eol > 0 else len(head)])
            self.need = end + 4 + length
        if len(self.buffer) < self.need:
            return
        answer, self.buffer, self.need, self.inflight = (
            self.buffer[: self.need],
            self.buffer[self.need :],
            None,
            False,
        )
        self.run.done(answer, time.monotonic() - self.started)
        self.send_next()

    def connection_lost(self, exc) -> None:
        self.run.lost(self, exc)


class _ClientRun:
    def __init__(self, port: int, requests: list[bytes], connections: int, start_at: float, stop_at: float):
        self.port, self.requests, self.connections = port, iter(requests), connections
        self.start_at, self.stop_at = start_at, stop_at
        self.latencies, self.errors, self.sample = array.array("d"), 0, []
        self.open, self.finished, self.last, self.exhausted = 0, None, start_at, False

    def next_request(self) -> bytes | None:
        if time.monotonic() >= self.stop_at:
            return None
        request = next(self.requests, None)
        self.exhausted = self.exhausted or request is None
        return request

    def done(self, answer: bytes, latency: float) -> None:
        self.latencies.append(latency)
        self.last = time.monotonic()
        if not answer.startswith(b"HTTP/1.1 201"):
            self.error(
                answer[:12].decode(errors="replace")
                + " "
                + answer[answer.find(b"\r\n\r\n") + 4 :][:160].decode(errors="replace")
            )

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.sample) < 5:
            self.sample.append(text)

    def lost(self, conn: _Connection, exc) -> None:
        self.open -= 1
        if conn.inflight:  # the server closed or reset the socket before answering
            self.error(f"连接中断：{exc!r}")
            if time.monotonic() < self.stop_at and not self.exhausted:
                self.open += 1
                asyncio.get_running_loop().create_task(self.connect())
        if self.open == 0 and not self.finished.done():
            self.finished.set_result(None)

    async def connect(self) -> None:
        try:
            await asyncio.get_running_loop().create_connection(
                lambda: _Connection(self), "127.0.0.1", self.port
            )
        except OSError as error:
            self.error(f"无法连接：{error!r}")
            self.open -= 1
            if self.open == 0 and not self.finished.done():
                self.finished.set_result(None)

    async def main(self) -> None:
        self.finished = asyncio.get_running_loop().create_future()
        await asyncio.sleep(max(0.0, self.start_at - time.monotonic()))
        self.open = self.connections
        await asyncio.gather(*(self.connect() for _ in range(self.connections)))
        await self.finished


def _client_process(port, requests, connections, start_at, stop_at, pipe) -> None:
    run = _ClientRun(port, requests, connections, start_at, stop_at)
    try:
        asyncio.run(run.main())
    except Exception as error:  # reported, counted as one error
        run.errors += 1
        run.sample.append(repr(error))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    pipe.send_bytes(
        pickle.dumps(
            {
                "latencies": run.latencies.tobytes(),
                "errors": run.errors,
                "sample": run.sample,
                "last": run.last,
                "cpu": usage.ru_utime + usage.ru_stime,
            }
        )
    )
    pipe.close()


def _backend_cpu() -> dict[int, float]:
    """User + system CPU so far of each backend of the lean path's connections (application_name set by
    qiangji.life.fastpath.connect); PostgreSQL runs on this machine, so /proc tells."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = current_database()",
            [APPLICATION_NAME],
        )
        pids = [row[0] for row in cursor.fetchall()]
    spent = {}
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
            spent[pid] = times.user + times.system
        except psutil.Error:
            pass
    return spent


def _machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def run_load(port: int, requests: list[bytes], processes: int, connections: int, seconds: float) -> dict:
    """`processes` forked client processes (they touch no database), each with `connections` sockets."""
    context = multiprocessing.get_context("fork")
    start_at = time.monotonic() + 0.5
    stop_at = start_at + seconds
    workers, pipes = [], []
    for index in range(processes):
        receive, send = context.Pipe(duplex=False)
        worker = context.Process(
            target=_client_process,
            daemon=True,
            args=(port, requests[index::processes], connections, start_at, stop_at, send),
        )
        worker.start()
        send.close()
        workers.append(worker)
        pipes.append(receive)
    busy_before = _machine_busy()
    results = [pickle.loads(pipe.recv_bytes()) for pipe in pipes]
    busy_after = _machine_busy()
    for worker in workers:
        worker.join()
    latencies = array.array("d")
    for result in results:
        latencies.frombytes(result["latencies"])
    elapsed = max(result["last"] for result in results) - start_at
    errors = sum(result["errors"] for result in results)
    client_cpu = sum(result["cpu"] for result in results)
    busy, total = busy_after[0] - busy_before[0], busy_after[1] - busy_before[1]
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rate": len(latencies) / elapsed if elapsed > 0 else 0.0,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "errors": errors,
        "error_sample": [s for result in results for s in result["sample"]][:5],
        "capacity": len(requests),
        "client_cpu_s": client_cpu,
        "client_cpu_share": client_cpu / (elapsed * (os.cpu_count() or 1)) if elapsed > 0 else 0.0,
        "machine_busy": busy / total if total else 0.0,
    }


def bare_insert_rate(clients: int, seconds: float) -> float:
    """Single-row autocommit INSERTs into a scratch table, from `clients` threads with their own connections."""
    settings = connection.settings_dict
    params = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
        "dbname": settings["NAME"],
        "autocommit": True,
    }
    table = f"bench_bare_insert_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**params) as conn:
        conn.execute(
            f"CREATE TABLE {table} (id bigserial PRIMARY KEY, meeting_id bigint, member_id bigint, "
            f"checked_in_at timestamptz)"
        )
    counts, stop_at = [], time.perf_counter() + seconds

    def insert():
        n = 0
        with psycopg.connect(**params) as conn:
            while time.perf_counter() < stop_at:
                conn.execute(
                    f"INSERT INTO {table} (meeting_id, member_id, checked_in_at) VALUES (%s, %s, now())",
                    (1, n),
                )
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


DEFAULTS = {
    "seconds": None,
    "processes": 2,
    "connections": 8,
    "members": 3000,
    "meetings": 30,
    "server": "granian",
    "app": "lean",
    "workers": 2,
    "threads": 16,
    "insert_seconds": 5.0,
}
SECONDS = {"full": 30.0, "small": 5.0}


def checkin_options(options: dict) -> dict:
    """The command's options over the defaults; the bench runner may pass only some (always `scale`)."""
    scale = options.get("scale") or "full"
    opts = {
        key: options.get(key) if options.get(key) is not None else value for key, value in DEFAULTS.items()
    }
    opts["seconds"] = opts["seconds"] or SECONDS.get(scale, SECONDS["full"])
    return {**opts, "scale": scale}


@register
class CheckinBenchmark(Benchmark):
    name = "checkin"
    help = "并发扫码签到（HTTP，真实 WSGI 服务器 + PostgreSQL）vs. 单行 INSERT（--seconds 30）"

    def add_arguments(self, parser) -> None:
        # --scale (added by the bench command for every benchmark): full 30 s, small 5 s; other options unchanged.
        parser.add_argument("--seconds", type=float, help="压测时长（秒；默认 --scale full 30，small 5）")
        parser.add_argument(
            "--processes", type=int, default=DEFAULTS["processes"], help="客户端进程数（默认2）"
        )
        parser.add_argument(
            "--connections",
            type=int,
            default=DEFAULTS["connections"],
            help="每个客户端进程的长连接数（默认8）",
        )
        parser.add_argument("--members", type=int, default=DEFAULTS["members"], help="参会党员数（默认3000）")
        parser.add_argument(
            "--meetings", type=int, default=DEFAULTS["meetings"], help="会议数（每个会议一个签到码，默认30）"
        )
        parser.add_argument(
            "--server",
            choices=("granian", "gunicorn"),
            default=DEFAULTS["server"],
            help="WSGI 服务器（默认 granian）",
        )
        parser.add_argument(
            "--app",
            choices=sorted(APPS),
            default=DEFAULTS["app"],
            help="lean：qiangji.wsgi:application（签到精简路径在前）；django：只走 Django",
        )
        parser.add_argument("--workers", type=int, default=DEFAULTS["workers"], help="服务器进程数（默认2）")
        parser.add_argument(
            "--threads", type=int, default=DEFAULTS["threads"], help="每个服务器进程的线程数（默认16）"
        )
        parser.add_argument(
            "--insert-seconds",
            type=float,
            default=DEFAULTS["insert_seconds"],
            help="单行 INSERT 对照时长（默认5秒）",
        )

    def run(self, options: dict, log) -> BenchReport:
        require_postgres()
        opts = checkin_options(options)
        log(f"准备 {opts['members']} 名党员、{opts['meetings']} 个会议 …")
        fixture = CheckinFixture.create(opts["members"], opts["meetings"])
        server = Server(opts["server"], opts["app"], opts["workers"], opts["threads"])
        try:
            server.wait_ready()
            log(
                f"{server.label}（PID {server.process.pid}，端口 {server.port}，{APPS[opts['app']]}）；预热 …"
            )
            run_load(
                server.port,
                build_requests(server.port, fixture.warmup()),
                1,
                opts["workers"] * opts["threads"],
                2,
            )
            requests = build_requests(server.port, fixture)
            log(
                f"压测 {opts['seconds']:.0f} 秒：{opts['processes']} 个客户端进程 × {opts['connections']} 个长连接 …"
            )
            server_cpu, database_cpu, load_before = server.cpu_seconds(), _backend_cpu(), os.getloadavg()[0]
            result = run_load(server.port, requests, opts["processes"], opts["connections"], opts["seconds"])
            result["server_cpu_s"] = server.cpu_seconds() - server_cpu
            after = _backend_cpu()  # a backend opened during the run counts whole
            result["database_cpu_s"] = sum(spent - database_cpu.get(pid, 0.0) for pid, spent in after.items())
            result["database_backends"] = len(after)
            result["load_before"], result["load_after"] = load_before, os.getloadavg()[0]
        finally:
            server.stop()
            log(f"已停止 {opts['server']}；测单行 INSERT …")
        try:
            inserts = bare_insert_rate(opts["workers"] * opts["threads"], opts["insert_seconds"])
            recorded = fixture.recorded()
        finally:
            log("清理临时数据 …")
            fixture.cleanup()
        return self._report(result, inserts, recorded, opts, server.label)

    def _report(self, result: dict, inserts: float, recorded: int, opts: dict, server: str) -> BenchReport:
        ratio = result["rate"] / inserts if inserts else None
        per_request = lambda seconds: seconds / result["requests"] * 1000 if result["requests"] else 0  # noqa: E731
        rows = [
            (
                "签到请求",
                f"{result['requests']:,}（{result['seconds']:.1f} s，容量 {result['capacity']:,} 对）",
            ),
            ("签到速率", f"{result['rate']:,.0f} 次/秒"),
            ("延迟 p50 / p99", f"{result['p50_ms']:.1f} ms / {result['p99_ms']:.1f} ms"),
            (
                "错误",
                f"{result['errors']}" + (f"（例：{result['error_sample'][0]}）" if result["errors"] else ""),
            ),
            ("库中出席记录", f"{recorded:,}"),
            ("单行 INSERT（同库，连接数 = 服务器线程数）", f"{inserts:,.0f} 行/秒"),
            (
                "服务器",
                f"{server}，{opts['app']}（{APPS[opts['app']]}）；CPU {result['server_cpu_s']:.1f} s"
                f"（{per_request(result['server_cpu_s']):.2f} ms/次）",
            ),
            (
                "客户端",
                f"{opts['processes']} 进程 × {opts['connections']} 长连接，asyncio；CPU {result['client_cpu_s']:.1f} s"
                f"（{per_request(result['client_cpu_s']):.2f} ms/次，占整机 {result['client_cpu_share']:.0%}）",
            ),
            (
                "PostgreSQL",
                f"签到连接的 {result['database_backends']} 个后端进程 CPU {result['database_cpu_s']:.1f} s"
                f"（{per_request(result['database_cpu_s']):.2f} ms/次；不含 WAL 写进程等）",
            ),
            (
                "CPU",
                f"{os.cpu_count()} 核，压测期间整机繁忙 {result['machine_busy']:.0%}，"
                f"1 分钟负载 压测前 {result['load_before']:.1f} → 压测后 {result['load_after']:.1f}（含本基准自身的进程）",
            ),
        ]
        summary = (
            f"签到 {result['rate']:,.0f}/s，p50 {result['p50_ms']:.1f} ms，p99 {result['p99_ms']:.1f} ms，"
            f"错误 {result['errors']}；单行 INSERT {inserts:,.0f}/s；比值 {ratio:.3f}"
            if ratio
            else ""
        )
        return BenchReport(
            "checkin",
            rows,
            summary,
            ratio,
            GOAL_CHECKIN,
            data={**result, "insert_rate": inserts, "recorded": recorded, "options": opts, "server": server},
        )
