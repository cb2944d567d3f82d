"""The request desk's periodic jobs (`qiangji.core.schedule`), imported by `apps.py`'s ready(): the
escalation sweep every 15 minutes (a 2-hour emergency limit must climb in time) and the 未评价 closure
nightly. Both are idempotent (a climbed request has a fresh limit; a closed one is no longer answered)."""

from qiangji.core import schedule
from qiangji.service.jobs import close_unrated_task, escalate_lapsed_task

schedule.register(
    "service.escalate", task=escalate_lapsed_task, at=schedule.Every(15), title="接诉即办：超时诉求自动上报"
)
schedule.register(
    "service.unrated", task=close_unrated_task, at=schedule.Daily(2, 0), title="接诉即办：逾期未评价办结"
)
