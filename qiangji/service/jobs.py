"""Tasks of the request desk (django-tasks): the two periodic sweeps, run by `schedule.py`."""

from django_tasks import task

from qiangji.service import services


@task()
def escalate_lapsed_task() -> dict:
    """Requests whose tier's limit lapsed climb one tier (set-wise)."""
    return {"escalated": services.escalate_lapsed()}


@task()
def close_unrated_task() -> dict:
    """Answered requests the requester did not rate in N days close as 未评价 (set-wise)."""
    return {"closed": services.close_unrated()}
