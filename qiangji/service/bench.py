"""`qiangji bench intake` and `qiangji bench escalation` (PostgreSQL; issue 15).

Both GENERATE their own data under a scratch root (a province → county → street → community → branch
tree with compounds) and remove it at the end unless `--keep`.

* intake — `--workers` threads submit requests through the real service (`services.submit`, channel
  behalf by a scratch superuser: validation, routing to the compound's branch, the request row, two history
  lines, the audit entry, each in its own transaction) for `--seconds` (30 full, 5 small); then the same
  threads do a bare single-row INSERT (one autocommit statement into a scratch table) for the same time.
  Reported: requests/s, p50/p99 latency, errors, and the ratio of the service's throughput to the bare
  INSERT's, measured in the same run. Goal: ≥ 500/s, p99 ≤ 200 ms, 0 errors.
* escalation — N open requests (1,000,000 full, 50,000 small; `--requests`) of which `--lapsed` (2 %:
  what lapses between two 15-minute sweeps, generously) have lapsed at the compound, community or street tier; the set-wise sweep (`services.escalate_lapsed`: one UPDATE
  per tier and one INSERT … SELECT for the history) is timed; then as many requests are lapsed again and
  a per-request loop (lock the row, find the parent, save, write the history line: what a loop
  implementation does) runs over a sample of `--loop` of them; its per-request time × the lapsed count is
  set against the set-wise time. Goal: the sweep over 1,000,000 open requests ≤ 5 s.
"""

import argparse
import datetime
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.utils import timezone

from qiangji.core.scoping import PATH_STEP
from qiangji.orgs.models import Organisation
from qiangji.service import services
from qiangji.service.choices import NEXT_TIER, EventKind, Phase, Tier
from qiangji.service.models import Category, Place, Request, RequestEvent
from qiangji.service.services.base import due_for
from qiangji.tooling.bench import Benchmark, BenchReport, add_org, percentile, register, require_postgres

TIERS = (Tier.COMPOUND, Tier.COMMUNITY, Tier.STREET)


def scratch_tree(tag: str, communities: int = 20, branches: int = 10):
    """A province → county → street → communities → branches tree; returns (root, branches, places)."""
    root = add_org(None, f"接诉基准省{tag}", "committee", "government", code=f"SB{tag}")
    county = add_org(
        root, f"接诉基准县{tag}", "committee", "government", code=f"SB{tag}C", region_code="999001"
    )
    street = add_org(
        county, "基准街道党工委", "working_committee", "community", code=f"SB{tag}S", region_code="999001"
    )
    leaves, places = [], []
    for c in range(communities):
        community = add_org(
            street, f"基准社区{c}", "committee", "community", code=f"SB{tag}M{c}", region_code="999001"
        )
        for b in range(branches):
            branch = add_org(
                community,
                f"基准社区{c}第{b}支部",
                "branch",
                "community",
                code=f"SB{tag}M{c}B{b}",
                region_code="999001",
            )
            leaves.append(branch)
            places.append(
                Place.objects.create(
                    kind="compound",
                    name=f"基准小区{c}-{b}",
                    organisation=branch,
                    community=community,
                    org_path=branch.path,
                    region_code="999001",
                )
            )
    return root, leaves, places


def remove_tree(root) -> None:
    with connection.cursor() as cursor:
        like = root.path + "%"
        cursor.execute(
            f"DELETE FROM {RequestEvent._meta.db_table} WHERE request_id IN "
            f"(SELECT id FROM {Request._meta.db_table} WHERE org_path LIKE %s)",
            [like],
        )
        cursor.execute("DELETE FROM service_workrecord WHERE org_path LIKE %s", [like])
        cursor.execute(f"DELETE FROM {Request._meta.db_table} WHERE org_path LIKE %s", [like])
        cursor.execute("DELETE FROM service_place WHERE org_path LIKE %s", [like])
        # plain SQL: the scratch organisations have no rows elsewhere, and the ORM's cascade would visit
        # every app's tables
        cursor.execute(f"DELETE FROM {Organisation._meta.db_table} WHERE path LIKE %s", [like])


