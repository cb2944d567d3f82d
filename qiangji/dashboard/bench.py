"""`qiangji bench dashboard [--scale small|full] [--repeat N] [--rebuild] [--no-write]`.

For one node at each level (the root, then down the child with the most children: a city, a county, a
township, …, a branch) it measures, in the same run:

* dashboard — the selectors the screen calls (node_summary + trend + children + worst_children), read
  from the rollups; and, when the screen exists (url "dashboard:node"), the full page through Django's
  test Client (middleware, template) — p50/p95 of `--repeat` runs;
* baseline — the same figures computed by SQL over the base tables: the rollups' own GROUP BY
  statements restricted to the subtree (stock per child, flows per child and month for the trend),
  the way a dashboard without rollups would answer.  The on-roll count of both must agree (checked);
* refresh latency — a real write at a branch (`mobility.register_outflow`, then `end_flow` to undo it),
  one refresh step, and the province figure read back;
* with `--rebuild` (or when no rollups exist yet) the full rebuild time.
"""

import argparse
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from qiangji.core.dates import first_of_month
from qiangji.dashboard import jobs, selectors
from qiangji.dashboard.indicators import INDICATORS
from qiangji.dashboard.measures import FLOW_NAMES, STOCK_NAMES
from qiangji.dashboard.models import StockRollup
from qiangji.dashboard.rollups import engine, own
from qiangji.dashboard.rollups.sql import Subtree, shift
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member
from qiangji.mobility import services as mobility
from qiangji.mobility.choices import OPEN_FLOW_STATUSES
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation
from qiangji.tooling.bench import Benchmark, BenchReport, percentile, register, scaled

GOAL = "目标：任一节点 p95 ≤ 100 ms，且 ≥ 20 × 基表 SQL；分支写入 60 秒内到达省级；全量重建 ≤ 10 分钟"
BENCH_USER = "bench-dashboard"
FLOW_VALUES = {
    "province": "山东省",
    "city": "济南市",
    "county": "历下区",
    "employer": "基准测试",
    "place": "基准站点",
    "reason": "work",
}


NEEDS_DATA = (
    "一屏掌控基准读取数据库里已有的组织树和党员，{found}。请先生成数据："
    "qiangji generate --scale county（一个县，约2万名党员，几分钟），"
    "或 qiangji demo（演示数据）；省级数字用 make generate-province（PostgreSQL）。"
)


def missing_data() -> str:
    """What the benchmark needs and does not find, in words (empty when the data are there)."""
    if not Organisation.objects.filter(depth=1).exists():
        return NEEDS_DATA.format(found="当前数据库中没有任何党组织")
    if not Organisation.objects.filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True).exists():
        return NEEDS_DATA.format(found="当前数据库中没有党支部")
    if not Member.objects.filter(status__in=ON_ROLL).exists():
        return NEEDS_DATA.format(found="当前数据库中没有在册党员")
    return ""


def sample_nodes() -> list[Organisation]:
    """One node per level: the first root, then each time the child with the most children (a branch last)."""
    node = Organisation.objects.filter(depth=1).order_by("path").first()
    nodes = []
    while node is not None:
        nodes.append(node)
        kids = Organisation.objects.filter(
            path__startswith=node.path, depth=node.depth + 1, dissolved_on__isnull=True
        )
        node = kids.order_by("-numchild", "path").first()
    if nodes and nodes[-1].kind not in BRANCH_KINDS:
        branch = (
            Organisation.objects.filter(
                path__startswith=nodes[-2].path if len(nodes) > 1 else nodes[0].path, kind__in=BRANCH_KINDS
            )
            .order_by("path")
            .first()
        )
        if branch is not None and branch.pk != nodes[-1].pk:
            nodes.append(branch)
    return nodes


def screen(org) -> None:
    """What the dashboard screen reads for one node: summary, trend, children, the worst 5 per exception."""
    selectors.node_summary(org)
    selectors.trend(org, 12)
    rows = selectors.children(org)
    for indicator in INDICATORS:
        if indicator.exception:
            selectors.worst_children(org, indicator.code, 5, rows=rows)
    return rows


