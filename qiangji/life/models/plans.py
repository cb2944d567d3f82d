"""Year plans, monthly themes pushed down a subtree, and their checklists of activities."""

from django.conf import settings
from django.db import models

from qiangji.core.scoping import ScopedQuerySet, scope_of
from qiangji.life.choices import ChecklistKind


class InheritedQuerySet(ScopedQuerySet):
    """Rows a committee pushes down: visible to its subtree (below) and to the committees above it."""

    def visible_to(self, user, action="view"):
        """Besides the subtree, a reader sees what was pushed to them from above (view only)."""
        scope = scope_of(user)
        if scope.is_superuser:
            return self
        own = super().visible_to(user, action)
        if action != "view":
            return own
        roots = scope.paths_for(action) + scope.member_org_paths()
        ancestors = {root[:end] for root in roots for end in range(4, len(root), 4)}
        return own | self.filter(org_path__in=ancestors) if ancestors else own

    def for_branch_path(self, path: str):
        """Rows published by `path` or any ancestor of it (the materialised path has 4 characters a level)."""
        ancestors = [path[:end] for end in range(4, len(path) + 1, 4)]
        return self.filter(org_path__in=ancestors)


class MonthlyTheme(models.Model):
    """A month's theme published by a committee to its whole subtree (主题党日主题)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name="发布单位"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    title = models.CharField("主题", max_length=200)
    text = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InheritedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "month"], name="life_theme_unique")
        ]
        indexes = [models.Index(fields=["year", "month", "org_path"], name="life_theme_period_idx")]
        ordering = ["year", "month", "org_path"]
        verbose_name = "月度主题"
        verbose_name_plural = "月度主题"

    def __str__(self):
        return f"{self.year}年{self.month}月：{self.title}"


class ChecklistItem(models.Model):
    """An activity of a theme: required (规定动作, a branch cannot silently drop it) or optional (自选动作)."""

    theme = models.ForeignKey(MonthlyTheme, on_delete=models.CASCADE, related_name="items")
    org_path = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(
        "类别", max_length=10, choices=ChecklistKind.choices, default=ChecklistKind.REQUIRED
    )
    title = models.CharField("内容", max_length=200)
    description = models.CharField("要求", max_length=500, blank=True)
    position = models.PositiveSmallIntegerField("排序", default=0)

    objects = InheritedQuerySet.as_manager()

    class Meta:
        ordering = ["theme", "position", "id"]
        verbose_name = "规定/自选动作"
        verbose_name_plural = "规定/自选动作"

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def is_required(self) -> bool:
        return self.kind == ChecklistKind.REQUIRED


class YearPlan(models.Model):
    """A committee's or a branch's plan for a year; a branch plan inherits the themes pushed from above."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name="党组织"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="life_plan_unique")]
        ordering = ["-year", "org_path"]
        verbose_name = "年度计划"
        verbose_name_plural = "年度计划"

    def __str__(self):
        return self.title


class PlanItem(models.Model):
    """A planned meeting.  `theme` set means it was pushed from above: dropping it needs a reason."""

    plan = models.ForeignKey(YearPlan, on_delete=models.CASCADE, related_name="items")
    org_path = models.CharField(max_length=255, db_index=True)
    meeting_type = models.ForeignKey(
        "life.MeetingType", on_delete=models.PROTECT, related_name="+", verbose_name="会议类型"
    )
    theme = models.ForeignKey(
        MonthlyTheme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_items",
        verbose_name="上级主题",
    )
    planned_on = models.DateField("计划日期")
    title = models.CharField("内容", max_length=200)
    dropped_reason = models.CharField("取消理由", max_length=255, blank=True)
    dropped_at = models.DateTimeField("取消时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "planned_on", "id"]
        indexes = [models.Index(fields=["org_path", "planned_on"], name="life_planitem_path_date_idx")]
        verbose_name = "计划事项"
        verbose_name_plural = "计划事项"

    def __str__(self):
        return f"{self.planned_on} {self.title}"

    @property
    def is_pushed(self) -> bool:
        return self.theme_id is not None

    @property
    def is_dropped(self) -> bool:
        return self.dropped_at is not None
