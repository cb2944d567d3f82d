"""`qiangji recruitment_digest [--days N] [--date YYYY-MM-DD]`: send the daily due-list digest now."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from qiangji.recruitment.jobs import DEFAULT_HORIZON, send_due_digest


class Command(BaseCommand):
    help = "向各党支部书记发送发展党员到期提醒（站内通知；配置邮件时同时发邮件）"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DEFAULT_HORIZON, help="即将到期的天数（默认 7）")
        parser.add_argument("--date", help="按哪一天计算（默认今天，格式 2026-05-18）")

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date：日期格式不正确：{options['date']}")
        if not 0 <= options["days"] <= 366:
            raise CommandError("--days：应在 0 到 366 之间")
        result = send_due_digest(day=day, horizon=options["days"])
        self.stdout.write(
            f"已通知 {result['branches_notified']} 个党支部（{result['notifications']} 条通知）："
            f"逾期 {result['overdue']} 项，{result['horizon']} 天内到期 {result['soon']} 项。"
        )
