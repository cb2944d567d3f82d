"""`qiangji dues_suggestions`: recompute the lapse and lost-contact suggestions (schedule it nightly)."""

from django.core.management.base import BaseCommand

from qiangji.core import jobs
from qiangji.dues.jobs import SUGGESTIONS_KIND, compute_suggestions_task


class Command(BaseCommand):
    help = "重新计算不交党费、失去联系、停止党籍满2年的处置建议（只列出建议，不改变党员状态）"

    def add_arguments(self, parser):
        parser.add_argument("--path", default="", help="只计算该组织路径下的党员（默认全部）")
        parser.add_argument("--queue", action="store_true", help="交给后台任务执行，而不是当场执行")

    def handle(self, *args, path="", queue=False, **options):
        job = jobs.start_job(
            actor=None,
            kind=SUGGESTIONS_KIND,
            org_path=path,
            params={},
            task=compute_suggestions_task,
            inline=not queue,
        )
        self.stdout.write(f"{job.get_status_display()}：{job.message}")
