"""Development's to-dos on the work bench (core.workbench), registered from `RecruitmentConfig.ready()`:
per deadline rule, the steps overdue and due within the due list's horizon over the user's subtree (one
aggregate query, `selectors.due.summary`), each linked to the due list of that rule, which lists exactly
those cases."""

from urllib.parse import urlencode

from django.urls import reverse

from qiangji.core import navigation, workbench
from qiangji.core.scoping import scope_of
from qiangji.recruitment.choices import STEP_NAMES
from qiangji.recruitment.selectors import due

HORIZON = 30  # days: the due list's default horizon


def due_steps(user) -> list[dict]:
    if not navigation.is_manager(scope_of(user), user):
        return []
    lines = []
    for row in due.summary(user, horizon=HORIZON):
        total = row.overdue + row.soon
        if not total:
            continue
        step = f"第{row.deadline.step}步 {STEP_NAMES.get(row.deadline.step, '')}".strip()
        parts = []
        if row.overdue:
            parts.append(f"{row.overdue} 人已逾期")
        if row.soon:
            parts.append(f"{row.soon} 人 {HORIZON} 天内到期")
        lines.append(
            workbench.todo(
                "danger" if row.overdue else "warning",
                f"{step}（{row.deadline.rule.title}）：{'，'.join(parts)}",
                reverse("recruitment:due") + "?" + urlencode({"rule": row.deadline.code}),
                count=total,
                key=f"recruitment.due.{row.deadline.code}",
            )
        )
    return lines


def register() -> None:
    workbench.register_todos("recruitment.due", due_steps, order=40)
