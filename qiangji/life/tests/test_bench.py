import json
import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from qiangji.life.bench import checkin as bench
from qiangji.tooling.bench import discover, percentile


def test_benchmarks_are_registered():
    names = discover()
    assert {"checkin", "compliance"} <= set(names)


def test_percentile_is_nearest_rank_and_free_port():
    hundred = [float(i) for i in range(100, 0, -1)]
    assert (
        percentile(hundred, 0.99) == 99.0
        and percentile(hundred, 1.0) == 100.0
        and percentile(hundred, 0.5) == 50.0
    )
    assert percentile([1.0, 2.0], 0.5) == 1.0 and percentile([7.0], 0.95) == 7.0
    assert math.isnan(percentile([], 0.5))
    assert 1024 < bench._free_port() < 65536


@pytest.mark.django_db
def test_benchmarks_refuse_sqlite():
    from django.core.management import CommandError
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("the refusal is for SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        bench.CheckinBenchmark().run({}, log=print)


def test_checkin_options_follow_the_scale():
    assert bench.checkin_options({"scale": "small"})["seconds"] == 5
    assert bench.checkin_options({})["seconds"] == 30 and bench.checkin_options({})["scale"] == "full"
    assert bench.checkin_options({"scale": "small", "seconds": 12.0})["seconds"] == 12
    opts = bench.checkin_options({"scale": "full", "workers": 3, "threads": None})
    assert (
        opts["workers"] == 3 and opts["threads"] == bench.DEFAULTS["threads"] and opts["server"] == "granian"
    )


def test_requests_are_prebuilt_http():
    fixture = bench.CheckinFixture(None, [], [], ["tok-a", "tok-b"], ["k1", "k2", "k3"], [])
    requests = bench.build_requests(8123, fixture)
    assert len(requests) == 6
    head, body = requests[0].split(b"\r\n\r\n")
    assert head.startswith(b"POST /api/v1/life/checkin/ HTTP/1.1\r\nHost: 127.0.0.1:8123\r\n")
    assert b"Authorization: Token k1" in head and json.loads(body) == {"token": "tok-a"}
    assert f"Content-Length: {len(body)}".encode() in head
    assert b"Token k1" in requests[3] and b"tok-b" in requests[3]  # meeting by meeting


class _Answer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real servers

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status, payload = (400, b'{"code":"invalid"}') if b"bad" in body else (201, b'{"detail":"ok"}')
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def answering_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_load_client_counts_answers_errors_and_its_cpu(answering_server):
    fixture = bench.CheckinFixture(
        None, [], [], ["good-1", "bad-1", "good-2"], [f"k{i}" for i in range(20)], []
    )
    requests = bench.build_requests(answering_server, fixture)
    result = bench.run_load(answering_server, requests, processes=2, connections=3, seconds=5)
    assert (
        result["requests"] == 60 and result["capacity"] == 60
    )  # every pair sent once, then the clients stop
    assert result["errors"] == 20 and result["error_sample"][0].startswith("HTTP/1.1 400")
    assert 0 < result["p50_ms"] <= result["p99_ms"] and result["client_cpu_s"] >= 0
    assert 0 <= result["machine_busy"] <= 1