@register
class IntakeBenchmark(Benchmark):
    name = "intake"
    help = "接诉即办：并发提交诉求（完整服务）vs. 裸单行 INSERT，同一次运行测得（会生成所需数据）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", choices=("small", "full"), default=argparse.SUPPRESS)
        parser.add_argument("--seconds", type=float, help="每项持续秒数（full 30，small 5）")
        parser.add_argument("--workers", type=int, default=16, help="并发线程数（默认16）")
        parser.add_argument("--keep", action="store_true")

    def _drive(self, seconds: float, workers: int, work) -> tuple[int, int, list[float]]:
        stop = time.perf_counter() + seconds
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()

        def loop(worker: int) -> None:
            own, n = [], 0
            try:
                while time.perf_counter() < stop:
                    started = time.perf_counter()
                    try:
                        work(worker, n)
                    except Exception:  # counted as an error of the bench
                        with lock:
                            errors[0] += 1
                    own.append(time.perf_counter() - started)
                    n += 1
            finally:
                with lock:
                    latencies.extend(own)
                connections.close_all()

        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(loop, range(workers)))
        return len(latencies), errors[0], latencies

    def run(self, options: dict, log) -> BenchReport:
        require_postgres()
        seconds = options.get("seconds") or (5.0 if options.get("scale") == "small" else 30.0)
        workers = options.get("workers") or 16
        tag = uuid.uuid4().hex[:8]
        log("生成基准组织树与小区 …")
        root, _leaves, places = scratch_tree(tag)
        actor = get_user_model().objects.create_superuser(f"bench-{tag}", "", uuid.uuid4().hex)
        category = Category.objects.get(code="general")
        place_ids = [p.pk for p in places]
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS bench_service_insert_{tag} (id bigserial primary key, body text, at timestamptz)"
            )
        try:

            def submit(worker: int, n: int) -> None:
                phone = f"13{worker % 10}{(worker * 1_000_000 + n) % 100_000_000:08d}"
                services.submit(
                    actor=actor,
                    channel="behalf",
                    category=category,
                    description=f"基准诉求{n}",
                    phone=phone,
                    place=place_ids[(worker + n) % len(place_ids)],
                )

            log(f"{workers} 个线程并发提交诉求 {seconds:g} 秒 …")
            done, errors, latencies = self._drive(seconds, workers, submit)

            def bare(worker: int, n: int) -> None:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"INSERT INTO bench_service_insert_{tag} (body, at) VALUES (%s, now())", [f"基准{n}"]
                    )

            log(f"{workers} 个线程裸单行 INSERT {seconds:g} 秒 …")
            bare_done, bare_errors, bare_latencies = self._drive(seconds, workers, bare)
            log(f"诉求 {done / seconds:,.0f}/秒（错误 {errors}），裸 INSERT {bare_done / seconds:,.0f}/秒")
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS bench_service_insert_{tag}")
            if not options.get("keep"):
                remove_tree(root)
                # the actor is referenced by audit entries: kept, inactive
                get_user_model().objects.filter(pk=actor.pk).update(is_active=False)
        rate, bare_rate = done / seconds, bare_done / seconds
        ratio = rate / bare_rate if bare_rate else None
        p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
        rows = [
            ("并发线程", str(workers)),
            ("持续时间", f"{seconds:g} 秒（每项）"),
            ("提交诉求（完整服务）", f"{rate:,.0f} 件/秒，p50 {p50:.1f} ms，p99 {p99:.1f} ms，错误 {errors}"),
            (
                "裸单行 INSERT",
                f"{bare_rate:,.0f} 行/秒，p99 {percentile(bare_latencies, 0.99) * 1000:.1f} ms，错误 {bare_errors}",
            ),
            ("比值（诉求/裸 INSERT）", f"{ratio:.3f}" if ratio else "—"),
        ]
        return BenchReport(
            name=self.name,
            rows=rows,
            summary=f"诉求提交 {rate:,.0f}/秒（p99 {p99:.0f} ms，错误 {errors}），为裸单行 INSERT 的 {ratio or 0:.2f} 倍",
            ratio=ratio,
            goal="目标：≥ 500 件/秒，p99 ≤ 200 ms，0 错误",
            data={"rate": rate, "p50_ms": p50, "p99_ms": p99, "errors": errors, "bare_rate": bare_rate},
        )


