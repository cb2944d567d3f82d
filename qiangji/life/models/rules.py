"""Meeting types and their frequencies as data (《中国共产党支部工作条例（试行）》 zbtl-2018, docs/rules.md §2), with stricter regional overrides."""

from django.conf import settings
from django.db import models

from qiangji.core.scoping import ScopedQuerySet
from qiangji.life.choices import Mark, Quorum


class MeetingType(models.Model):
    """A kind of meeting and its national default frequency: "at least once every `period_months` months".

    `counts_toward` lets one record satisfy two rules (a lecture by the secretary is also a Party
    lecture).  `bit` is the type's position in rollup bit masks (0–30), fixed once seeded.
    """

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    period_months = models.PositiveSmallIntegerField(
        "频次（每几个月至少一次）", help_text="1=每月，3=每季度，12=每年"
    )
    quorum = models.CharField("法定人数", max_length=30, choices=Quorum.choices, default=Quorum.NONE)
    usual_months = models.CharField(
        "通常召开月份", max_length=40, blank=True, help_text="如 10,11,12（第四季度）"
    )
    is_required = models.BooleanField("纳入达标统计", default=True)
    counts_toward = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="counted_from",
        verbose_name="同时计入",
    )
    has_checklist = models.BooleanField("有规定动作清单", default=False)
    source = models.CharField("依据", max_length=255)
    mark = models.CharField("依据类别", max_length=1, choices=Mark.choices)
    note = models.CharField("说明", max_length=255, blank=True)
    bit = models.PositiveSmallIntegerField("统计位", unique=True)
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "会议类型"
        verbose_name_plural = "会议类型"

    def __str__(self):
        return self.name


class MeetingRuleOverride(models.Model):
    """A region's stricter frequency for a meeting type (never looser: checked by the service, audited).

    Applies to the organisation's whole subtree; the deepest override on a branch's path wins.
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name="制定单位"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    meeting_type = models.ForeignKey(
        MeetingType, on_delete=models.CASCADE, related_name="overrides", verbose_name="会议类型"
    )
    period_months = models.PositiveSmallIntegerField("频次（每几个月至少一次）")
    reason = models.CharField("依据/理由", max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "meeting_type"], name="life_override_unique")
        ]
        ordering = ["org_path", "meeting_type"]
        verbose_name = "地方从严规定"
        verbose_name_plural = "地方从严规定"

    def __str__(self):
        return f"{self.organisation}：{self.meeting_type} 每{self.period_months}个月"
