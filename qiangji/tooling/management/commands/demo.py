"""`qiangji demo` (what `make demo` runs): migrate, load the county demo data once, set up the six
demo accounts, then run the job worker and a web server on 127.0.0.1:$PORT until Ctrl-C.

DEBUG stays off, as in production: static files are served by WhiteNoise, which finds them through
the staticfiles finders (WHITENOISE_USE_FINDERS), so no collectstatic step is needed for the demo.
"""

import os
import signal
import socket
import subprocess
import sys
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from qiangji.orgs.models import Organisation
from qiangji.tooling.generate.accounts import demo_password, ensure_demo_accounts


class Command(BaseCommand):
    help = "演示环境：迁移数据库、首次运行时生成一个县的演示数据、设置演示账号，然后启动后台任务和网站"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
        parser.add_argument("--no-serve", action="store_true", help="只准备数据和账号，不启动网站（测试用）")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        port = options["port"]
        if not options["no_serve"] and not _port_is_free(port):
            raise CommandError(f"端口 {port} 已被占用：请用 PORT=8001 make demo 换一个端口")
        if not options["no_serve"]:
            # The demo's processes (worker, web server) run as the demo: the fake payment platform is allowed
            # there and chosen unless another provider is set (ADR 0015).
            os.environ["QIANGJI_DEMO"] = "1"
            os.environ.setdefault("QIANGJI_PAYMENT_PROVIDER", "fake")
        call_command("migrate", interactive=False, verbosity=0)
        if not Organisation.objects.exists():
            self.stdout.write("首次运行：正在生成演示数据（一个县，约2万名党员）…")
            call_command("generate", scale="county", seed=options["seed"], stdout=self.stdout)
            if "dashboard_rebuild" in get_commands():  # the dashboard's rollups over the new history
                call_command("dashboard_rebuild", stdout=self.stdout)
        password, source = demo_password()
        try:
            accounts = ensure_demo_accounts(password)
        except LookupError as error:
            raise CommandError(str(error))
        self._print_accounts(accounts, password, source, port)
        if not options["no_serve"]:
            self._serve(port)

    def _print_accounts(self, accounts, password, source, port) -> None:
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"强基演示环境：http://127.0.0.1:{port}/"))
        out.write(_pad("用户名", 12) + _pad("角色", 24) + "所在组织")
        for account in accounts:
            where = account.organisation.name if account.organisation else "（全部）"
            out.write(_pad(account.username, 12) + _pad(account.label, 24) + where)
        out.write(f"密码（所有演示账号相同）：{password}    （来自 {source}）")
        out.write("")

    def _serve(self, port: int) -> None:
        """The job worker and the web server as child processes; stopping the server stops the worker."""
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
        signal.signal(signal.SIGTERM, _interrupt)
        python = sys.executable
        worker = subprocess.Popen([python, "-m", "qiangji", "db_worker"])
        # granian, as in production (ADR 0007): threads per worker, so a slow PDF or a wall screen's refresh
        # does not hold up the phones checking in.
        server_cmd = [python, "-m", "granian", "--interface", "wsgi", "qiangji.wsgi:application",
                      "--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--blocking-threads", "8",
                      "--access-log"]
        server = subprocess.Popen(server_cmd)
        try:
            server.wait()
        except KeyboardInterrupt:
            server.terminate()
            server.wait(timeout=15)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
        self.stdout.write("演示环境已停止。")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal, where a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
