"""`qiangji generate --scale county|province --seed N`: deterministic demo and scale data.

county:   a real county (夏津县, 371427) under its province and city: ~900 organisations and
          ~20,000 members; loads in well under a minute on SQLite.
province: the whole province (136 counties): ~150,000 organisations and 3,000,000 members,
          written with PostgreSQL COPY (refused on SQLite). See docs/performance.md.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from qiangji.tooling.generate import SCALES, GenerateError, generate, make_plan
from qiangji.tooling.generate.history import HistoryError, add_history


class Command(BaseCommand):
    help = "生成演示/压测数据：--scale county（一个县，约2万名党员）或 province（全省，300万名党员，仅 PostgreSQL）"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="county")
        parser.add_argument("--seed", type=int, default=1, help="随机种子：同一种子、同一日期生成相同的数据")
        parser.add_argument("--members", type=int, help="党员总数（覆盖规模默认值，测试用）")
        parser.add_argument("--orgs", type=int, help="组织数上限（覆盖规模默认值，测试用）")
        parser.add_argument("--counties", type=int, help="省级规模只生成前 N 个县（测试用）")
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, help="以该日期为“今天”（YYYY-MM-DD）"
        )
        parser.add_argument("--actor", help="记入审计日志的用户名（默认“系统”）")
        parser.add_argument(
            "--dues-months", type=int, help="党费交纳记录的月数（默认：县级24个月，省级6个月）"
        )
        history = parser.add_mutually_exclusive_group()
        history.add_argument(
            "--history",
            action="store_true",
            help="只为数据库中已有的组织和党员补充各模块的历史数据（发展党员、组织生活、流动党员、党费）",
        )
        history.add_argument(
            "--no-history", action="store_true", help="只生成组织、党员和委员会，不生成历史数据"
        )
        parser.add_argument(
            "--resume", action="store_true", help="与 --history 同用：跳过已有历史数据的县（中断后继续）"
        )
        parser.add_argument(
            "--part",
            default="0/1",
            help="与 --history 同用：i/n，只处理第 i 份（共 n 份）县，可并行运行 n 个进程",
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        try:
            plan = make_plan(
                scale=options["scale"],
                seed=options["seed"],
                members=options["members"],
                orgs=options["orgs"],
                counties=options["counties"],
                as_of=options["as_of"],
                history=not options["no_history"],
            )
            if options["dues_months"] is not None:
                if not 1 <= options["dues_months"] <= 60:
                    raise GenerateError("--dues-months 必须在 1 到 60 之间")
                plan.dues_months = options["dues_months"]
            if options["history"]:
                return self._history_only(plan, options)
            result = generate(plan, actor=self._actor(options["actor"]), progress=self._progress)
        except (GenerateError, HistoryError) as error:
            raise CommandError(str(error))
        if result.history:
            self.stdout.write("历史数据：" + self._counts(result.history))
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：{result.organisations} 个组织、{result.members} 名党员、{result.committees} 个委员会，"
                f"用时 {result.seconds} 秒；数据库大小 {result.database_bytes / 2**20:.1f} MiB"
            )
        )
        return None

    def _history_only(self, plan, options) -> None:
        try:
            index, total = (int(x) for x in options["part"].split("/"))
        except ValueError:
            index, total = -1, 0
        if not 0 <= index < total:
            raise GenerateError("--part 应写成 i/n（0 ≤ i < n），例如 0/2、1/2")
        result = add_history(
            plan,
            actor=self._actor(options["actor"]),
            progress=self._progress,
            resume=options["resume"],
            part=(index, total),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：历史数据 {self._counts(result.counts)}，用时 {result.seconds} 秒；"
                f"数据库大小 {result.database_bytes / 2**20:.1f} MiB"
            )
        )

    @staticmethod
    def _counts(counts: dict) -> str:
        return "、".join(f"{name} {number}" for name, number in counts.items())

    def _progress(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)

    def _actor(self, username: str | None):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"--actor：用户 {username} 不存在")
