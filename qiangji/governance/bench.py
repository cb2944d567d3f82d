"""`qiangji bench governance [--scale small|full] [--orgs N] [--samples N] [--keep]`: the village disclosure
page and a township's pre-review queue, each against the same query over the base tables by hand-written
SQL, measured in the same run (issue 17: p95 ≤ 100 ms at province scale, 150,000 organisations and a year
of cases).

The bench GENERATES its data under a scratch root (removed at the end unless `--keep`): counties of
townships of villages (150,000 organisations at full scale, 3,000 small), per village a year of
minimum-allowance cases (two by default, each part-way along the seven steps, notices included) and about
one major decision in three, half of them waiting for the township's pre-review.

Measured for `--samples` random villages / townships: `selectors.disclosure_for(village)` (what the public
page renders) and the first page (50 rows) of `selectors.prereview_queue(township user)`, p50 and p95, and
the same two reads as raw SQL on the base tables; the summary gives the selector's p95 and its ratio to the
raw SQL's p95."""

import datetime
import random
import time
import uuid

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from qiangji.core.choices import Role
from qiangji.core.dates import today
from qiangji.core.scoping import forget_scope
from qiangji.governance import selectors
from qiangji.governance.models import CaseStep, Decision, DecisionRule, PowerCase, PowerItem
from qiangji.orgs.models import Grant, Organisation
from qiangji.tooling.bench import Benchmark, BenchReport, add_org, percentile, register

GOAL = "目标：省级规模（15万个组织、一年的事项）村务公开页与乡镇前置审核队列 p95 ≤ 100 毫秒"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(n: int) -> str:
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def _children(parent: Organisation, count: int, tag: str, kind: str, category: str, label: str) -> list:
    rows = [
        Organisation(
            path=parent.path + _step(i + 1),
            depth=parent.depth + 1,
            numchild=0,
            name=f"{parent.name}{label}{i + 1}",
            kind=kind,
            category=category,
            code=f"{tag}{parent.pk}x{i}",
            region_code=parent.region_code,
        )
        for i in range(count)
    ]
    Organisation.objects.bulk_create(rows, batch_size=5000)
    Organisation.objects.filter(pk=parent.pk).update(numchild=count)
    return list(
        Organisation.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("path")
    )


