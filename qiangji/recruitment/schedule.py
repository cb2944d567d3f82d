"""The development module's periodic jobs (`qiangji.core.schedule`), imported by `apps.py`'s ready():
the due-list digest every morning at 07:00 and the notice windows that closed, every night at 00:10."""

import datetime

from django_tasks import task

from qiangji.core import schedule
from qiangji.core.dates import today
from qiangji.core.models import AuditEntry
from qiangji.core.schedule import ZONE
from qiangji.recruitment.jobs import flag_ended_notices_task, send_due_digest


def digest_sent_on(day: datetime.date) -> bool:
    start = datetime.datetime.combine(day, datetime.time(0), tzinfo=ZONE)
    return AuditEntry.objects.filter(
        action="recruitment.digest.sent",
        created_at__gte=start,
        created_at__lt=start + datetime.timedelta(days=1),
    ).exists()


@task()
def daily_digest_task() -> dict:
    """The digest once a day: a second run on the same (Beijing) day sends nothing."""
    day = today()
    if digest_sent_on(day):
        return {"day": str(day), "skipped": "今天已发送"}
    result = send_due_digest(day=day)
    return {key: str(value) if isinstance(value, datetime.date) else value for key, value in result.items()}


schedule.register(
    "recruitment.digest",
    task=daily_digest_task,
    at=schedule.Daily(7, 0),
    title="发展党员到期提醒（发给各党支部书记）",
)
schedule.register(
    "recruitment.notices_ended",
    task=flag_ended_notices_task,
    at=schedule.Daily(0, 10),
    title="公示期结束提醒",
)
