"""`qiangji bench [NAME] [options]`: run one benchmark, or every registered one in turn.

`qiangji bench` runs all benchmarks with their defaults, one after the other; `qiangji bench NAME …`
runs one with its own options; `--scale small` (before or after NAME) asks every benchmark for a
quick run (`options["scale"]`, default "full").  Each prints its table and summary and writes JSON
under `var/bench/`; a run ends with one line per benchmark (its summary, with its ratio against the
baseline measured in the same run).  A failing benchmark prints its error and the others still run;
the command then exits non-zero.  `qiangji bench --list` shows the registered benchmarks.
`--database-url` re-runs the command with QIANGJI_DATABASE_URL set (PostgreSQL for the real figures).
"""

import argparse
import os
import sys
import time
import traceback

from django.core.management.base import BaseCommand, CommandError

from qiangji.tooling.bench import SCALES, discover, format_table, write_json, write_run_json


def benchmark_defaults(cls) -> dict:
    """The options a benchmark gets when it is not named on the command line (running all)."""
    parser = argparse.ArgumentParser(add_help=False)
    cls().add_arguments(parser)
    return vars(parser.parse_args([]))


class Command(BaseCommand):
    help = "性能基准：qiangji bench（全部）或 qiangji bench <名称>，例如 qiangji bench --scale small"

    def add_arguments(self, parser):
        parser.add_argument("--database-url", help="在该数据库上运行（默认 QIANGJI_DATABASE_URL）")
        parser.add_argument("--list", action="store_true", help="列出所有基准")
        parser.add_argument("--no-json", action="store_true", help="不写 var/bench/*.json")
        parser.add_argument(
            "--scale", choices=SCALES, default=None, help="small：小数据快速运行；full：完整规模（默认）"
        )
        subparsers = parser.add_subparsers(dest="benchmark", metavar="NAME")
        for name, cls in sorted(discover().items()):
            sub = subparsers.add_parser(name, help=cls.help)
            cls().add_arguments(sub)
            if not any(action.dest == "scale" for action in sub._actions):
                # SUPPRESS: absent after NAME, the value before NAME (or the default) stays.
                sub.add_argument(
                    "--scale",
                    choices=SCALES,
                    default=argparse.SUPPRESS,
                    help="small：小数据快速运行；full：完整规模（默认）",
                )

    def handle(self, *args, **options):
        benchmarks = discover()
        if options["list"]:
            for name, cls in sorted(benchmarks.items()):
                self.stdout.write(f"{name:12} {cls.help}")
            return
        url = options.get("database_url")
        if url and os.environ.get("QIANGJI_DATABASE_URL") != url:
            self._rerun_with(url)
        options["scale"] = options.get("scale") or "full"
        name = options.get("benchmark")
        if name:
            plan = [(name, options)]
        else:
            shared = {k: options[k] for k in ("scale", "no_json", "verbosity", "database_url")}
            plan = [
                (n, {**benchmark_defaults(cls), **shared, "benchmark": n})
                for n, cls in sorted(benchmarks.items())
            ]
            self.stdout.write(
                f"依次运行 {len(plan)} 个基准（规模 {options['scale']}）：{', '.join(n for n, _ in plan)}"
            )
        results = [self._run_one(benchmarks[n], n, opts) for n, opts in plan]
        self._finish(results, options, several=not name)

    def _run_one(self, cls, name: str, options: dict) -> dict:
        self.stdout.write(f"\n== {name} ==")
        started = time.perf_counter()
        try:
            report = cls().run(options, log=lambda text: self.stderr.write(text))
        except Exception as error:  # the runner reports the failure and goes on
            seconds = time.perf_counter() - started
            message = str(error) or error.__class__.__name__
            self.stderr.write(self.style.ERROR(f"{name} 失败：{message}"))
            if options.get("verbosity", 1) > 1 or not isinstance(error, CommandError):
                self.stderr.write("".join(traceback.format_exception(error)[-6:]))
            return {"name": name, "ok": False, "error": message, "seconds": round(seconds, 1)}
        seconds = time.perf_counter() - started
        self.stdout.write(f"\n{report.name}\n{format_table(report.rows)}\n")
        self.stdout.write(self.style.SUCCESS(report.summary))
        if report.goal:
            self.stdout.write(report.goal)
        result = {
            "name": name,
            "ok": True,
            "summary": report.summary,
            "ratio": report.ratio,
            "goal": report.goal,
            "seconds": round(seconds, 1),
        }
        if not options.get("no_json"):
            path = write_json(report, options)
            result["json"] = str(path)
            self.stdout.write(f"JSON: {path}")
        return result

    def _finish(self, results: list[dict], options: dict, *, several: bool) -> None:
        failed = [r for r in results if not r["ok"]]
        if several:
            self.stdout.write("\n== 汇总 ==")
            width = max(len(r["name"]) for r in results)
            for r in results:
                ratio = f"比值 {r['ratio']:.3g}" if r.get("ratio") is not None else "比值 —"
                line = (
                    f"{r['name']:{width}}  {ratio:12}  {r['summary']}（{r['seconds']} s）"
                    if r["ok"]
                    else f"{r['name']:{width}}  失败：{r['error']}（{r['seconds']} s）"
                )
                self.stdout.write(self.style.SUCCESS(line) if r["ok"] else self.style.ERROR(line))
            if not options.get("no_json"):
                self.stdout.write(f"JSON: {write_run_json(results, options)}")
        if failed:
            raise CommandError(
                f"{len(failed)} 个基准失败：" + "；".join(f"{r['name']}（{r['error']}）" for r in failed)
            )

    def _rerun_with(self, url: str) -> None:
        argv = [arg for arg in sys.argv if not arg.startswith("--database-url=")]
        if "--database-url" in argv:
            index = argv.index("--database-url")
            argv = argv[:index] + argv[index + 2 :]
        if len(argv) < 2 or argv[1] != "bench":
            raise CommandError("请改用环境变量 QIANGJI_DATABASE_URL 指定数据库")
        env = {**os.environ, "QIANGJI_DATABASE_URL": url}
        os.execve(sys.executable, [sys.executable, "-m", "qiangji", *argv[1:]], env)
