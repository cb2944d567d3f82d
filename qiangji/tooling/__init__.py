"""The top floor: demo data and benchmarks over every app.

`generate/` holds the generator's framework (plan, tree, places, base organisations, members and
committees, writers, the demo accounts, and the history orchestrator); `bench` holds the benchmark
framework (registry, runner helpers, percentile, PostgreSQL check, JSON output); `management/commands`
holds `qiangji demo`, `qiangji generate` and `qiangji bench`.

Each domain app owns its share: `<app>/demo.py` registers its history with
`qiangji.tooling.generate.history.register`, `<app>/bench.py` (or a `bench/` package) registers its
benchmarks with `qiangji.tooling.bench.register`; both are found by autodiscovery over the installed
apps.  The kernel (`qiangji.core`) never imports this package.
"""
