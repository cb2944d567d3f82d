"""`qiangji verify_audit`: recompute the audit hash chain (ADR 0004) and name every entry or link that was
changed, deleted or left out. Exit status 0 when intact, 1 when not (for cron and monitoring).

`--seal` first links the entries not yet sealed (the scheduler's tick does it every minute).
"""

import sys

from django.core.management.base import BaseCommand

from qiangji.core import audit
from qiangji.core.models import AuditEntry


class Command(BaseCommand):
    help = "校验审计日志哈希链：找出被改动、删除或未入链的审计记录"

    def add_arguments(self, parser):
        parser.add_argument("--seal", action="store_true", help="校验前先把尚未入链的记录入链")
        parser.add_argument(
            "--grace", type=int, default=3600, help="新记录入链的宽限时间（秒，默认 3600），超时未入链即报告"
        )

    def handle(self, *args, seal=False, grace=3600, **options):
        if seal:
            sealed = audit.seal_all()
            if sealed:
                self.stdout.write(f"新入链 {sealed} 条")
        checked, problems = audit.verify(unsealed_grace_seconds=grace)
        total = AuditEntry.objects.count()
        for problem in problems:
            self.stdout.write(f"[{problem.kind}] {problem.message}")
        if problems:
            self.stderr.write(
                f"审计链校验失败：{len(problems)} 处问题（已校验 {checked} 环，记录 {total} 条）"
            )
            sys.exit(1)
        self.stdout.write(f"审计链完整：已校验 {checked} 环，记录 {total} 条，算法 {audit.hash_algorithm()}")