def baseline(org) -> int:
    """The same figures straight from the base tables; returns the subtree's on-roll count (checked)."""
    subtree = Subtree(org.path)
    today = timezone.localdate()
    width = len(org.path) + Organisation.steplen
    body, params = own.stock_sql(subtree, today)
    sums = ", ".join(f"SUM(u.{c})" for c in STOCK_NAMES)
    stock_sql = (
        f"SELECT SUBSTR(o.path, 1, {width}) AS child, {sums} FROM ({body}) u "
        f"JOIN orgs_organisation o ON o.id = u.oid GROUP BY SUBSTR(o.path, 1, {width})"
    )
    months = [shift(first_of_month(today), -n) for n in range(11, -1, -1)]
    body, flow_params = own.flow_sql(subtree, months, [org.path])
    sums = ", ".join(f"SUM(u.{c})" for c in FLOW_NAMES)
    flow_sql = (
        f"SELECT SUBSTR(o.path, 1, {width}) AS child, u.month, {sums} FROM ({body}) u "
        f"JOIN orgs_organisation o ON o.id = u.oid GROUP BY SUBSTR(o.path, 1, {width}), u.month"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET jit = off")
        cursor.execute(stock_sql, params)
        on_roll = sum(int(row[1 + STOCK_NAMES.index("m_on_roll")] or 0) for row in cursor.fetchall())
        cursor.execute(flow_sql, flow_params)
        cursor.fetchall()
    return on_roll


def _times(function, repeat: int) -> list[float]:
    result = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        result.append((time.perf_counter() - started) * 1000)
    return result


def _bench_user():
    user, _created = get_user_model().objects.get_or_create(
        username=BENCH_USER, defaults={"is_superuser": True, "is_staff": True}
    )
    if not user.is_superuser:
        raise RuntimeError(f"用户 {BENCH_USER} 已存在但不是超级用户")
    return user


def _view_timer(user):
    try:
        reverse("dashboard:node", kwargs={"pk": 1})
    except NoReverseMatch:
        return None
    client = Client()
    client.force_login(user)

    def view(org):
        response = client.get(reverse("dashboard:node", kwargs={"pk": org.pk}))
        if response.status_code != 200:
            raise RuntimeError(f"dashboard:node {org.pk} answered {response.status_code}")

    return view


def refresh_latency(user, root, branch) -> dict:
    """A real write at a branch, one refresh step, the root's figure read back; then undone."""
    member = (
        Member.objects.filter(org_path__startswith=branch.path, status__in=ON_ROLL)
        .exclude(flows__status__in=OPEN_FLOW_STATUSES)
        .order_by("pk")
        .first()
    )
    if member is None:
        return {}
    before = selectors.node_summary(root)["figures"]["mobile_unaccounted"]["value"]
    started = time.perf_counter()
    flow = mobility.register_outflow(actor=user, member=member, values=dict(FLOW_VALUES))
    written = time.perf_counter()
    step = engine.refresh()
    refreshed = time.perf_counter()
    after = selectors.node_summary(root)["figures"]["mobile_unaccounted"]["value"]
    visible = time.perf_counter()
    mobility.end_flow(actor=user, flow=flow, note="基准测试撤销")
    engine.refresh()
    return {
        "write_s": written - started,
        "refresh_s": refreshed - written,
        "read_s": visible - refreshed,
        "write_to_visible_s": visible - started,
        "refreshed_orgs": step["organisations"],
        "figure_before": before,
        "figure_after": after,
        "seen": after == (before or 0) + 1,
        "end_to_end_bound_s": (visible - started) + jobs.DEBOUNCE_SECONDS + 1,
    }


@register
class DashboardBenchmark(Benchmark):
    name = "dashboard"
    help = (
        "一屏掌控：汇总表读取 vs. 基表 SQL；写入到省级可见的延迟；全量重建（--rebuild）"
        "（需要已有数据：先运行 qiangji generate --scale county）"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--repeat",
            type=int,
            default=argparse.SUPPRESS,
            help="每个节点的计时次数（默认 full 30 / small 5）",
        )
        parser.add_argument("--rebuild", action="store_true", help="先全量重建并计时")
        parser.add_argument("--no-write", action="store_true", help="不做写入延迟测试（不写数据库）")

    def run(self, options: dict, log) -> BenchReport:
        missing = missing_data()
        if missing:
            raise CommandError(missing)
        repeat = options.get("repeat") or scaled(options, 30, 5)
        data, rows = {}, []
        if options.get("rebuild") or not StockRollup.objects.exists():
            log("全量重建汇总数据 …")
            timings = engine.rebuild(log=log)
            data["rebuild"] = {k: round(v, 2) for k, v in timings.items()}
            rows.append(("全量重建", f"{timings['total']:.1f} s"))
        user = _bench_user()
        view = _view_timer(user)
        nodes = sample_nodes()
        levels = []
        for org in nodes:
            log(f"计时：{org.name}（第{org.depth}级）…")
            screen(org)  # warm the caches once, as a screen in use would be
            fast = _times(lambda org=org: screen(org), repeat)
            page = _times(lambda org=org: view(org), repeat) if view else []
            base_repeat = max(1, scaled(options, 3, 1))
            counted = []
            slow = _times(lambda org=org, counted=counted: counted.append(baseline(org)), base_repeat)
            rolled = selectors.node_summary(org)["figures"]["members"]["value"]
            level = {
                "org": org.name,
                "depth": org.depth,
                "p50_ms": statistics.median(fast),
                "p95_ms": percentile(fast, 0.95),
                "baseline_ms": statistics.median(slow),
                "agree": counted[0] == rolled,
            }
            if page:
                level |= {"view_p50_ms": statistics.median(page), "view_p95_ms": percentile(page, 0.95)}
            level["ratio"] = level["baseline_ms"] / max(level.get("view_p95_ms", level["p95_ms"]), 1e-6)
            levels.append(level)
            rows.append(
                (
                    f"{org.name}（第{org.depth}级）",
                    f"读取 p50 {level['p50_ms']:.1f} / p95 {level['p95_ms']:.1f} ms"
                    + (
                        f"；页面 p50 {level['view_p50_ms']:.1f} / p95 {level['view_p95_ms']:.1f} ms"
                        if page
                        else ""
                    )
                    + f"；基表 SQL {level['baseline_ms']:.0f} ms；{level['ratio']:.0f}×"
                    + ("" if level["agree"] else "；人数不一致！"),
                )
            )
        data["levels"] = levels
        if not options.get("no_write") and len(nodes) > 1:
            log("写入延迟：分支写入 → 刷新 → 读取根节点 …")
            latency = refresh_latency(user, nodes[0], nodes[-1])
            data["refresh"] = latency
            if latency:
                rows.append(
                    (
                        "分支写入 → 根节点可见",
                        f"{latency['write_to_visible_s']:.2f} s（刷新 {latency['refresh_s']:.2f} s，"
                        f"{latency['refreshed_orgs']} 个组织；连同去抖 {jobs.DEBOUNCE_SECONDS} s 与轮询 ≤ "
                        f"{latency['end_to_end_bound_s']:.1f} s）"
                        + ("" if latency["seen"] else "；未看到变化！"),
                    )
                )
        worst_p95 = max(level.get("view_p95_ms", level["p95_ms"]) for level in levels)
        ratio = min(level["ratio"] for level in levels)
        root = levels[0]
        summary = (
            f"dashboard: 最慢节点 p95 {worst_p95:.1f} ms；根节点 {root['ratio']:.0f}× 快于基表 SQL"
            f"（{root['baseline_ms']:.0f} ms），各级最小 {ratio:.1f}×"
        )
        return BenchReport("dashboard", rows, summary, ratio=root["ratio"], goal=GOAL, data=data)
