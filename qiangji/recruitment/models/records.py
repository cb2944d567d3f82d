"""Who acted on a case: mentors, sponsors, vetting, training, sign-offs, overrides, probation."""

from django.conf import settings
from django.db import models

from qiangji.core.scoping import ScopedQuerySet
from qiangji.recruitment.choices import (
    STEP_CHOICES,
    MentorRole,
    Outcome,
    ProbationOutcome,
    SignOffLevel,
)

_USER = settings.AUTH_USER_MODEL


class Mentor(models.Model):
    """培养联系人 (step 5): 1–2 full members; `ended_on` set when replaced."""

    case = models.ForeignKey("recruitment.Case", on_delete=models.CASCADE, related_name="mentors")
    org_path = models.CharField(max_length=255, db_index=True)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="党员"
    )
    role = models.CharField("类别", max_length=20, choices=MentorRole.choices, default=MentorRole.GENERAL)
    assigned_on = models.DateField("指定日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "assigned_on", "id"]
        verbose_name = "培养联系人"
        verbose_name_plural = "培养联系人"

    def __str__(self):
        return f"{self.member}（{self.get_role_display()}）"


class Sponsor(models.Model):
    """入党介绍人 (step 9): exactly two full members, none under 留党察看."""

    case = models.ForeignKey("recruitment.Case", on_delete=models.CASCADE, related_name="sponsors")
    org_path = models.CharField(max_length=255, db_index=True)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="党员"
    )
    named_on = models.DateField("确定日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "named_on", "id"]
        verbose_name = "入党介绍人"
        verbose_name_plural = "入党介绍人"

    def __str__(self):
        return str(self.member)


class Vetting(models.Model):
    """政治审查 (step 10), recorded like a sign-off: reviewer, date, written conclusion, outcome.
    No link to any outside system (docs/architecture.md: the platform links to no outside system)."""

    case = models.ForeignKey("recruitment.Case", on_delete=models.CASCADE, related_name="vettings")
    org_path = models.CharField(max_length=255, db_index=True)
    reviewer_name = models.CharField("审查人", max_length=50)
    reviewer = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    concluded_on = models.DateField("结论日期")
    outcome = models.CharField("结论", max_length=10, choices=Outcome.choices)
    conclusion = models.TextField("书面结论")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "concluded_on", "id"]
        verbose_name = "政治审查"
        verbose_name_plural = "政治审查"

    def __str__(self):
        return f"{self.concluded_on} {self.get_outcome_display()}"


class TrainingRecord(models.Model):
    """集中培训 (step 11): days and/or hours; the gate sums them (≥ 3 days or ≥ 24 hours)."""

    case = models.ForeignKey("recruitment.Case", on_delete=models.CASCADE, related_name="trainings")
    org_path = models.CharField(max_length=255, db_index=True)
    provider = models.CharField("培训单位", max_length=200)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期")
    days = models.DecimalField("天数", max_digits=5, decimal_places=1, default=0)
    hours = models.DecimalField("学时", max_digits=6, decimal_places=1, default=0)
    certificate = models.CharField("结业证书编号", max_length=60, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "started_on", "id"]
        verbose_name = "集中培训"
        verbose_name_plural = "集中培训"

    def __str__(self):
        return f"{self.provider} {self.started_on}–{self.ended_on}"


class SignOff(models.Model):
    """A committee's written decision on a case: branch committee review, pre-review, approval,
    filing, higher consent (from 2026) or confirmation approval."""

    case = models.ForeignKey("recruitment.Case", on_delete=models.CASCADE, related_name="signoffs")
    org_path = models.CharField(max_length=255, db_index=True)
    step = models.PositiveSmallIntegerField("步骤", choices=STEP_CHOICES)
    level = models.CharField("层级", max_length=30, choices=SignOffLevel.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="签署组织"
    )
    person_name = models.CharField("签署人", max_length=50)
    person = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signed_on = models.DateField("日期")
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    reason = models.TextField("意见/理由", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "signed_on", "id"]
        indexes = [models.Index(fields=["level", "outcome"], name="rec_signoff_level_outcome")]
        verbose_name = "审查审批"
        verbose_name_plural = "审查审批"

    def __str__(self):
        return f"{self.get_level_display()} {self.get_outcome_display()}"


class GateOverride(models.Model):
    """Where the regulations leave discretion: a user with the right role lets one step pass a
    gate, with a written reason (audited, shown on the case)."""

    case = models.ForeignKey("recruitment.Case", on_delete=models.CASCADE, related_name="gate_overrides")
    org_path = models.CharField(max_length=255, db_index=True)
    rule = models.ForeignKey("recruitment.Rule", on_delete=models.PROTECT, related_name="+")
    step = models.PositiveSmallIntegerField("步骤", choices=STEP_CHOICES)
    reason = models.TextField("理由")
    actor = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    used = models.BooleanField("已使用", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "created_at"]
        verbose_name = "关卡特批"
        verbose_name_plural = "关卡特批"

    def __str__(self):
        return f"{self.rule} 特批"


class ProbationDecision(models.Model):
    """Outcome of the confirmation meeting (step 23): confirmed, extended once (6–12 months), cancelled."""

    case = models.ForeignKey("recruitment.Case", on_delete=models.CASCADE, related_name="probation_decisions")
    org_path = models.CharField(max_length=255, db_index=True)
    meeting = models.ForeignKey(
        "recruitment.BranchMeeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField("决定日期")
    outcome = models.CharField("结果", max_length=10, choices=ProbationOutcome.choices)
    extension_months = models.PositiveSmallIntegerField("延长月数", null=True, blank=True)
    new_end_on = models.DateField("延长后届满日期", null=True, blank=True)
    reason = models.TextField("理由", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "decided_on", "id"]
        verbose_name = "预备期决定"
        verbose_name_plural = "预备期决定"

    def __str__(self):
        return self.get_outcome_display()


class MeetingAttendance(models.Model):
    """One member's line in a branch general meeting's vote on one candidate (steps 15 and 23): a full
    member entitled to vote, present with a ballot or absent with the reason and an optional prior
    written opinion; or a probationary member attending without a vote (列席). The vote's numbers are
    computed from these lines (《中国共产党发展党员工作细则》第二十二条; docs/rules.md §1)."""

    VOTER, OBSERVER = "voter", "observer"
    ROLES = [(VOTER, "有表决权的正式党员"), (OBSERVER, "列席的预备党员")]
    CHOICES = [("for", "赞成"), ("against", "反对"), ("abstain", "弃权")]

    vote = models.ForeignKey("recruitment.MeetingVote", on_delete=models.CASCADE, related_name="attendance")
    org_path = models.CharField(max_length=255, db_index=True)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="党员"
    )
    role = models.CharField("身份", max_length=10, choices=ROLES, default=VOTER)
    present = models.BooleanField("到会")
    absence_reason = models.CharField("缺席原因", max_length=200, blank=True)
    choice = models.CharField("表决意见", max_length=10, choices=CHOICES, blank=True)
    written = models.BooleanField("书面意见", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["vote", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="recruitment_attendance_once")]
        verbose_name = "支部大会到会及表决"
        verbose_name_plural = "支部大会到会及表决"

    def __str__(self):
        return f"{self.member}：{'到会' if self.present else '缺席'}"
