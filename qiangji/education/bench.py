"""`qiangji bench progress` (PostgreSQL): heartbeats of online courses, and the yearly ledger set-wise.

Heartbeats: `--threads` threads, each with its own database connection, call the heartbeat service
(`education.services.heartbeat`, the same code the API calls: lock the session row, check sequence, server
time × speed and the device, merge the interval, update the row, test completion) for `--seconds`
(30 by default), each thread round-robin over its own learners' sessions; every heartbeat reports the
interval played since that session's previous one at normal speed. At the end the sessions' `last_seq`
(the count of heartbeats each session accepted) is summed and compared with what the threads sent:
lost = sent − recorded. Next to it, in the same run, on the same database and with as many threads: a bare
single-row autocommit INSERT into a scratch table (the baseline of the ratio).

Ledger: `--members` scratch members with `--entries` hour entries each, and the coverage per organisation
(`selectors.coverage_by_org`, one grouped statement) plus the full per-member ledger read, timed.
The load runs in-process (no HTTP): the figure is the service's and the database's, not a web server's.
"""

import datetime
import threading
import time
import uuid

from django.contrib.auth import get_user_model
from django.db import close_old_connections, connection, connections
from django.utils import timezone

from qiangji.core.dates import today
from qiangji.education import selectors, services
from qiangji.education.models import Chapter, Course, HourEntry, WatchSession
from qiangji.life.bench.data import _delete_tree, _member
from qiangji.members.models import Member
from qiangji.tooling.bench import Benchmark, BenchReport, add_org, percentile, register, require_postgres

GOAL = "目标：≥ 2,000 次心跳/秒，p99 ≤ 100 ms，0 错误，0 丢失；全省年度学时台账 ≤ 60 秒（PostgreSQL）"


class _Load:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent = 0
        self.errors = 0
        self.latencies: list[float] = []
        self.error_samples: list[str] = []


def _heartbeat_worker(users, sessions, stop_at: float, load: _Load) -> None:
    close_old_connections()
    sent = errors = 0
    latencies: list[float] = []
    samples: list[str] = []
    state = {s.token: {"seq": 0, "pos": 0.0, "at": time.monotonic()} for s in sessions}
    try:
        while time.monotonic() < stop_at:
            for user, session in zip(users, sessions, strict=True):
                if time.monotonic() >= stop_at:
                    break
                mine = state[session.token]
                now = time.monotonic()
                # What a player sends: the interval played since its last report at normal speed.
                length = min(now - mine["at"], 5.0)
                start = mine["pos"] % 3000.0
                mine["seq"] += 1
                began = time.perf_counter()
                try:
                    services.heartbeat(
                        actor=user, token=session.token, seq=mine["seq"], start=start, end=start + length
                    )
                    mine["pos"] = start + length
                    mine["at"] = now
                except Exception as exc:  # counted and reported, never hidden
                    errors += 1
                    if len(samples) < 3:
                        samples.append(repr(exc)[:200])
                latencies.append(time.perf_counter() - began)
                sent += 1
    finally:
        connections.close_all()
    with load.lock:
        load.sent += sent
        load.errors += errors
        load.latencies.extend(latencies)
        load.error_samples.extend(samples)


def _insert_worker(table: str, stop_at: float, counts: list, lock) -> None:
    close_old_connections()
    done = 0
    try:
        with connection.cursor() as cursor:
            while time.monotonic() < stop_at:
                cursor.execute(f"INSERT INTO {table} (at, n) VALUES (now(), %s)", [done])
                done += 1
    finally:
        connections.close_all()
    with lock:
        counts.append(done)


def _fresh_users(count: int, tag: str) -> list:
    """Learners of this run only (a user's member record decides whose sessions they may report)."""
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"bench-edu-{tag}-{i:05d}", password="!", is_active=True) for i in range(count)]
    )
    return list(User.objects.filter(username__startswith=f"bench-edu-{tag}-").order_by("username"))


