"""`qiangji scheduler`: enqueue the periodic jobs when they are due (`qiangji.core.schedule`).

Run one per deployment next to the job worker (`make demo` does): every `--interval` seconds it claims
each due job's slot in its `ScheduledRun` row and enqueues it on the task backend; the worker runs it.
A second scheduler by mistake does no harm: a slot is claimed by one conditional UPDATE, so it is
enqueued once.  `--once` runs one tick and exits (cron-style), `--run NAME` enqueues a job now,
`--list` shows the jobs and their last runs.
"""

import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from qiangji.core import jobs, schedule
from qiangji.core.models import ScheduledRun


class Command(BaseCommand):
    help = "定时任务调度：到时把各定时任务交给后台任务执行（每个部署运行一个）"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=30, help="检查间隔（秒，默认 30）")
        parser.add_argument("--once", action="store_true", help="只检查一次然后退出")
        parser.add_argument("--run", metavar="NAME", help="立即把该定时任务交给后台任务执行")
        parser.add_argument("--list", action="store_true", help="列出定时任务及其最近一次运行")

    def handle(self, *args, interval=30, once=False, run=None, list=False, **options):
        if list:
            return self._list()
        if run:
            try:
                schedule.run_now(run)
            except KeyError as error:
                raise CommandError(str(error.args[0]))
            self.stdout.write(f"已交给后台任务：{run}")
            return
        if not 5 <= interval <= 3600:
            raise CommandError("--interval：应在 5 到 3600 秒之间")
        self._stop = False
        if once:
            return self._loop(interval, once=True)
        # A long-running scheduler stops cleanly on SIGTERM/SIGINT; the handlers are put back afterwards, and a
        # `--once` run (also called in-process) never touches the process's signals.
        previous = {sig: signal.signal(sig, self._request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            names = "、".join(job.name for job in schedule.registered())
            self.stdout.write(f"定时任务调度已启动（每 {interval} 秒检查）：{names}")
            return self._loop(interval, once=False)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _loop(self, interval: int, *, once: bool):
        while True:
            if not once:
                close_old_connections()  # a long-lived process: drop a connection the server has closed
            try:
                # Jobs whose worker died (lease expired) are failed and cleaned up; new audit entries sealed.
                for job_id in jobs.housekeeping()["reaped"]:
                    self.stdout.write(
                        f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 任务执行进程已中断，标记失败：{job_id}"
                    )
                for name in schedule.tick():
                    self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 已交给后台任务：{name}")
            except Exception as error:  # a database hiccup must not end the scheduler; the next tick retries
                if once:
                    raise
                self.stderr.write(f"定时任务调度出错，稍后重试：{error}")
            if once or self._stop:
                return
            deadline = time.monotonic() + interval
            while not self._stop and time.monotonic() < deadline:
                time.sleep(0.5)
            if self._stop:
                return

    def _request_stop(self, signum, frame):
        self._stop = True

    def _list(self):
        rows = {row.name: row for row in ScheduledRun.objects.all()}
        for job in schedule.registered():
            row = rows.get(job.name)
            last = (
                "从未运行"
                if row is None or not row.status
                else (
                    f"{row.get_status_display()}，计划 {timezone.localtime(row.last_slot):%Y-%m-%d %H:%M}"
                    if row.last_slot
                    else row.get_status_display()
                )
            )
            self.stdout.write(f"{job.name:32} {job.at.describe():20} {last}")
