"""`qiangji dashboard_rebuild`: recompute every dashboard rollup from the base tables (ADR 0008)."""

from django.core.management.base import BaseCommand

from qiangji.dashboard.rollups import engine


class Command(BaseCommand):
    help = "全量重建一屏掌控汇总数据（各级组织、近24个月）"

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=engine.KEEP_MONTHS, help="保留的月份数（默认24）")

    def handle(self, *args, **options):
        timings = engine.rebuild(months=options["months"], log=lambda text: self.stdout.write(text))
        self.stdout.write(self.style.SUCCESS(f"重建完成，用时 {timings['total']:.1f} 秒"))