@register
class ProgressBench(Benchmark):
    name = "progress"
    help = "网络课程心跳吞吐（并发，计数核对）与全省年度学时台账（集合运算）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seconds", type=float, default=30.0)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--learners", type=int, default=None, help="学员（会话）数，默认 2000（small: 200）"
        )
        parser.add_argument(
            "--members", type=int, default=None, help="台账党员数，默认 200000（small: 5000）"
        )
        parser.add_argument("--entries", type=int, default=4, help="每名党员的学时记录数")
        parser.add_argument("--baseline-seconds", type=float, default=10.0)

    def run(self, options: dict, log) -> BenchReport:
        require_postgres()
        small = options.get("scale") == "small"
        learners = options.get("learners") or (200 if small else 2000)
        members = options.get("members") or (5000 if small else 200000)
        threads = max(1, options.get("threads") or 8)
        seconds = options.get("seconds") or 30.0
        tag = uuid.uuid4().hex[:6]
        root = add_org(None, f"学时基准党委-{tag}", "committee", code=f"BED-{tag}")
        branch = add_org(root, f"学时基准党支部-{tag}", "branch", code=f"BED-{tag}-1")
        table = f"bench_education_{tag}"
        created_members: list[int] = []
        try:
            log(f"准备 {learners} 名学员与会话 …")
            users = _fresh_users(learners, tag)
            rows = Member.objects.bulk_create(
                [_member(branch, u, f"bench-edu-{tag}-{i}") for i, u in enumerate(users)]
            )
            created_members = [m.pk for m in rows]
            course = Course.objects.create(
                organisation=root, org_path=root.path, title="基准课程", published=True, max_speed_pct=150
            )
            chapter = Chapter.objects.create(
                course=course,
                org_path=root.path,
                title="基准章节",
                kind="video",
                duration_seconds=3600,
                half_hours=2,
                checks=0,
            )
            now = timezone.now()
            sessions = WatchSession.objects.bulk_create(
                [
                    WatchSession(
                        member=m,
                        chapter=chapter,
                        org_path=m.org_path,
                        token=f"bench-{tag}-{m.pk}",
                        last_seen_at=now,
                    )
                    for m in rows
                ]
            )
            User = get_user_model()
            users = list(User.objects.filter(pk__in=[u.pk for u in users]).order_by("pk"))
            by_user = {m.user_id: s for m, s in zip(rows, sessions, strict=True)}
            pairs = [(u, by_user[u.pk]) for u in users]
            for user, _session in pairs:  # the scope is read once per user object, as in one request
                services.learner_of(user)

            log(f"心跳 {threads} 线程 × {seconds:.0f} 秒 …")
            load = _Load()
            stop_at = time.monotonic() + seconds
            workers = []
            for i in range(threads):
                mine = pairs[i::threads]
                workers.append(
                    threading.Thread(
                        target=_heartbeat_worker,
                        args=([u for u, _ in mine], [s for _, s in mine], stop_at, load),
                    )
                )
            started = time.monotonic()
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            elapsed = time.monotonic() - started
            recorded = sum(WatchSession.objects.filter(chapter=chapter).values_list("last_seq", flat=True))
            accepted = load.sent - load.errors
            rate = load.sent / elapsed

            log(f"基线：单行 INSERT，{threads} 线程 × {options.get('baseline_seconds', 10.0):.0f} 秒 …")
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE TABLE {table} (id bigserial primary key, at timestamptz, n bigint)")
            counts: list = []
            lock = threading.Lock()
            base_seconds = options.get("baseline_seconds") or 10.0
            stop_at = time.monotonic() + base_seconds
            base_workers = [
                threading.Thread(target=_insert_worker, args=(table, stop_at, counts, lock))
                for _ in range(threads)
            ]
            began = time.monotonic()
            for w in base_workers:
                w.start()
            for w in base_workers:
                w.join()
            base_rate = sum(counts) / (time.monotonic() - began)

            log(f"台账：{members} 名党员 × {options.get('entries', 4)} 条学时记录 …")
            ledger_ids = self._ledger_data(branch, members, options.get("entries") or 4, tag)
            created_members.extend(ledger_ids)
            admin = User(is_superuser=True, username="bench")
            year = today().year
            t0 = time.monotonic()
            coverage = selectors.coverage_by_org(admin, year, root)
            t_cov = time.monotonic() - t0
            t0 = time.monotonic()
            n_rows = sum(1 for _ in selectors.ledger_members(admin, year, root).iterator(chunk_size=5000))
            t_ledger = time.monotonic() - t0
            covered_members = sum(r["members"] for r in coverage)

            rows_out = [
                ("心跳（发送）", f"{load.sent:,} 次 / {elapsed:.1f} 秒 = {rate:,.0f} 次/秒"),
                (
                    "心跳 p50 / p99",
                    f"{1000 * percentile(load.latencies, 0.5):.1f} / {1000 * percentile(load.latencies, 0.99):.1f} ms",
                ),
                (
                    "错误",
                    f"{load.errors}" + (f"（{'; '.join(load.error_samples)}）" if load.error_samples else ""),
                ),
                ("计入（各会话 last_seq 之和）", f"{recorded:,}；丢失 {accepted - recorded}"),
                ("基线：单行 INSERT", f"{base_rate:,.0f} 次/秒"),
                ("心跳 ÷ 基线", f"{rate / base_rate:.2f}"),
                ("台账：各组织达标统计", f"{covered_members:,} 名党员，{t_cov:.2f} 秒"),
                ("台账：逐人读取", f"{n_rows:,} 行，{t_ledger:.2f} 秒"),
            ]
            return BenchReport(
                name=self.name,
                rows=rows_out,
                summary=(
                    f"心跳 {rate:,.0f} 次/秒（基线 INSERT 的 {rate / base_rate:.2f} 倍），丢失 {accepted - recorded}，"
                    f"错误 {load.errors}；{covered_members:,} 名党员的年度台账 {t_cov:.1f} 秒"
                ),
                ratio=rate / base_rate,
                goal=GOAL,
                data={
                    "heartbeats_sent": load.sent,
                    "heartbeats_recorded": recorded,
                    "errors": load.errors,
                    "rate": rate,
                    "p99_ms": 1000 * percentile(load.latencies, 0.99),
                    "baseline_rate": base_rate,
                    "ledger_members": covered_members,
                    "coverage_seconds": t_cov,
                    "ledger_read_seconds": t_ledger,
                },
            )
        finally:
            self._cleanup(root, table, created_members, log)

    @staticmethod
    def _cleanup(root, table: str, member_ids: list[int], log) -> None:
        """Remove the scratch rows (audit entries stay: append-only); a failure here is reported, never
        allowed to hide the figures."""
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            HourEntry.objects.filter(org_path__startswith=root.path).delete()
            WatchSession.objects.filter(org_path__startswith=root.path).delete()
            Chapter.objects.filter(org_path__startswith=root.path).delete()
            Course.objects.filter(org_path__startswith=root.path).delete()
            for start in range(0, len(member_ids), 5000):
                Member.objects.filter(pk__in=member_ids[start : start + 5000]).delete()
            _delete_tree(root.path)
            get_user_model().objects.filter(username__startswith=f"bench-edu-{table[-6:]}-").update(
                is_active=False
            )
        except Exception as exc:  # reported to the console; the scratch tree is named by its tag
            log(f"清理基准数据失败（{root.name}）：{exc}")

    def _ledger_data(self, branch, members: int, entries: int, tag: str) -> list[int]:
        year = today().year
        ids: list[int] = []
        batch = 10000
        for offset in range(0, members, batch):
            rows = Member.objects.bulk_create(
                [
                    Member(
                        organisation=branch,
                        org_path=branch.path,
                        name=f"台账党员{offset + i}",
                        sex="1",
                        id_number_encrypted="-",
                        id_number_hash=f"bench-ledger-{tag}-{offset + i}",
                        id_suffix="0000",
                        birth_date=datetime.date(1980, 1, 1),
                        category="full",
                        status="full",
                        political_status="01",
                    )
                    for i in range(min(batch, members - offset))
                ]
            )
            ids.extend(m.pk for m in rows)
            HourEntry.objects.bulk_create(
                [
                    HourEntry(
                        member=m,
                        org_path=branch.path,
                        year=year,
                        source="online" if k % 2 else "class",
                        channel="online" if k % 2 else "offline",
                        provider="own",
                        half_hours=4 + (m.pk + k) % 12,
                        title="基准学时",
                        held_on=datetime.date(year, 1 + k % 12, 1),
                    )
                    for m in rows
                    for k in range(entries)
                ],
                batch_size=5000,
            )
        return ids
