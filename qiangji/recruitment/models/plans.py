"""Admission form numbers, annual development plans and file audits (UI built in views by R2)."""

from django.conf import settings
from django.db import models

from qiangji.core.scoping import ScopedQuerySet
from qiangji.recruitment.choices import FindingStatus, PlanGroup


class AdmissionFormRange(models.Model):
    """A numbered range of 入党志愿书 held by a committee (numbers issued one at a time)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="管理单位"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    prefix = models.CharField("编号前缀", max_length=20, blank=True)
    first_number = models.PositiveIntegerField("起始号")
    last_number = models.PositiveIntegerField("终止号")
    next_number = models.PositiveIntegerField("下一个号")
    width = models.PositiveSmallIntegerField("号码位数", default=6)
    received_on = models.DateField("领取日期")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "prefix", "first_number"]
        verbose_name = "入党志愿书编号段"
        verbose_name_plural = "入党志愿书编号段"

    def __str__(self):
        return (
            f"{self.prefix}{self.first_number:0{self.width}d}–{self.prefix}{self.last_number:0{self.width}d}"
        )

    @property
    def remaining(self) -> int:
        return max(0, self.last_number - self.next_number + 1)


class AdmissionForm(models.Model):
    """One issued form number (志愿书编号), bound to one case."""

    range = models.ForeignKey(AdmissionFormRange, on_delete=models.PROTECT, related_name="forms")
    case = models.OneToOneField("recruitment.Case", on_delete=models.PROTECT, related_name="admission_form")
    org_path = models.CharField(max_length=255, db_index=True)
    number = models.CharField("志愿书编号", max_length=40, unique=True)
    issued_on = models.DateField("发放日期")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = "入党志愿书"
        verbose_name_plural = "入党志愿书"

    def __str__(self):
        return self.number


class DevelopmentPlan(models.Model):
    """Annual plan: how many new members an organisation plans to admit in a group."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name="党组织"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    group = models.CharField("类别", max_length=20, choices=PlanGroup.choices)
    planned = models.PositiveIntegerField("计划发展数")
    note = models.CharField("说明", max_length=255, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "year", "group"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "group"], name="recruitment_plan_unique")
        ]
        verbose_name = "发展党员计划"
        verbose_name_plural = "发展党员计划"

    def __str__(self):
        return f"{self.organisation} {self.year} {self.get_group_display()}：{self.planned}"


class FileAudit(models.Model):
    """An organisation department's sample check of a year's new members' files (default 10%)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="组织部门"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    ratio = models.DecimalField("抽查比例（%）", max_digits=5, decimal_places=2, default=10)
    seed = models.CharField("抽样随机种子", max_length=40, blank=True)
    population = models.PositiveIntegerField("当年发展党员数", default=0)
    drawn_on = models.DateField("抽查日期")
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "org_path"]
        verbose_name = "发展党员档案抽查"
        verbose_name_plural = "发展党员档案抽查"

    def __str__(self):
        return f"{self.organisation} {self.year}年抽查"


class FileAuditSample(models.Model):
    """One sampled file; `org_path` is the case's, so the branch sees the findings to correct."""

    audit = models.ForeignKey(FileAudit, on_delete=models.CASCADE, related_name="samples")
    case = models.ForeignKey("recruitment.Case", on_delete=models.CASCADE, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True)
    checked_on = models.DateField("检查日期", null=True, blank=True)
    compliant = models.BooleanField("合规", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "id"]
        constraints = [models.UniqueConstraint(fields=["audit", "case"], name="recruitment_sample_once")]
        verbose_name = "抽查档案"
        verbose_name_plural = "抽查档案"

    def __str__(self):
        return str(self.case)


class FileAuditFinding(models.Model):
    """A problem found in a sampled file and its correction."""

    sample = models.ForeignKey(FileAuditSample, on_delete=models.CASCADE, related_name="findings")
    org_path = models.CharField(max_length=255, db_index=True)
    step = models.PositiveSmallIntegerField("涉及步骤", null=True, blank=True)
    description = models.TextField("问题")
    found_on = models.DateField("发现日期")
    due_on = models.DateField("整改期限", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    corrected_on = models.DateField("整改日期", null=True, blank=True)
    correction = models.TextField("整改情况", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["sample", "found_on", "id"]
        verbose_name = "抽查问题"
        verbose_name_plural = "抽查问题"

    def __str__(self):
        return self.description[:30]
