"""`qiangji import_members FILE --user USERNAME`: the web import, run in this process with a progress bar."""

import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from qiangji.core.jobs import job_context, mark_running
from qiangji.core.models import Job
from qiangji.members.roster.importing import can_import
from qiangji.members.roster.jobs import IMPORT_KIND, run_import


class ProgressBar:
    """A one-line terminal bar, redrawn at most ten times a second."""

    def __init__(self, stream, width: int = 30):
        self.stream, self.width, self.started, self.last = stream, width, time.monotonic(), 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        share = done / total if total else 1.0
        filled = int(self.width * min(share, 1.0))
        rate = done / max(now - self.started, 1e-6)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done:,}/{total:,} 行  {rate:,.0f} 行/秒"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")


class Command(BaseCommand):
    help = "导入党员名册（xlsx 或 csv），全部正确才会写入；错误按行列出。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="名册文件路径（.xlsx/.xls/.csv）")
        parser.add_argument("--user", required=True, help="以该用户的身份和管辖范围导入")
        parser.add_argument("--quiet-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{options['user']}”不存在或已停用")
        if not can_import(user):
            raise CommandError(f"用户“{user.username}”没有导入党员名册的权限")
        job = Job.objects.create(
            kind=IMPORT_KIND,
            created_by=user,
            params={
                "path": options["file"],
                "file_name": options["file"].rsplit("/", 1)[-1],
                "delete_after": False,
                "source": "cli",
            },
        )
        bar = None if options["quiet_progress"] else ProgressBar(getattr(self.stderr, "_out", sys.stderr))
        mark_running(job.pk)
        with job_context(job.pk):
            run_import(job, progress=bar)
        if bar:
            bar.close()
        job.refresh_from_db()
        self._report(job)

    def _report(self, job) -> None:
        if job.status == Job.Status.SUCCEEDED:
            self.stdout.write(self.style.SUCCESS(f"{job.message}（任务 {job.pk}）"))
            return
        for error in job.errors:
            self.stdout.write(f"第 {error['row']} 行 [{error['column']}] {error['message']}")
        raise CommandError(f"{job.message}（任务 {job.pk}）")