def fill_requests(root, leaves, count: int, lapsed_share: float, seed: int) -> None:
    """`count` open requests spread over the branches, tiers and categories, in one INSERT … SELECT."""
    categories = list(Category.objects.values_list("pk", flat=True))
    now = timezone.now()
    leaf_rows = [(leaf.pk, leaf.path) for leaf in leaves]
    community_ids = dict(
        Organisation.objects.filter(path__in={p[:-PATH_STEP] for _i, p in leaf_rows}).values_list(
            "path", "pk"
        )
    )
    street = Organisation.objects.get(path=leaves[0].path[: -2 * PATH_STEP])
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_leaf (n int, id bigint, path text, community_id bigint, community_path text)"
        )
        cursor.executemany(
            "INSERT INTO bench_leaf VALUES (%s, %s, %s, %s, %s)",
            [
                (i, pk, path, community_ids[path[:-PATH_STEP]], path[:-PATH_STEP])
                for i, (pk, path) in enumerate(leaf_rows)
            ],
        )
        cursor.execute(
            f"""
            INSERT INTO {Request._meta.db_table} (
                number, token, access_key, query_code_digest, category_id, audience, channel, description, address,
                photo, requester_name, phone_encrypted, phone_hash, phone_suffix, status, phase, tier, first_org_id,
                current_org_id, current_path, assigned_at, due_at, final_due_at, paused_seconds, escalations,
                reopened, answer, outcome, rating, rating_comment, org_path, region_code, created_at, updated_at
            )
            SELECT 'B' || %(tag)s || g, md5(%(tag)s || g), 'k', '', (%(cats)s::bigint[])[1 + g %% %(ncat)s], 'resident',
                'web', '基准诉求', '', '', '', '', '', '0000', 'open', 'pending',
                CASE g %% 3 WHEN 0 THEN 'compound' WHEN 1 THEN 'community' ELSE 'street' END,
                l.id,
                CASE g %% 3 WHEN 0 THEN l.id WHEN 1 THEN l.community_id ELSE %(street_id)s END,
                CASE g %% 3 WHEN 0 THEN l.path WHEN 1 THEN l.community_path ELSE %(street_path)s END,
                %(now)s, CASE WHEN (g::bigint * 7919) %% 1000 < %(lapsed)s THEN %(past)s ELSE %(future)s END, %(future)s,
                0, 0, 0, '', '', '', '', l.path, '999001', %(now)s, %(now)s
            FROM generate_series(1, %(count)s) AS g JOIN bench_leaf l ON l.n = g %% %(nleaf)s
            """,
            {
                "tag": root.code[-8:],
                "cats": categories,
                "ncat": len(categories),
                "street_id": street.pk,
                "street_path": street.path,
                "now": now,
                "past": now - datetime.timedelta(days=30),
                "future": now + datetime.timedelta(days=30),
                "lapsed": int(lapsed_share * 1000),
                "count": count,
                "nleaf": len(leaf_rows),
            },
        )
        cursor.execute("DROP TABLE bench_leaf")
        cursor.execute(f"ANALYZE {Request._meta.db_table}")


def loop_escalate(pk: int, at) -> None:
    """What a per-request implementation does for one lapsed request."""
    with transaction.atomic():
        row = (
            Request.objects.select_for_update(of=("self",))
            .select_related("category", "current_org")
            .get(pk=pk)
        )
        parent = Organisation.objects.get(path=row.current_path[:-PATH_STEP])
        row.tier = NEXT_TIER[row.tier]
        row.current_org = parent
        row.current_path = parent.path
        row.due_at = due_for(row.category, at)
        row.assigned_at = at
        row.escalations += 1
        row.phase = Phase.PENDING
        row.save()
        RequestEvent.objects.create(
            request=row,
            at=at,
            kind=EventKind.ESCALATED,
            phase=row.phase,
            tier=row.tier,
            org_name=parent.name,
            actor_name="系统",
            text=f"本级办理期限已过，自动上报至{parent.name}",
        )


