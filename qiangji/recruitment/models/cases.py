"""A development case: one person from application to archived file, and its dated step records."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from qiangji.core import crypto
from qiangji.core.scoping import ScopedQuerySet
from qiangji.members.choices import ETHNICITIES, Education, Sex
from qiangji.recruitment.choices import (
    CODE_OF_STEP,
    STEP_CHOICES,
    STEP_NAMES,
    CaseStatus,
    DocumentKind,
    Outcome,
    PlanGroup,
    Stage,
)


class Case(models.Model):
    """The applicant's validated personal items (same rules and encryption as `members.Member`:
    an applicant is not yet a member, so no Member row exists until the branch meeting admits them)
    plus the pipeline position and one date column per reference step (see choices.REFERENCE_FIELDS),
    so due lists are computed set-wise in SQL from this table alone."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="recruitment_cases",
        verbose_name="所在党支部",
    )
    org_path = models.CharField(max_length=255, db_index=True)
    region_code = models.CharField(max_length=6, blank=True)
    # Applicant (validated by members.validation.validate_member_fields)
    name = models.CharField("姓名", max_length=50)
    name_pinyin = models.CharField(max_length=120, blank=True)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    ethnicity = models.CharField("民族", max_length=2, choices=ETHNICITIES, blank=True)
    birth_date = models.DateField("出生日期")
    id_number_encrypted = models.CharField(max_length=120)
    id_number_hash = models.CharField(max_length=40)
    id_suffix = models.CharField(max_length=4)
    phone_encrypted = models.CharField(max_length=120, blank=True)
    phone_hash = models.CharField(max_length=40, blank=True)
    phone_suffix = models.CharField(max_length=4, blank=True)
    education = models.CharField("学历", max_length=2, choices=Education.choices, blank=True)
    employer = models.CharField("工作单位", max_length=200, blank=True)
    address = models.CharField("家庭住址", max_length=255, blank=True)
    group = models.CharField(
        "发展对象类别", max_length=20, choices=PlanGroup.choices, default=PlanGroup.OTHER
    )
    # Pipeline position: `step` is the last step done; the case waits for step + 1.
    status = models.CharField("状态", max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    stage = models.PositiveSmallIntegerField("阶段", choices=Stage.choices, default=Stage.APPLICATION)
    step = models.PositiveSmallIntegerField("当前步骤", choices=STEP_CHOICES, default=1)
    last_step_on = models.DateField("最近步骤日期", null=True, blank=True)
    # Reference dates (choices.REFERENCE_FIELDS)
    applied_on = models.DateField("递交申请书日期")
    talked_on = models.DateField("谈话日期", null=True, blank=True)
    activist_on = models.DateField("确定为入党积极分子日期", null=True, blank=True)
    last_assessment_on = models.DateField("最近考察日期", null=True, blank=True)
    target_on = models.DateField("确定为发展对象日期", null=True, blank=True)
    pre_reviewed_on = models.DateField("预审通过日期", null=True, blank=True)
    admitted_on = models.DateField(
        "支部大会通过接收日期",
        null=True,
        blank=True,
        help_text="预备期自此日起算（《中国共产党发展党员工作细则》第三十二条）",
    )
    approved_on = models.DateField("上级党委审批日期", null=True, blank=True)
    oath_on = models.DateField("入党宣誓日期", null=True, blank=True)
    probation_ends_on = models.DateField("预备期届满日期", null=True, blank=True)
    probation_extended = models.BooleanField("已延长预备期", default=False)
    confirmed_on = models.DateField("转正日期", null=True, blank=True, help_text="党龄自此日起算")
    confirmation_approved_on = models.DateField("转正审批日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    leaving_unit_on = models.DateField(
        "预计离开本单位日期",
        null=True,
        blank=True,
        help_text="3个月内离开的一般不办理（《中国共产党发展党员工作细则》第十九条）",
    )
    # Registry link, made at admission
    member = models.OneToOneField(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="recruitment_case"
    )
    dues_start_month = models.DateField("党费起交月份", null=True, blank=True, help_text="该月1日")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "-applied_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=Q(status__in=["open", "probationary"]),
                name="recruitment_case_one_open_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "step"], name="rec_case_status_step"),
            models.Index(fields=["id_number_hash"], name="rec_case_id_hash"),
            # Due lists order each deadline rule's cases by its reference date (ORDER BY ref, id LIMIT n).
            *[
                models.Index(fields=[column, "id"], name=f"rec_case_{column}")
                for column in (
                    "applied_on",
                    "pre_reviewed_on",
                    "admitted_on",
                    "approved_on",
                    "probation_ends_on",
                    "confirmed_on",
                )
            ],
        ]
        verbose_name = "发展党员工作记录"
        verbose_name_plural = "发展党员工作记录"

    def __str__(self):
        return f"{self.name}（{self.get_step_display()}）"

    @property
    def next_step(self) -> int | None:
        return self.step + 1 if self.step < 25 else None

    @property
    def next_step_name(self) -> str:
        return STEP_NAMES.get(self.next_step, "") if self.next_step else ""

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted)

    @property
    def id_number_masked(self) -> str:
        return "*" * 14 + self.id_suffix

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)

    @property
    def phone_tail_masked(self) -> str:
        return "*" * 7 + self.phone_suffix if self.phone_suffix else ""


