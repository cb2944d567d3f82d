"""The daily due-list digest (issue item 8): each branch secretary hears what is overdue and what
falls due soon in their branch, in the notification centre (and by e-mail when configured).

Run daily by the worker's scheduler or cron: `qiangji recruitment_digest` (management command), or the
`send_due_digest_task` django-tasks task.  One audit entry per run, attributed to the system.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from qiangji.core import audit
from qiangji.core.choices import Role
from qiangji.core.dates import today
from qiangji.core.notifications import notify
from qiangji.orgs.models import Grant, Organisation
from qiangji.recruitment.selectors import due

DIGEST_KIND = "recruitment.due_digest"
DEFAULT_HORIZON = 7
AUDIT_LABELS = {"recruitment.digest.sent": "发送发展党员到期提醒"}  # registered in apps.py


def _message(branch: Organisation, rows: list[tuple], day: datetime.date, horizon: int) -> tuple[str, str]:
    overdue = sum(row[1] for row in rows)
    soon = sum(row[2] for row in rows)
    title = f"{branch.name}：发展党员{overdue}项逾期、{soon}项{horizon}天内到期"
    lines = [f"截至{day:%Y年%-m月%-d日}："]
    for deadline, late, upcoming in rows:
        parts = [f"逾期{late}人" if late else "", f"{horizon}天内到期{upcoming}人" if upcoming else ""]
        lines.append(f"· 第{deadline.step}步 {deadline.step_name}（{deadline.rule.title}）：{'，'.join(p for p in parts if p)}")
    return title, "\n".join(lines)


def secretaries_by_branch(branch_ids) -> dict[int, list]:
    """Users holding a branch grant on each branch (active users only)."""
    result: dict[int, list] = {}
    grants = Grant.objects.filter(organisation_id__in=list(branch_ids), role=Role.BRANCH,
                                  user__is_active=True).select_related("user")
    for grant in grants:
        result.setdefault(grant.organisation_id, []).append(grant.user)
    return result


@transaction.atomic
def send_due_digest(*, day: datetime.date | None = None, horizon: int = DEFAULT_HORIZON) -> dict:
    """Notify every branch with overdue or soon-due steps; returns the run's figures (also audited)."""
    day = day or today()
    counts = due.counts_by_branch(day, horizon)
    counts = {branch: rows for branch, rows in counts.items() if any(r[1] or r[2] for r in rows)}
    recipients = secretaries_by_branch(counts)
    branches = Organisation.objects.in_bulk(list(counts))
    sent = notified_branches = 0
    url = reverse("recruitment:due")
    for branch_id, rows in counts.items():
        users = recipients.get(branch_id, [])
        if not users:
            continue
        branch = branches[branch_id]
        title, body = _message(branch, rows, day, horizon)
        sent += notify(recipients=users, kind=DIGEST_KIND, title=title, body=body,
                       url=f"{url}?org={branch_id}&days={horizon}", org_path=branch.path)
        notified_branches += 1
    result = {"day": day, "horizon": horizon, "branches_with_items": len(counts),
              "branches_notified": notified_branches, "notifications": sent,
              "overdue": sum(r[1] for rows in counts.values() for r in rows),
              "soon": sum(r[2] for rows in counts.values() for r in rows)}
    audit.record(actor=None, action="recruitment.digest.sent", target_repr=f"{day:%Y-%m-%d} 到期提醒", after=result)
    return result


@task()
def send_due_digest_task(horizon: int = DEFAULT_HORIZON) -> dict:
    result = send_due_digest(horizon=horizon)
    return {key: str(value) if isinstance(value, datetime.date) else value for key, value in result.items()}
