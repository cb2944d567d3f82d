"""Organisational life's to-dos on the work bench (core.workbench), registered from `LifeConfig.ready()`:

* meetings planned for a day that has passed and not yet recorded, and records sent back for correction,
  per branch (SQL counts, each linked to the branch's calendar where they are listed);
* for a branch the user runs: the required meetings of the current period not yet held, and this month's
  theme day (主题党日) with its required activities while it is not held.
"""

from django.db.models import Count, Q
from django.urls import reverse

from qiangji.core import dates, workbench
from qiangji.core.choices import Action, Role
from qiangji.core.scoping import scope_of
from qiangji.life.choices import ChecklistKind, MeetingStatus, MeetingTypeCode
from qiangji.life.models import Meeting
from qiangji.life.selectors.todo import due_for
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

MAX_BRANCH_LINES = 50  # per kind; beyond, one line says how many more (they are on the life home page)
MAX_OWN_BRANCHES = 5  # the period checklist is computed for the branches the user runs directly


def _calendar(org_id: int) -> str:
    return reverse("life:calendar", kwargs={"org_pk": org_id})


def meetings_to_record(user) -> list[dict]:
    today = dates.today()
    rows = (
        Meeting.objects.visible_to(user, Action.CHANGE)
        .filter(Q(status=MeetingStatus.PLANNED, planned_on__lt=today) | Q(status=MeetingStatus.RETURNED))
        .order_by()
        .values("organisation", "organisation__name")
        .annotate(
            late=Count("pk", filter=Q(status=MeetingStatus.PLANNED)),
            returned=Count("pk", filter=Q(status=MeetingStatus.RETURNED)),
        )
        .order_by("-returned", "-late", "organisation__name")
    )
    lines, rest = [], 0
    for index, row in enumerate(rows):
        if index >= MAX_BRANCH_LINES:
            rest += row["late"] + row["returned"]
            continue
        url = _calendar(row["organisation"])
        name = row["organisation__name"]
        if row["late"]:
            lines.append(
                workbench.todo(
                    "warning",
                    f"{name}：{row['late']} 次会议已过计划日期，请补录会议记录",
                    url,
                    count=row["late"],
                    key=f"life.record.{row['organisation']}",
                )
            )
        if row["returned"]:
            lines.append(
                workbench.todo(
                    "danger",
                    f"{name}：{row['returned']} 份会议记录被退回，请修改后重新报送",
                    url,
                    count=row["returned"],
                    key=f"life.returned.{row['organisation']}",
                )
            )
    if rest:
        lines.append(
            workbench.todo("warning", f"另有 {rest} 次会议待记录或修改", reverse("life:home"), count=rest)
        )
    return lines


def _own_branches(user) -> list[Organisation]:
    paths = [path for path, role in scope_of(user).grants if role == Role.BRANCH]
    if not paths or len(paths) > MAX_OWN_BRANCHES:
        return []
    return list(
        Organisation.objects.visible_to(user, Action.CHANGE)
        .active()
        .filter(path__in=paths, kind__in=BRANCH_KINDS)
        .order_by("path")
    )


def period_checklist(user) -> list[dict]:
    today = dates.today()
    lines = []
    for branch in _own_branches(user):
        todo = due_for(branch, today.year, today.month)
        url = _calendar(branch.pk)
        missing = [item for item in todo["due"] if not item.is_done]
        theme_day_missing = any(item.meeting_type.code == MeetingTypeCode.THEME_DAY for item in missing)
        others = [item for item in missing if item.meeting_type.code != MeetingTypeCode.THEME_DAY]
        if others:
            names = "、".join(item.meeting_type.name for item in others)
            lines.append(
                workbench.todo(
                    "info",
                    f"{branch.name}本期尚未召开：{names}",
                    url,
                    count=len(others),
                    key=f"life.due.{branch.pk}.{today:%Y%m}",
                )
            )
        if theme_day_missing:
            required = [item for item in todo["items"] if item.kind == ChecklistKind.REQUIRED]
            if todo["themes"]:
                theme = todo["themes"][0]
                text = f"{branch.name}：本月主题党日「{theme.title}」尚未开展（规定动作 {len(required)} 项）"
                url = reverse("life:monthlytheme-detail", args=[theme.pk])
            else:
                text = f"{branch.name}：本月主题党日尚未开展"
            lines.append(
                workbench.todo("info", text, url, count=1, key=f"life.theme_day.{branch.pk}.{today:%Y%m}")
            )
    return lines


def register() -> None:
    workbench.register_todos("life.meetings", meetings_to_record, order=30)
    workbench.register_todos("life.checklist", period_checklist, order=31)
