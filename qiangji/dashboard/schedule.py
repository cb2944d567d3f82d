"""The dashboard's periodic job (`qiangji.core.schedule`), imported by `apps.py`'s ready(): the full rollup
rebuild every night at 02:00 (ADR 0008), which also corrects anything the incremental refresh missed.
Idempotent: a rebuild recomputes every rollup from the base tables."""

from django_tasks import task

from qiangji.core import schedule
from qiangji.dashboard.rollups import engine


@task()
def nightly_rebuild_task() -> dict:
    timings = engine.rebuild()
    return {key: round(value, 2) for key, value in timings.items()}


schedule.register(
    "dashboard.rebuild", task=nightly_rebuild_task, at=schedule.Daily(2, 0), title="一屏掌控汇总数据全量重建"
)
