"""`qiangji dashboard_refresh [--loop]`: apply the writes recorded since the last refresh (ADR 0008).

Without --loop: one incremental step.  With --loop: a step every --interval seconds, and a full
rebuild once a day (figures that change with the date alone: overdue steps, arrears, ages).
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from qiangji.dashboard.rollups import engine


class Command(BaseCommand):
    help = "增量刷新一屏掌控汇总数据（读取审计日志中新的写入）"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="持续运行，每隔 --interval 秒刷新一次")
        parser.add_argument("--interval", type=float, default=15.0)

    def handle(self, *args, **options):
        while True:
            state = engine.state()
            if (
                state.last_rebuild_at is None
                or timezone.localdate(state.last_rebuild_at) < timezone.localdate()
            ):
                timings = engine.rebuild()
                self.stdout.write(f"全量重建，用时 {timings['total']:.1f} 秒")
            else:
                result = engine.refresh()
                self.stdout.write(f"刷新 {result['organisations']} 个组织，用时 {result['seconds']:.2f} 秒")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
