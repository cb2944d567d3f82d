"""Working-day overrides (调休 and holidays) for years the packaged calendar does not cover, or to correct it.

Imported from `qiangji.core.models` (one import line) so that the model belongs to the core app."""

from django.db import models


class WorkdayOverride(models.Model):
    """One day whose working status an administrator sets: a holiday (False) or a make-up working day (True).

    An override wins over the packaged calendar (`chinesecalendar`); a year with at least one override row
    counts as covered, so the "next year's calendar is missing" warning disappears once it is entered."""

    day = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日", default=False)
    name = models.CharField("名称", max_length=60, blank=True, help_text="如：春节、国庆节调休上班")
    source = models.CharField(
        "依据", max_length=255, blank=True, help_text="如：国务院办公厅关于某年部分节假日安排的通知"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        app_label = "core"
        ordering = ["day"]
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {'上班' if self.is_working_day else '休息'} {self.name}".strip()
