"""Monthly themes pushed down a subtree, and year plans that inherit them (speeches 6 and 7)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.life.choices import ChecklistKind, MeetingTypeCode
from qiangji.life.models import ChecklistItem, MeetingType, MonthlyTheme, PlanItem, YearPlan
from qiangji.life.services.base import changeable_org, required_text


def _check_period(year, month=None) -> None:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度不正确"})
    if month is not None and (not isinstance(month, int) or not 1 <= month <= 12):
        raise ValidationError({"month": "月份须在1至12之间"})


def _new_items(theme: MonthlyTheme, items) -> list[ChecklistItem]:
    rows = []
    for position, item in enumerate(items or ()):
        kind = item.get("kind", ChecklistKind.REQUIRED)
        if kind not in ChecklistKind.values:
            raise ValidationError({"items": f"第{position + 1}项：类别只能是规定动作或自选动作"})
        title = (item.get("title") or "").strip()
        if not title:
            raise ValidationError({"items": f"第{position + 1}项：请填写内容"})
        rows.append(
            ChecklistItem(
                theme=theme,
                org_path=theme.org_path,
                kind=kind,
                title=title[:200],
                description=(item.get("description") or "")[:500],
                position=position,
            )
        )
    return ChecklistItem.objects.bulk_create(rows)


@transaction.atomic
def push_theme(
    *, actor, organisation, year: int, month: int, title: str, text: str = "", items=()
) -> MonthlyTheme:
    """Publish a month's theme and checklist to the committee's whole subtree.

    Existing plans of that year below it inherit the theme day at once; later plans inherit on creation.
    """
    org = changeable_org(actor, organisation, branch=False)
    _check_period(year, month)
    title = required_text(title, "title", "主题")
    if MonthlyTheme.objects.filter(organisation=org, year=year, month=month).exists():
        raise ValidationError({"month": f"本单位{year}年{month}月的主题已经发布，请修改原主题"})
    theme = MonthlyTheme.objects.create(
        organisation=org,
        org_path=org.path,
        year=year,
        month=month,
        title=title[:200],
        text=text or "",
        created_by=actor,
    )
    created = _new_items(theme, items)
    plans = YearPlan.objects.filter(org_path__startswith=org.path, year=year)
    PlanItem.objects.bulk_create([_inherited_item(plan, theme) for plan in plans])
    audit.record(
        actor=actor,
        action="life.theme.pushed",
        target=theme,
        org=org,
        after={
            "year": year,
            "month": month,
            "title": theme.title,
            "items": [f"{i.get_kind_display()}：{i.title}" for i in created],
            "plans_inherited": len(plans),
        },
    )
    return theme


@transaction.atomic
def add_checklist_item(
    *, actor, theme: MonthlyTheme, kind: str, title: str, description: str = ""
) -> ChecklistItem:
    theme = get_in_scope_or_404(MonthlyTheme, actor, theme, Action.CHANGE, lock=True)
    (item,) = _new_items(theme, [{"kind": kind, "title": title, "description": description}])
    item.position = theme.items.count()
    item.save(update_fields=["position"])
    audit.record(
        actor=actor,
        action="life.checklist_item.added",
        target=theme,
        org_path=theme.org_path,
        after={"kind": kind, "title": item.title},
    )
    return item


def _inherited_item(plan: YearPlan, theme: MonthlyTheme) -> PlanItem:
    theme_day = MeetingType.objects.get(code=MeetingTypeCode.THEME_DAY)
    return PlanItem(
        plan=plan,
        org_path=plan.org_path,
        meeting_type=theme_day,
        theme=theme,
        planned_on=datetime.date(theme.year, theme.month, 1),
        title=f"主题党日：{theme.title}",
    )


def _check_item(plan: YearPlan, meeting_type, planned_on, title) -> str:
    if not isinstance(meeting_type, MeetingType):
        raise ValidationError({"meeting_type": "请选择会议类型"})
    if not isinstance(planned_on, datetime.date) or planned_on.year != plan.year:
        raise ValidationError({"planned_on": f"计划日期须在{plan.year}年内"})
    return required_text(title or meeting_type.name, "title", "内容")


@transaction.atomic
def make_plan(*, actor, organisation, year: int, title: str = "", note: str = "", items=()) -> YearPlan:
    """A year plan for a committee or a branch; the themes already pushed to it are inherited as items."""
    org = changeable_org(actor, organisation)
    _check_period(year)
    if YearPlan.objects.filter(organisation=org, year=year).exists():
        raise ValidationError({"year": f"{org.name}的{year}年度计划已经存在"})
    plan = YearPlan.objects.create(
        organisation=org,
        org_path=org.path,
        year=year,
        title=(title or f"{org.name}{year}年度组织生活计划")[:200],
        note=note,
        created_by=actor,
    )
    themes = MonthlyTheme.objects.for_branch_path(org.path).filter(year=year)
    rows = [_inherited_item(plan, theme) for theme in themes]
    for number, item in enumerate(items or (), start=1):
        try:
            text = _check_item(plan, item.get("meeting_type"), item.get("planned_on"), item.get("title"))
        except ValidationError as error:
            raise ValidationError({"items": f"第{number}项：{error.messages[0]}"})
        rows.append(
            PlanItem(
                plan=plan,
                org_path=plan.org_path,
                meeting_type=item["meeting_type"],
                planned_on=item["planned_on"],
                title=text,
            )
        )
    PlanItem.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="life.plan.created",
        target=plan,
        org=org,
        after={"year": year, "items": len(rows), "inherited_themes": len(themes)},
    )
    return plan


@transaction.atomic
def add_plan_item(
    *, actor, plan: YearPlan, meeting_type: MeetingType, planned_on, title: str = ""
) -> PlanItem:
    plan = get_in_scope_or_404(YearPlan, actor, plan, Action.CHANGE, lock=True)
    text = _check_item(plan, meeting_type, planned_on, title)
    item = PlanItem.objects.create(
        plan=plan, org_path=plan.org_path, meeting_type=meeting_type, planned_on=planned_on, title=text
    )
    audit.record(
        actor=actor,
        action="life.plan_item.added",
        target=plan,
        org_path=plan.org_path,
        after={"meeting_type": meeting_type.code, "planned_on": planned_on, "title": text},
    )
    return item


@transaction.atomic
def drop_plan_item(*, actor, item: PlanItem, reason: str = "") -> PlanItem:
    """Cancel a planned item.  A pushed theme day cannot be dropped silently: the reason is required."""
    item = get_in_scope_or_404(PlanItem, actor, item, Action.CHANGE, lock=True)
    if item.is_dropped:
        raise ValidationError({"item": "该计划事项已经取消"})
    reason = (reason or "").strip()
    if item.is_pushed and not reason:
        raise ValidationError({"reason": "上级推送的主题党日不能直接删除，取消须写明理由（将记入审计日志）"})
    item.dropped_reason, item.dropped_at = reason[:255], timezone.now()
    item.save(update_fields=["dropped_reason", "dropped_at"])
    audit.record(
        actor=actor,
        action="life.plan_item.dropped",
        target=item.plan,
        org_path=item.org_path,
        before={"title": item.title, "planned_on": item.planned_on},
        after={"dropped_reason": item.dropped_reason, "pushed": item.is_pushed},
    )
    return item
