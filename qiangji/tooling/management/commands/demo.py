"""`qiangji demo` (what `make demo` runs): migrate, load the county demo data once, set up the six
demo accounts, then run the job worker, the scheduler of the periodic jobs (`qiangji scheduler`) and a web
server on 127.0.0.1:$PORT until Ctrl-C; a worker or scheduler that dies is started again.

DEBUG stays off, as in production: static files are served by WhiteNoise, which finds them through
the staticfiles finders (WHITENOISE_USE_FINDERS), so no collectstatic step is needed for the demo.
"""

import os
import signal
import socket
import subprocess
import sys
import time
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
        """The job worker, the scheduler and the web server as child processes, supervised: a worker or
        scheduler that dies is started again; stopping the server stops them."""
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
        signal.signal(signal.SIGTERM, _interrupt)
        python = sys.executable
        # Only what a user needs on the terminal: no Python warnings, no English worker log (the jobs' state
        # is on their pages and /jobs/schedule/), no server start-up chatter or access log — errors only.
        os.environ.setdefault("PYTHONWARNINGS", "ignore")
        helpers = Supervisor(helper_commands(python), out=self.stderr)
        server_cmd = server_command(python, port)
        server = subprocess.Popen(server_cmd)
        self.stdout.write("网站、后台任务和定时任务已启动；按 Ctrl-C 停止。")
        try:
            while server.poll() is None:
                helpers.check()
                time.sleep(1)
        except KeyboardInterrupt:
            server.terminate()
            server.wait(timeout=15)
        finally:
            helpers.stop()
        self.stdout.write("演示环境已停止。")


def helper_commands(python: str) -> dict[str, list[str]]:
    """The job worker (its English log off: a job's state is on its page) and the scheduler."""
    return {
        "后台任务": [python, "-m", "qiangji", "db_worker", "--verbosity", "0"],
        "定时任务调度": [python, "-m", "qiangji", "scheduler"],
    }


def server_command(python: str, port: int) -> list[str]:
    """granian, as in production (ADR 0007): threads per worker, so a slow PDF or a wall screen's refresh
    does not hold up the phones checking in; errors only on the terminal."""
    return [
        python,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "qiangji.wsgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
        "--blocking-threads",
        "8",
        "--log-level",
        "error",  # not granian's INFO lines nor its threads-vs-cores advice, which targets other setups
    ]


class Supervisor:
    """Child processes kept running: `check()` starts again any that exited, unless it died
    `MAX_RESTARTS` times within `WINDOW` seconds (then it says so and leaves it stopped)."""

    MAX_RESTARTS = 5
    WINDOW = 300.0

    def __init__(self, commands: dict[str, list[str]], out=None):
        self.commands = commands
        self.out = out or sys.stderr
        self.restarts: dict[str, list[float]] = {name: [] for name in commands}
        self.given_up: set[str] = set()
        self.processes = {name: subprocess.Popen(command) for name, command in commands.items()}

    def check(self) -> list[str]:
        """Start again the children that exited; returns their names."""
        restarted = []
        now = time.monotonic()
        for name, process in self.processes.items():
            if name in self.given_up or process.poll() is None:
                continue
            recent = [at for at in self.restarts[name] if now - at < self.WINDOW]
            if len(recent) >= self.MAX_RESTARTS:
                self.given_up.add(name)
                self.out.write(
                    f"{name}进程反复退出（{len(recent)}次/{int(self.WINDOW)}秒），不再重启；请查看上面的错误信息。"
                )
                continue
            self.out.write(f"{name}进程已退出（代码 {process.returncode}），正在重新启动…")
            self.restarts[name] = [*recent, now]
            self.processes[name] = subprocess.Popen(self.commands[name])
            restarted.append(name)
        return restarted

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


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
