"""The daily due-list digest (issue item 8): each branch secretary hears what is overdue and what
falls due soon in their branch, in the notification centre (and by e-mail when configured).

Run daily at 07:00 by the scheduler (`recruitment/schedule.py`, `qiangji.core.schedule`), or by hand:
`qiangji recruitment_digest`.  One audit entry per run, attributed to the system.  The nightly
`flag_ended_notices` tells the secretaries which notice windows (公示) have closed.
"""

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django_tasks import task

from qiangji.core import audit
from qiangji.core.choices import Role
from qiangji.core.dates import today
from qiangji.core.models import AuditEntry
from qiangji.core.notifications import notify
from qiangji.orgs.models import Grant, Organisation
from qiangji.recruitment.models import PublicNotice
from qiangji.recruitment.selectors import due

DIGEST_KIND = "recruitment.due_digest"
DEFAULT_HORIZON = 7
NOTICE_ENDED_KIND = "recruitment.notice_ended"
NOTICE_ENDED_ACTION = "recruitment.notice.ended"
NOTICE_LOOKBACK_DAYS = 14
AUDIT_LABELS = {
    "recruitment.digest.sent": "发送发展党员到期提醒",  # registered in apps.py
    NOTICE_ENDED_ACTION: "公示期结束提醒",
}


def _message(branch: Organisation, rows: list[tuple], day: datetime.date, horizon: int) -> tuple[str, str]:
    overdue = sum(row[1] for row in rows)
    soon = sum(row[2] for row in rows)
    title = f"{branch.name}：发展党员{overdue}项逾期、{soon}项{horizon}天内到期"
    lines = [f"截至{day:%Y年%-m月%-d日}："]
    for deadline, late, upcoming in rows:
        parts = [f"逾期{late}人" if late else "", f"{horizon}天内到期{upcoming}人" if upcoming else ""]
        lines.append(
            f"· 第{deadline.step}步 {deadline.step_name}（{deadline.rule.title}）：{'，'.join(p for p in parts if p)}"
        )
    return title, "\n".join(lines)


def secretaries_by_branch(branch_ids) -> dict[int, list]:
    """Users holding a branch grant on each branch (active users only)."""
    result: dict[int, list] = {}
    grants = Grant.objects.filter(
        organisation_id__in=list(branch_ids), role=Role.BRANCH, user__is_active=True
    ).select_related("user")
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
        sent += notify(
            recipients=users,
            kind=DIGEST_KIND,
            title=title,
            body=body,
            url=f"{url}?org={branch_id}&days={horizon}",
            org_path=branch.path,
        )
        notified_branches += 1
    result = {
        "day": day,
        "horizon": horizon,
        "branches_with_items": len(counts),
        "branches_notified": notified_branches,
        "notifications": sent,
        "overdue": sum(r[1] for rows in counts.values() for r in rows),
        "soon": sum(r[2] for rows in counts.values() for r in rows),
    }
    audit.record(
        actor=None, action="recruitment.digest.sent", target_repr=f"{day:%Y-%m-%d} 到期提醒", after=result
    )
    return result


@task()
def send_due_digest_task(horizon: int = DEFAULT_HORIZON) -> dict:
    result = send_due_digest(horizon=horizon)
    return {key: str(value) if isinstance(value, datetime.date) else value for key, value in result.items()}


@transaction.atomic
def flag_ended_notices(*, day: datetime.date | None = None, lookback: int = NOTICE_LOOKBACK_DAYS) -> dict:
    """公示期结束: every notice whose window has ended (its last day before `day`, within `lookback` days)
    is flagged once: the branch secretaries hear that the window closed and whether objections are still
    open (the next step waits for them, docs/rules.md §1).  One audit entry per notice, on the notice,
    which is also what makes a second run a no-op.  Run nightly by the scheduler (`core.schedule`)."""
    day = day or today()
    ended = list(
        PublicNotice.objects.filter(ends_on__lt=day, ends_on__gte=day - datetime.timedelta(days=lookback))
        .select_related("case", "case__organisation")
        .annotate(open_objections=Count("objections", filter=Q(objections__resolved_on__isnull=True)))
        .order_by("ends_on", "pk")
    )
    flagged_before = set(
        AuditEntry.objects.filter(
            action=NOTICE_ENDED_ACTION,
            target_type=PublicNotice._meta.label_lower,
            target_id__in=[str(notice.pk) for notice in ended],
        ).values_list("target_id", flat=True)
    )
    fresh = [notice for notice in ended if str(notice.pk) not in flagged_before]
    recipients = secretaries_by_branch({notice.case.organisation_id for notice in fresh})
    sent = 0
    for notice in fresh:
        case = notice.case
        if notice.open_objections:
            title = f"{case.name}：{notice.get_purpose_display()}已结束，尚有{notice.open_objections}个反映问题待处理"
        else:
            title = f"{case.name}：{notice.get_purpose_display()}已结束，可进行下一步"
        body = (
            f"公示期 {notice.starts_on:%Y-%m-%d} 至 {notice.ends_on:%Y-%m-%d}（{notice.working_days}个工作日）。"
            + ("反映的问题处理完毕后方可进行下一步。" if notice.open_objections else "")
        )
        sent += notify(
            recipients=recipients.get(case.organisation_id, []),
            kind=NOTICE_ENDED_KIND,
            title=title,
            body=body,
            url=reverse("recruitment:case", args=[case.pk]),
            org_path=notice.org_path,
        )
        audit.record(
            actor=None,
            action=NOTICE_ENDED_ACTION,
            target=notice,
            org=case.organisation,
            after={"case": case.pk, "ends_on": notice.ends_on, "open_objections": notice.open_objections},
        )
    return {"day": str(day), "ended": len(ended), "flagged": len(fresh), "notifications": sent}


@task()
def flag_ended_notices_task() -> dict:
    return flag_ended_notices()