class CaseTransfer(models.Model):
    """A case moved to another branch mid-way; the case keeps every record (org_path of the case's
    rows moves with it, this row keeps where it came from)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    org_path = models.CharField(max_length=255, db_index=True, help_text="接收支部的路径")
    from_organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    from_path = models.CharField(max_length=255)
    to_organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    transferred_on = models.DateField("转接日期")
    reason = models.CharField("原因", max_length=255)
    step_at_transfer = models.PositiveSmallIntegerField(choices=STEP_CHOICES)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "transferred_on", "id"]
        verbose_name = "培养关系转接"
        verbose_name_plural = "培养关系转接"

    def __str__(self):
        return f"{self.from_organisation} → {self.to_organisation}"


class StepRecord(models.Model):
    """One dated step of a case with its outcome, actors and step-specific fields (JSON)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    org_path = models.CharField(max_length=255, db_index=True)
    step = models.PositiveSmallIntegerField("步骤", choices=STEP_CHOICES)
    occurred_on = models.DateField("日期")
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.DONE)
    actors = models.JSONField("经办人", default=list, blank=True)
    fields = models.JSONField("内容", default=dict, blank=True)
    rule_set = models.CharField("适用规则集", max_length=20, blank=True)
    overridden = models.BooleanField("经特批", default=False)
    provisional = models.BooleanField(
        "日期为暂定", default=False, help_text="所涉年份不在节假日日历中，工作日按周一至周五计算"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "occurred_on", "step", "id"]
        indexes = [
            models.Index(fields=["case", "step"], name="rec_step_case_step"),
        ]
        verbose_name = "步骤记录"
        verbose_name_plural = "步骤记录"

    def __str__(self):
        return f"{self.get_step_display()} {self.occurred_on}"

    @property
    def code(self) -> str:
        return CODE_OF_STEP[self.step]


def document_path(instance, filename: str) -> str:
    return f"recruitment/{instance.case_id}/{filename}"


class StepDocument(models.Model):
    """An upload kept in the case file (application letter, admission form, vetting material ...)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    step_record = models.ForeignKey(
        StepRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    org_path = models.CharField(max_length=255, db_index=True)
    kind = models.CharField("材料类别", max_length=30, choices=DocumentKind.choices)
    title = models.CharField("名称", max_length=200)
    file = models.FileField("文件", upload_to=document_path, max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "kind", "uploaded_at"]
        verbose_name = "材料"
        verbose_name_plural = "材料"

    def __str__(self):
        return self.title
