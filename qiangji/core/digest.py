"""The work bench's notifications and daily digest (issue #12 item 3): the same registry as the home page
(`core.workbench`) reaches people without their opening it.

* `notify_new_todos(user)`: one in-app notification per to-do line the user has not been told about yet
  (deduplicated on the line's key and text: the same line tomorrow is not sent again; a changed count is a
  new line);
* `send_daily_digest(day=)`: for every active account holding a grant, the new lines' notifications and
  one digest notification ("今日待办 N 项") linking to the all-to-dos page — once per account and day
  (a second run the same day sends nothing: idempotent), one audit entry per run.

Registered with `core.schedule` as "core.workbench_digest", every day at 07:30 Beijing time.
"""

import datetime
import hashlib

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from qiangji.core import audit, dates, schedule, workbench
from qiangji.core.models import Notification
from qiangji.core.notifications import notify

TODO_KIND_PREFIX = "workbench.todo."
DIGEST_KIND_PREFIX = "workbench.digest."
DIGEST_LINES = 30  # lines written into the digest's body; the link lists them all


def _todo_kind(line: dict) -> str:
    digest = hashlib.sha1(line["key"].encode(), usedforsecurity=False).hexdigest()[:32]
    return TODO_KIND_PREFIX + digest


def digest_kind(day: datetime.date) -> str:
    return f"{DIGEST_KIND_PREFIX}{day:%Y%m%d}"


def notify_new_todos(user, lines: list[dict] | None = None) -> int:
    """Notify `user` of each to-do line not notified before (same key, same text); returns how many."""
    lines = workbench.todos_for(user) if lines is None else lines
    wanted = {(_todo_kind(line), line["text"][:200]): line for line in lines}
    if not wanted:
        return 0
    seen = set(
        Notification.objects.filter(recipient=user, kind__in={kind for kind, _title in wanted}).values_list(
            "kind", "title"
        )
    )
    sent = 0
    for (kind, title), line in wanted.items():
        if (kind, title) in seen:
            continue
        sent += notify(recipients=[user], kind=kind, title=title, body=line["module_label"], url=line["url"])
    return sent


def _digest_body(lines: list[dict]) -> str:
    shown = [f"· {line['text']}" for line in lines[:DIGEST_LINES]]
    if len(lines) > DIGEST_LINES:
        shown.append(f"……另有 {len(lines) - DIGEST_LINES} 项")
    return "\n".join(shown)


def recipients():
    """Active accounts that hold at least one grant (a plain member's bench has no management lines)."""
    return get_user_model().objects.filter(is_active=True, grants__isnull=False).distinct().order_by("pk")


def send_daily_digest(*, day: datetime.date | None = None) -> dict:
    """The day's digest for every recipient, once per account and day."""
    day = day or dates.today()
    kind = digest_kind(day)
    done = set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))
    users = digests = new_items = 0
    for user in recipients().iterator(chunk_size=200):
        users += 1
        if user.pk in done:
            continue
        lines = workbench.todos_for(user)
        with transaction.atomic():
            new_items += notify_new_todos(user, lines)
            if lines:
                notify(
                    recipients=[user],
                    kind=kind,
                    title=f"{day.month}月{day.day}日待办 {len(lines)} 项",
                    body=_digest_body(lines),
                    url=reverse("todos"),
                )
                digests += 1
    result = {"day": str(day), "accounts": users, "digests": digests, "new_items": new_items}
    with transaction.atomic():
        audit.record(
            actor=None, action="core.workbench.digest", target_repr=f"{day:%Y-%m-%d} 待办汇总", after=result
        )
    return result


@task()
def daily_digest_task() -> dict:
    return send_daily_digest()


schedule.register(
    "core.workbench_digest",
    task=daily_digest_task,
    at=schedule.Daily(7, 30),
    title="每日待办汇总（工作台各模块的待办，发到站内通知）",
)
