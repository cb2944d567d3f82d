"""`qiangji bench soak [--minutes 10] [--share 0.7]` (issue #13 item 4).

Starts a real WSGI server (granian, as in production: ADR 0007) against the configured database, measures
the check-in rate for `--measure-seconds` (the `checkin` benchmark's load client, flat out), then runs
`--minutes` of mixed traffic paced at `--share` of that rate: QR check-ins (`POST /api/v1/life/checkin/`,
every one a new meeting/member pair, 201 expected), page views (`GET /login/`, 200), API reads
(`GET /api/v1/members/?limit=20` with a token, 200) and one roster import through the API in the middle
(`POST /api/v1/imports/`, its job must succeed). Reported: requests and errors by kind, p99 latency per
minute (stable: the last minute's p99 within 2 × the first's), and the server's resident memory (all its
processes) sampled every 5 s after a one-minute warm-up: growth < 10 % is the goal.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import uuid

import psutil
from django.db import connection

from qiangji.tooling.bench import Benchmark, BenchReport, percentile, register

GOAL = "目标：0 错误，常驻内存增长 < 10 %，p99 稳定（末分钟 ≤ 2 × 首分钟）"


def _rss_mb(pid: int) -> float:
    try:
        root = psutil.Process(pid)
        total = 0
        for proc in [root, *root.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total / 2**20
    except psutil.NoSuchProcess:
        return float("nan")


class _Paced:
    """`rate` requests per second from `threads` keep-alive connections; results by minute."""

    def __init__(
        self, port: int, kind: str, rate: float, threads: int, make_request, expect: int, stop_at: float
    ):
        self.port, self.kind, self.rate, self.make, self.expect, self.stop_at = (
            port,
            kind,
            rate,
            make_request,
            expect,
            stop_at,
        )
        self.threads = max(1, threads)
        self.lock = threading.Lock()
        self.by_minute: dict[int, list[float]] = {}
        self.errors = 0
        self.sent = 0
        self.samples: list[str] = []
        self.started = time.monotonic()

    def run(self) -> list[threading.Thread]:
        workers = [threading.Thread(target=self._loop, args=(i,), daemon=True) for i in range(self.threads)]
        for worker in workers:
            worker.start()
        return workers

    def _loop(self, index: int) -> None:
        interval = self.threads / self.rate if self.rate > 0 else 1.0
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        next_at = time.monotonic() + interval * index / self.threads
        while True:
            now = time.monotonic()
            if now >= self.stop_at:
                return
            if next_at > now:
                time.sleep(next_at - now)
            next_at += interval
            request = self.make()
            if request is None:
                return
            method, path, body, headers = request
            began = time.monotonic()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status, payload = 0, str(error).encode()
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            latency = time.monotonic() - began
            with self.lock:
                self.sent += 1
                self.by_minute.setdefault(int((began - self.started) // 60), []).append(latency)
                if status != self.expect:
                    self.errors += 1
                    if len(self.samples) < 5:
                        self.samples.append(f"{status} {payload[:120]!r}")


@register
class SoakBenchmark(Benchmark):
    name = "soak"
    help = "持续混合负载（签到、页面、API 读取、一次导入）：错误、内存增长、p99（--minutes 10）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--minutes", type=float, default=10, help="持续时间（分钟，默认 10）")
        parser.add_argument(
            "--share", type=float, default=0.7, help="签到速率占实测最大速率的比例（默认 0.7）"
        )
        parser.add_argument("--measure-seconds", type=float, default=10, help="测最大签到速率的时长（秒）")
        parser.add_argument("--workers", type=int, default=2, help="服务器进程数（默认 2）")
        parser.add_argument("--threads", type=int, default=8, help="每个服务器进程的线程数（默认 8）")
        parser.add_argument("--import-rows", type=int, default=2000, help="中途导入的名册行数（默认 2000）")

    def run(self, options: dict, log) -> BenchReport:
        from rest_framework.authtoken.models import Token

        from qiangji.core.choices import Role
        from qiangji.life.bench.checkin import Server, build_requests, run_load
        from qiangji.life.bench.data import CheckinFixture
        from qiangji.members.bench.roster import generate_roster
        from qiangji.orgs.models import Grant, Organisation

        minutes = max(0.2, float(options.get("minutes") or 10))
        share = float(options.get("share") or 0.7)
        log("准备数据 …")
        members, meetings = 400, 200
        fixture = CheckinFixture.create(members=members, meetings=meetings)
        server = Server("granian", "lean", int(options.get("workers") or 2), int(options.get("threads") or 8))
        try:
            server.wait_ready()
            port = server.port
            requests = build_requests(port, fixture)
            fixture.warmup()
            measure = float(options.get("measure_seconds") or 10)
            log(f"测量最大签到速率（{measure:.0f} 秒）…")
            measured_count = min(len(requests) // 3, 40_000)
            measured = run_load(port, requests[:measured_count], 1, 8, measure)
            max_rate = measured["rate"]
            rate = max(1.0, max_rate * share)
            remaining = iter(requests[measured_count:])
            log(
                f"最大 {max_rate:.0f} 次/秒；持续 {minutes:g} 分钟，签到 {rate:.0f} 次/秒 + 页面 + API 读取 + 一次导入"
            )

            def checkin_request():
                raw = next(remaining, None)
                if raw is None:
                    return None
                head, body = raw.split(b"\r\n\r\n", 1)
                lines = head.decode().split("\r\n")
                headers = dict(
                    line.split(": ", 1) for line in lines[1:] if not line.lower().startswith("host")
                )
                return "POST", "/api/v1/life/checkin/", body, headers

            reader_key = fixture.keys[0]

            def page_request():
                return "GET", "/login/", None, {}

            def api_request():
                return "GET", "/api/v1/members/?limit=20", None, {"Authorization": f"Token {reader_key}"}

            # the importer: a committee user over the fixture's tree
            root = Organisation.objects.get(pk=fixture.root.pk)
            branch = Organisation.objects.filter(path__startswith=root.path, kind="branch").first()
            fixture_user = Token.objects.get(key=reader_key).user
            grant = Grant.objects.create(
                user=fixture_user, organisation=root, org_path=root.path, role=Role.COMMITTEE
            )
            importer_key = reader_key
            roster = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"soak-{uuid.uuid4().hex[:8]}.csv")
            generate_roster(
                roster,
                int(options.get("import_rows") or 2000),
                branch_names=[branch.name],
                fmt="csv",
                region="912345",
            )
            connection.close()  # the server's processes write; this process only samples

            stop_at = time.monotonic() + minutes * 60
            streams = [
                _Paced(port, "签到", rate, 8, checkin_request, 201, stop_at),
                _Paced(port, "页面", 5, 2, page_request, 200, stop_at),
                _Paced(port, "API 读取", 5, 2, api_request, 200, stop_at),
            ]
            threads = [t for stream in streams for t in stream.run()]
            rss: list[tuple[float, float]] = []
            import_result = {"status": "未运行"}
            import_at = time.monotonic() + minutes * 30
            began = time.monotonic()
            while time.monotonic() < stop_at:
                rss.append((time.monotonic() - began, _rss_mb(server.process.pid)))
                if import_result["status"] == "未运行" and time.monotonic() >= import_at:
                    import_result = _import(port, importer_key, roster)
                time.sleep(5)
            for thread in threads:
                thread.join(timeout=40)
            rss.append((time.monotonic() - began, _rss_mb(server.process.pid)))
            if import_result.get("job"):
                import_result = _wait_job(port, importer_key, import_result["job"])
        finally:
            server.stop()
            try:
                grant.delete()
                from qiangji.members.models import Member

                # the members the soak's import added, before the fixture removes its tree
                Member.objects.filter(org_path__startswith=fixture.root.path).exclude(
                    pk__in=fixture.member_ids
                ).delete()
                fixture.cleanup()
            except Exception as error:  # the figures matter more than the scratch data
                log(f"清理临时数据未完成：{error}")
        warm = [value for at, value in rss if at >= min(60, minutes * 60 / 3)] or [
            value for _at, value in rss
        ]
        growth = (warm[-1] - warm[0]) / warm[0] * 100 if warm and warm[0] else float("nan")
        rows = [
            ("最大签到速率", f"{max_rate:,.0f} 次/秒"),
            ("持续负载", f"{minutes:g} 分钟，签到 {rate:,.0f} 次/秒"),
        ]
        total_errors = 0
        p99_first = p99_last = 0.0
        for stream in streams:
            minutes_seen = sorted(stream.by_minute)
            first = percentile(stream.by_minute[minutes_seen[0]], 0.99) * 1000 if minutes_seen else 0
            last = percentile(stream.by_minute[minutes_seen[-1]], 0.99) * 1000 if minutes_seen else 0
            total_errors += stream.errors
            if stream.kind == "签到":
                p99_first, p99_last = first, last
            rows.append(
                (
                    stream.kind,
                    f"{stream.sent:,} 次，错误 {stream.errors}，p99 首分钟 {first:.0f} ms / 末分钟 {last:.0f} ms"
                    + (f"；例：{stream.samples[0]}" if stream.samples else ""),
                )
            )
        rows.append(("导入", f"{import_result.get('status')} {import_result.get('message', '')}"))
        rows.append(("常驻内存（服务器全部进程）", f"{warm[0]:.0f} → {warm[-1]:.0f} MB（{growth:+.1f} %）"))
        ok = (
            total_errors == 0
            and growth < 10
            and (p99_last <= 2 * max(p99_first, 1))
            and import_result.get("status") == "succeeded"
        )
        summary = (
            f"soak {minutes:g} 分钟：{sum(s.sent for s in streams):,} 次请求，{total_errors} 个错误，"
            f"内存 {growth:+.1f} %，签到 p99 {p99_first:.0f}→{p99_last:.0f} ms — {'达标' if ok else '未达标'}"
        )
        return BenchReport(
            self.name,
            rows,
            summary,
            goal=GOAL,
            data={
                "max_rate": max_rate,
                "rate": rate,
                "minutes": minutes,
                "errors": total_errors,
                "rss_mb": rss,
                "rss_growth_percent": growth,
                "p99_first_ms": p99_first,
                "p99_last_ms": p99_last,
                "import": import_result,
                "ok": ok,
            },
        )


def _multipart(path: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    with open(path, "rb") as handle:
        content = handle.read()
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="soak.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _import(port: int, key: str, path: str) -> dict:
    body, content_type = _multipart(path)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request(
        "POST",
        "/api/v1/imports/",
        body=body,
        headers={"Authorization": f"Token {key}", "Content-Type": content_type},
    )
    response = conn.getresponse()
    data = response.read()
    try:
        answer = json.loads(data)
    except ValueError:
        return {"status": f"HTTP {response.status}", "message": data[:200].decode(errors="replace")}
    if not isinstance(answer, dict):
        return {"status": f"HTTP {response.status}", "message": ""}
    return {
        "status": answer.get("status", f"HTTP {response.status}"),
        "job": answer.get("id"),
        "message": answer.get("message", ""),
    }


def _wait_job(port: int, key: str, job_id: str) -> dict:
    from qiangji.core.models import Job

    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        job = Job.objects.filter(pk=job_id).first()
        if job is None or job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED):
            break
        time.sleep(2)
    return {"status": job.status if job else "missing", "message": job.message if job else "", "job": job_id}
