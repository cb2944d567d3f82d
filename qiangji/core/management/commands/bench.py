"""`qiangji bench <name> [options]`: run a named benchmark, print its table and summary, write JSON.

`qiangji bench --list` shows the registered benchmarks.  `--database-url` re-runs the command with
QIANGJI_DATABASE_URL set, so the benchmark measures that database (PostgreSQL for the real figures).
"""

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from qiangji.core.bench import discover, format_table, write_json


class Command(BaseCommand):
    help = "性能基准：qiangji bench <名称>，例如 qiangji bench import --rows 100000"

    def add_arguments(self, parser):
        parser.add_argument("--database-url", help="在该数据库上运行（默认 QIANGJI_DATABASE_URL）")
        parser.add_argument("--list", action="store_true", help="列出所有基准")
        parser.add_argument("--no-json", action="store_true", help="不写 var/bench/*.json")
        subparsers = parser.add_subparsers(dest="benchmark", metavar="NAME")
        for name, cls in sorted(discover().items()):
            sub = subparsers.add_parser(name, help=cls.help)
            cls().add_arguments(sub)

    def handle(self, *args, **options):
        benchmarks = discover()
        if options["list"] or not options.get("benchmark"):
            for name, cls in sorted(benchmarks.items()):
                self.stdout.write(f"{name:12} {cls.help}")
            return
        url = options.get("database_url")
        if url and os.environ.get("QIANGJI_DATABASE_URL") != url:
            self._rerun_with(url)
        benchmark = benchmarks[options["benchmark"]]()
        report = benchmark.run(options, log=lambda text: self.stderr.write(text))
        self.stdout.write(f"\n{report.name}\n{format_table(report.rows)}\n")
        self.stdout.write(self.style.SUCCESS(report.summary))
        if report.goal:
            self.stdout.write(report.goal)
        if not options["no_json"]:
            self.stdout.write(f"JSON: {write_json(report, options)}")

    def _rerun_with(self, url: str) -> None:
        argv = [arg for arg in sys.argv if not arg.startswith("--database-url=")]
        if "--database-url" in argv:
            index = argv.index("--database-url")
            argv = argv[:index] + argv[index + 2:]
        if len(argv) < 2 or argv[1] != "bench":
            raise CommandError("请改用环境变量 QIANGJI_DATABASE_URL 指定数据库")
        env = {**os.environ, "QIANGJI_DATABASE_URL": url}
        os.execve(sys.executable, [sys.executable, "-m", "qiangji", *argv[1:]], env)