@register
class EscalationBenchmark(Benchmark):
    name = "escalation"
    help = "接诉即办：超时上报集合式扫描（100万件在办诉求）vs. 逐件循环，同一次运行测得（会生成所需数据）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", choices=("small", "full"), default=argparse.SUPPRESS)
        parser.add_argument("--requests", type=int, help="在办诉求数（full 1,000,000，small 50,000）")
        parser.add_argument("--loop", type=int, default=500, help="逐件循环的抽样数（默认500）")
        parser.add_argument(
            "--lapsed", type=float, default=0.02, help="已超期比例（默认0.02：两次扫描之间超期的诉求）"
        )
        parser.add_argument("--keep", action="store_true")

    def run(self, options: dict, log) -> BenchReport:
        require_postgres()
        count = options.get("requests") or (50_000 if options.get("scale") == "small" else 1_000_000)
        share = options.get("lapsed") or 0.02
        tag = uuid.uuid4().hex[:8]
        log("生成基准组织树 …")
        root, leaves, _places = scratch_tree(tag)
        try:
            log(f"生成 {count:,} 件在办诉求（{share:.0%}已超本级期限）…")
            started = time.perf_counter()
            fill_requests(root, leaves, count, share, 20261204)
            generated = time.perf_counter() - started
            mine = Request.objects.filter(org_path__startswith=root.path)
            lapsed = mine.filter(due_at__lt=timezone.now()).count()
            log("集合式扫描 …")
            at = timezone.now()
            started = time.perf_counter()
            climbed = services.escalate_lapsed(at=at)
            sweep = time.perf_counter() - started
            started = time.perf_counter()
            again = services.escalate_lapsed(at=at)
            second = time.perf_counter() - started
            # lapse a sample again (back at tiers that can climb) for the loop
            sample = list(
                mine.filter(tier__in=(Tier.COMMUNITY, Tier.STREET, Tier.COMPOUND))
                .exclude(current_path=root.path)
                .values_list("pk", flat=True)[: options.get("loop", 500)]
            )
            mine.filter(pk__in=sample).update(due_at=at - datetime.timedelta(days=1))
            log(f"逐件循环（抽样 {len(sample)} 件）…")
            started = time.perf_counter()
            for pk in sample:
                loop_escalate(pk, at)
            loop_each = (time.perf_counter() - started) / max(len(sample), 1)
            log(
                f"集合式扫描 {sweep:.2f} 秒（上报 {climbed:,} 件，共 {count:,} 件在办），再次扫描 {second:.2f} 秒，"
                f"逐件循环每件 {loop_each * 1000:.2f} ms"
            )
        finally:
            if not options.get("keep"):
                log("清理基准数据 …")
                remove_tree(root)
        loop_total = loop_each * climbed
        ratio = loop_total / sweep if sweep else None
        rows = [
            ("在办诉求", f"{count:,}（生成 {generated:.1f} 秒）"),
            ("已超本级期限", f"{lapsed:,}"),
            ("集合式扫描", f"{sweep:.2f} 秒，上报 {climbed:,} 件（每层一条 UPDATE + 一条 INSERT … SELECT）"),
            ("再次扫描（幂等）", f"{second:.2f} 秒，上报 {again} 件"),
            (
                "逐件循环",
                f"每件 {loop_each * 1000:.2f} ms（抽样 {len(sample)} 件），折合 {loop_total:.1f} 秒",
            ),
            ("比值（循环/集合式）", f"{ratio:.1f}" if ratio else "—"),
        ]
        return BenchReport(
            name=self.name,
            rows=rows,
            summary=f"{count:,} 件在办诉求集合式扫描 {sweep:.2f} 秒，逐件循环折合 {loop_total:.1f} 秒（{ratio or 0:.0f} 倍）",
            ratio=ratio,
            goal="目标：100万件在办诉求扫描 ≤ 5 秒，集合式",
            data={
                "requests": count,
                "lapsed": lapsed,
                "climbed": climbed,
                "sweep_s": sweep,
                "loop_each_ms": loop_each * 1000,
            },
        )