def generate(orgs: int, cases_per_village: int, seed: int, log):
    rng = random.Random(seed)
    tag = uuid.uuid4().hex[:6]
    root = add_org(None, f"治理基准省{tag}", "committee", "government", code=f"GB{tag}")
    template = PowerItem.objects.get(org_path="", code="dibao")
    steps = [
        {
            "order": s.order,
            "name": s.name,
            "role": s.role,
            "time_limit_days": s.time_limit_days,
            "required_documents": list(s.required_documents),
            "notice_days": s.notice_days,
        }
        for s in template.steps.order_by("order")
    ]
    rule = DecisionRule.objects.get(org_path="", matter="project")
    per_county, per_township = 1000, 20
    counties = max(1, orgs // per_county)
    townships_seen, villages_seen = [], []
    day0 = today()
    for c in range(counties):
        with transaction.atomic():
            county = add_org(
                root,
                f"基准县{c}",
                "committee",
                "government",
                code=f"GB{tag}C{c}",
                region_code=f"{c % 999999:06d}",
            )
            townships = _children(county, per_county // per_township, tag, "committee", "government", "镇")
            villages = []
            for township in townships:
                villages += _children(township, per_township - 1, tag, "branch", "rural", "村")
            cases, records, decisions = [], [], []
            for village in villages:
                for _k in range(cases_per_village):
                    opened = day0 - datetime.timedelta(days=rng.randint(10, 360))
                    cases.append(
                        PowerCase(
                            item=template,
                            village=village,
                            org_path=village.path,
                            region_code=village.region_code,
                            number=uuid.uuid4().hex[:20],
                            applicant_name="张小三",
                            subject="申请最低生活保障",
                            steps=steps,
                            next_order=1,
                            opened_on=opened,
                        )
                    )
                if rng.random() < 0.33:
                    decisions.append(
                        Decision(
                            village=village,
                            rule=rule,
                            org_path=village.path,
                            region_code=village.region_code,
                            number=uuid.uuid4().hex[:20],
                            title="硬化村内道路",
                            amount=80000,
                            description="基准",
                            stage="discussed",
                            proposed_on=day0 - datetime.timedelta(days=30),
                            discussed_on=day0 - datetime.timedelta(days=28),
                            prereview="pending" if rng.random() < 0.5 else "approved",
                        )
                    )
            PowerCase.objects.bulk_create(cases, batch_size=5000)
            for case in cases:
                day = case.opened_on
                for spec in steps[: rng.randint(1, len(steps))]:
                    day += datetime.timedelta(days=2)
                    notice = bool(spec["notice_days"])
                    records.append(
                        CaseStep(
                            case=case,
                            org_path=case.org_path,
                            region_code=case.region_code,
                            order=spec["order"],
                            name=spec["name"],
                            done_on=day,
                            person_name="经办人",
                            documents=[],
                            notice_text="张*三户拟纳入最低生活保障，公示7天。" if notice else "",
                            notice_from=day if notice else None,
                            notice_to=day + datetime.timedelta(days=6) if notice else None,
                        )
                    )
            CaseStep.objects.bulk_create(records, batch_size=5000)
            Decision.objects.bulk_create(decisions, batch_size=5000)
        townships_seen += townships
        villages_seen += villages
        log(f"  县 {c + 1}/{counties}：{len(villages)} 个村，{len(cases)} 件事项，{len(records)} 条办理记录")
    return root, townships_seen, villages_seen


DISCLOSURE_SQL = (
    "SELECT s.id, s.name, s.notice_text, s.notice_from, s.notice_to, c.number, c.applicant_name, i.title "
    "FROM governance_casestep s JOIN governance_powercase c ON c.id = s.case_id "
    "JOIN governance_poweritem i ON i.id = c.item_id "
    "WHERE s.org_path = %s AND s.notice_from IS NOT NULL ORDER BY s.notice_from DESC, s.id DESC LIMIT 100"
)
DECISIONS_SQL = (
    "SELECT id, number, title, amount, resolution_text, published_on, executed_on, outcome_text, "
    "outcome_published_on, stage FROM governance_decision WHERE org_path = %s AND published_on IS NOT NULL "
    "ORDER BY published_on DESC, id DESC LIMIT 100"
)
QUEUE_SQL = (
    "SELECT d.id, d.number, d.title, o.name FROM governance_decision d JOIN orgs_organisation o ON o.id = d.village_id "
    "WHERE d.org_path LIKE %s AND d.org_path <> %s AND d.status = 'open' AND d.prereview IN ('pending', 'returned') "
    "AND d.stage <> 'proposed' ORDER BY d.discussed_on, d.id LIMIT 50"
)


def _time(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


@register
class GovernanceBench(Benchmark):
    name = "governance"
    help = "村务公开页与乡镇前置审核队列：选择器与同一查询的原始 SQL 对比（自行生成数据）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--orgs", type=int, default=None, help="组织数（默认 full 15万，small 3000）")
        parser.add_argument("--cases", type=int, default=2, help="每村事项数（一年）")
        parser.add_argument("--samples", type=int, default=200)
        parser.add_argument("--seed", type=int, default=17)
        parser.add_argument("--keep", action="store_true", help="保留生成的数据")

    def run(self, options: dict, log) -> BenchReport:
        orgs = options.get("orgs") or (3000 if options.get("scale") == "small" else 150_000)
        rng = random.Random(options["seed"])
        started = time.perf_counter()
        root, townships, villages = generate(orgs, options["cases"], options["seed"], log)
        generated = time.perf_counter() - started
        user = get_user_model().objects.create_user(username=f"bench-gov-{uuid.uuid4().hex[:6]}")
        try:
            samples = options["samples"]
            sel_pub, sql_pub, sel_queue, sql_queue = [], [], [], []
            with connection.cursor() as cursor:
                for village in rng.sample(villages, min(samples, len(villages))):
                    sel_pub.append(_time(lambda v=village: selectors.disclosure_for(v)))
                    sql_pub.append(
                        _time(
                            lambda v=village: (
                                cursor.execute(DISCLOSURE_SQL, [v.path]),
                                cursor.fetchall(),
                                cursor.execute(DECISIONS_SQL, [v.path]),
                                cursor.fetchall(),
                            )
                        )
                    )
                for township in rng.sample(townships, min(samples, len(townships))):
                    Grant.objects.filter(user=user).delete()
                    Grant.objects.create(
                        user=user, organisation=township, org_path=township.path, role=Role.COMMITTEE
                    )
                    forget_scope(user)
                    sel_queue.append(_time(lambda: list(selectors.prereview_queue(user)[:50])))
                    sql_queue.append(
                        _time(
                            lambda t=township: (
                                cursor.execute(QUEUE_SQL, [t.path + "%", t.path]),
                                cursor.fetchall(),
                            )
                        )
                    )
        finally:
            Grant.objects.filter(user=user).delete()
            user.delete()
            if not options.get("keep"):
                _remove(root)
        p95 = {
            name: percentile(values, 0.95)
            for name, values in (
                ("pub", sel_pub),
                ("pub_sql", sql_pub),
                ("queue", sel_queue),
                ("queue_sql", sql_queue),
            )
        }
        rows = [
            ("组织 / 村", f"{orgs} / {len(villages)}"),
            ("生成数据", f"{generated:.1f} 秒"),
            ("村务公开页 选择器 p50 / p95", f"{percentile(sel_pub, 0.5):.1f} / {p95['pub']:.1f} 毫秒"),
            ("村务公开页 原始SQL p50 / p95", f"{percentile(sql_pub, 0.5):.1f} / {p95['pub_sql']:.1f} 毫秒"),
            ("前置审核队列 选择器 p50 / p95", f"{percentile(sel_queue, 0.5):.1f} / {p95['queue']:.1f} 毫秒"),
            (
                "前置审核队列 原始SQL p50 / p95",
                f"{percentile(sql_queue, 0.5):.1f} / {p95['queue_sql']:.1f} 毫秒",
            ),
        ]
        ratio = max(p95["pub"] / max(p95["pub_sql"], 0.001), p95["queue"] / max(p95["queue_sql"], 0.001))
        summary = (
            f"村务公开页 p95 {p95['pub']:.1f} 毫秒（原始SQL的 {p95['pub'] / max(p95['pub_sql'], 0.001):.1f} 倍），"
            f"前置审核队列 p95 {p95['queue']:.1f} 毫秒（原始SQL的 {p95['queue'] / max(p95['queue_sql'], 0.001):.1f} 倍）"
        )
        return BenchReport(self.name, rows, summary, ratio=ratio, goal=GOAL, data=p95)


def _remove(root: Organisation) -> None:
    with transaction.atomic():
        prefix = root.path
        CaseStep.objects.filter(org_path__startswith=prefix).delete()
        PowerCase.objects.filter(org_path__startswith=prefix).delete()
        Decision.objects.filter(org_path__startswith=prefix).delete()
        Organisation.objects.filter(path__startswith=prefix).delete()
