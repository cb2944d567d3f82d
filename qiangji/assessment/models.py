"""Models of the assessment app (docs/rules.md §6; ADR 0019).

An `IndicatorSet` belongs to the organisation that sets it (a county committee, say) for one year and one
organisation category; its `Indicator`s, `StarThreshold`s and `Quota`s are data, edited by that level.
A `ScoringRun` computes every organisation of the set at once (the registry in `indicators.py`) and
stores one `Score` per organisation and one `ScoreLine` per point's source; a published run is what the
star ratings (`StarRating`, the workflow self → review → decision → notice → final, with `Objection`s,
`Appeal`s and the `StarChange` history) start from.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from qiangji.assessment.choices import (
    STAR_CHOICES,
    AccountabilityDecision,
    AdjustmentKind,
    AppealDecision,
    IndicatorKind,
    LineKind,
    NominationStatus,
    NomineeKind,
    PlanStatus,
    RatingStatus,
    ReportGrade,
    ReportStatus,
    RunStatus,
    ViolationKind,
    WeakCriterionCode,
)
from qiangji.core.models import ScopedModel
from qiangji.core.scoping import ScopedQuerySet

POINTS = {"max_digits": 7, "decimal_places": 2}
RATIO = {"max_digits": 6, "decimal_places": 4}


class IndicatorSet(ScopedModel):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="制定单位"
    )
    name = models.CharField("名称", max_length=120)
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    org_category = models.CharField("适用组织类别", max_length=30, blank=True, help_text="空 = 全部类别")
    org_kind = models.CharField("适用组织类型", max_length=30, blank=True, help_text="空 = 各类党支部")
    max_bonus = models.DecimalField("加分上限", default=Decimal("5"), **POINTS)
    notice_days = models.PositiveSmallIntegerField("公示天数", default=5)
    appeal_days = models.PositiveSmallIntegerField("申诉期限（天）", default=15)
    source = models.CharField("依据", max_length=255)

    class Meta:
        ordering = ["-year", "org_path", "name"]
        verbose_name = "考核指标体系"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "org_category", "org_kind"], name="assessment_set_unique"
            )
        ]

    def __str__(self):
        return f"{self.year}年 {self.name}"


class Indicator(ScopedModel):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField("代码", max_length=40)
    name = models.CharField("指标", max_length=120)
    kind = models.CharField("类型", max_length=20, choices=IndicatorKind.choices)
    source_key = models.CharField(
        "计算来源", max_length=40, blank=True, help_text="由业务记录计算的指标：注册表中的来源"
    )
    weight = models.DecimalField("分值", **POINTS)
    target = models.DecimalField("满分线（比率）", default=Decimal("1"), **RATIO)
    floor = models.DecimalField("零分线（比率）", default=Decimal("0"), **RATIO)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    source = models.CharField("依据", max_length=255)

    class Meta:
        ordering = ["indicator_set", "position", "pk"]
        verbose_name = "考核指标"
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "code"], name="assessment_indicator_code_unique")
        ]

    def __str__(self):
        return self.name


class StarThreshold(ScopedModel):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="thresholds")
    stars = models.PositiveSmallIntegerField("星级", validators=[MinValueValidator(1), MaxValueValidator(5)])
    min_points = models.DecimalField("最低得分", **POINTS)

    class Meta:
        ordering = ["indicator_set", "-stars"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "stars"], name="assessment_threshold_unique")
        ]


class Quota(ScopedModel):
    """At most `max_percent` % of the set's organisations inside `organisation`'s subtree get `stars`."""

    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="quotas")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="设定比例的层级"
    )
    stars = models.PositiveSmallIntegerField("星级", validators=[MinValueValidator(1), MaxValueValidator(5)])
    max_percent = models.PositiveSmallIntegerField("比例上限（%）", validators=[MaxValueValidator(100)])
    source = models.CharField("依据", max_length=255)

    class Meta:
        ordering = ["indicator_set", "org_path", "-stars"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "organisation", "stars"], name="assessment_quota_unique"
            )
        ]


class ManualScore(ScopedModel):
    """A reviewer's points for a manual indicator of one organisation, with the evidence."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="manual_scores")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField("得分", **POINTS)
    evidence = models.TextField("佐证")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "organisation"], name="assessment_manual_unique")
        ]


class Adjustment(ScopedModel):
    """An addition, a deduction or a one-vote veto (一票否决) of one organisation in a set."""

    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="adjustments")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类型", max_length=20, choices=AdjustmentKind.choices)
    points = models.DecimalField("分值", default=Decimal("0"), **POINTS)
    reason = models.CharField("事由", max_length=255)
    evidence = models.TextField("佐证")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["indicator_set", "org_path", "pk"]


class ScoringRun(ScopedModel):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="runs")
    as_of = models.DateField("计算日期")
    status = models.CharField("状态", max_length=20, choices=RunStatus.choices, default=RunStatus.DRAFT)
    org_count = models.PositiveIntegerField("组织数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.indicator_set} 第{self.pk}次计算（{self.get_status_display()}）"


class Score(ScopedModel):
    run = models.ForeignKey(ScoringRun, on_delete=models.CASCADE, related_name="scores")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    org_name = models.CharField("组织", max_length=200)
    base_points = models.DecimalField("指标得分", **POINTS)
    bonus = models.DecimalField("加分", **POINTS)
    deduction = models.DecimalField("减分", **POINTS)
    total = models.DecimalField("总分", **POINTS)
    vetoed = models.BooleanField("一票否决", default=False)
    stars = models.PositiveSmallIntegerField("按分数应得星级", choices=STAR_CHOICES)

    class Meta:
        ordering = ["run", "-total", "org_path"]
        constraints = [
            models.UniqueConstraint(fields=["run", "organisation"], name="assessment_score_unique")
        ]
        indexes = [models.Index(fields=["run", "org_path"], name="assessment_score_run_path")]

    def __str__(self):
        return f"{self.org_name} {self.total}分"


class ScoreLineQuerySet(ScopedQuerySet):
    scope_path_field = "score__org_path"


class ScoreLine(models.Model):
    """One source of points of a score: an indicator's value and points, or an adjustment."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="lines")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    adjustment = models.ForeignKey(
        Adjustment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField("类型", max_length=20, choices=LineKind.choices)
    label = models.CharField("项目", max_length=255)
    numerator = models.IntegerField("达标数", null=True, blank=True)
    denominator = models.IntegerField("应达标数", null=True, blank=True)
    value = models.DecimalField("比率", null=True, blank=True, **RATIO)
    points = models.DecimalField("得分", **POINTS)
    max_points = models.DecimalField("满分", null=True, blank=True, **POINTS)

    objects = ScoreLineQuerySet.as_manager()

    class Meta:
        ordering = ["score", "pk"]

    def __str__(self):
        return f"{self.label} {self.points}分"


class StarRating(ScopedModel):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.PROTECT, related_name="ratings")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    score = models.ForeignKey(Score, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=RatingStatus.choices, default=RatingStatus.SELF)
    self_stars = models.PositiveSmallIntegerField("自评星级", choices=STAR_CHOICES)
    self_note = models.TextField("自评说明")
    self_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_stars = models.PositiveSmallIntegerField("审核星级", choices=STAR_CHOICES, null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_stars = models.PositiveSmallIntegerField(
        "党委决定星级", choices=STAR_CHOICES, null=True, blank=True
    )
    decision_note = models.TextField("决定说明", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_starts = models.DateField("公示开始", null=True, blank=True)
    notice_ends = models.DateField("公示结束", null=True, blank=True)
    final_stars = models.PositiveSmallIntegerField("最终星级", choices=STAR_CHOICES, null=True, blank=True)
    finalised_on = models.DateField("确定日期", null=True, blank=True)
    previous_stars = models.PositiveSmallIntegerField("上年星级", choices=STAR_CHOICES, null=True, blank=True)

    class Meta:
        ordering = ["indicator_set", "org_path"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "organisation"], name="assessment_rating_unique")
        ]

    def __str__(self):
        return f"{self.indicator_set.year}年 星级评定"

    @property
    def current_stars(self):
        for value in (self.final_stars, self.decided_stars, self.review_stars, self.self_stars):
            if value is not None:
                return value
        return None


class Objection(ScopedModel):
    rating = models.ForeignKey(StarRating, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField("异议内容")
    raised_on = models.DateField("提出日期")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resolution = models.TextField("处理意见", blank=True)
    upheld = models.BooleanField("异议属实", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["rating", "pk"]


class Appeal(ScopedModel):
    rating = models.ForeignKey(StarRating, on_delete=models.CASCADE, related_name="appeals")
    filed_on = models.DateField("申诉日期")
    reason = models.TextField("申诉理由")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(
        "决定", max_length=20, choices=AppealDecision.choices, default=AppealDecision.PENDING
    )
    decision_reason = models.TextField("决定理由", blank=True)
    decided_stars = models.PositiveSmallIntegerField("改定星级", choices=STAR_CHOICES, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)

    class Meta:
        ordering = ["rating", "pk"]


class StarChange(ScopedModel):
    """History of an organisation's final star: set at finalisation, changed by an upheld appeal."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    rating = models.ForeignKey(StarRating, on_delete=models.CASCADE, related_name="changes")
    year = models.PositiveSmallIntegerField("年度")
    from_stars = models.PositiveSmallIntegerField("原星级", choices=STAR_CHOICES, null=True, blank=True)
    to_stars = models.PositiveSmallIntegerField("新星级", choices=STAR_CHOICES)
    changed_on = models.DateField("日期")
    reason = models.CharField("原因", max_length=255)

    class Meta:
        ordering = ["org_path", "-year", "-pk"]

    @property
    def direction(self) -> str:
        if self.from_stars is None or self.from_stars == self.to_stars:
            return "same"
        return "up" if self.to_stars > self.from_stars else "down"


class WeakCriterion(ScopedModel):
    """One sign of a weak and slack organisation (软弱涣散), as data of the level that detects (docs/rules.md §6)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    code = models.CharField("标准", max_length=30, choices=WeakCriterionCode.choices)
    parameter = models.DecimalField("参数", **POINTS, help_text="月数、比例或百分比，见标准说明")
    enabled = models.BooleanField("启用", default=True)
    source = models.CharField("依据", max_length=255)

    class Meta:
        ordering = ["org_path", "-year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "code"], name="assessment_weak_criterion_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_code_display()}（{self.parameter}）"


class WeakFlag(ScopedModel):
    """An organisation found weak in a year by the level's criteria: the reasons with their figures."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    org_name = models.CharField("组织", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    reasons = models.JSONField("原因", default=list)
    detected_on = models.DateField("认定日期")

    class Meta:
        ordering = ["org_path"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="assessment_weak_flag_unique")
        ]

    def __str__(self):
        return f"{self.year}年 {self.org_name}"


class RectificationPlan(ScopedModel):
    flag = models.OneToOneField(WeakFlag, on_delete=models.CASCADE, related_name="plan")
    measures = models.TextField("整顿措施")
    deadline = models.DateField("完成时限")
    responsible = models.CharField("责任人", max_length=50)
    evidence = models.TextField("整改佐证", blank=True)
    status = models.CharField("状态", max_length=20, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_on = models.DateField("验收日期", null=True, blank=True)
    sign_off_note = models.TextField("验收意见", blank=True)

    class Meta:
        ordering = ["org_path"]

    def __str__(self):
        return f"整顿方案：{self.flag}"


class SecretaryReport(ScopedModel):
    """A secretary's annual report on Party-building work (述职) and its appraisal (评议)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    secretary_name = models.CharField("书记", max_length=50)
    report = models.TextField("述职报告")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("述职日期")
    status = models.CharField(
        "状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    meeting_on = models.DateField("评议会日期", null=True, blank=True)
    average = models.DecimalField("评议平均分", null=True, blank=True, **POINTS)
    grade = models.CharField("等次", max_length=20, choices=ReportGrade.choices, blank=True)
    grade_note = models.TextField("定等说明", blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "org_path"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="assessment_report_unique")
        ]

    def __str__(self):
        return f"{self.year}年 {self.secretary_name}述职"


class ReviewScore(ScopedModel):
    report = models.ForeignKey(SecretaryReport, on_delete=models.CASCADE, related_name="review_scores")
    reviewer = models.CharField("评议人", max_length=50)
    points = models.DecimalField("评分", **POINTS)
    comment = models.TextField("评议意见", blank=True)

    class Meta:
        ordering = ["report", "pk"]

    def __str__(self):
        return f"{self.reviewer} {self.points}"


class FollowUp(ScopedModel):
    """An item of the follow-up list (问题清单) after the review: what to fix, by when, done when."""

    report = models.ForeignKey(SecretaryReport, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField("问题及整改要求", max_length=255)
    deadline = models.DateField("整改时限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_note = models.CharField("完成情况", max_length=255, blank=True)

    class Meta:
        ordering = ["report", "deadline", "pk"]

    def __str__(self):
        return self.text


class AccountabilityCase(ScopedModel):
    """A procedure violation the platform detected (an override, an overdue step or letter), gathered per
    responsible person and organisation, with the decision taken (问责)."""

    kind = models.CharField("类型", max_length=30, choices=ViolationKind.choices)
    source_id = models.CharField("来源记录", max_length=40)
    source_url = models.CharField("来源页面", max_length=255, blank=True)
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    org_name = models.CharField("组织", max_length=200)
    responsible = models.CharField("责任人", max_length=150)
    title = models.CharField("情况", max_length=255)
    detected_on = models.DateField("发现日期")
    decision = models.CharField("处理决定", max_length=20, choices=AccountabilityDecision.choices, blank=True)
    decision_reason = models.TextField("处理理由", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField("处理日期", null=True, blank=True)

    class Meta:
        ordering = ["org_path", "responsible", "-detected_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="assessment_violation_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"


class Nomination(ScopedModel):
    """A nomination for an award (表彰): a member, an organisation or a team; reviewed, noticed, awarded."""

    kind = models.CharField("对象", max_length=20, choices=NomineeKind.choices)
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    nominee_name = models.CharField("被推荐对象", max_length=200)
    award = models.CharField("表彰名称", max_length=120)
    year = models.PositiveSmallIntegerField("年度")
    reason = models.TextField("主要事迹")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "状态", max_length=20, choices=NominationStatus.choices, default=NominationStatus.NOMINATED
    )
    review_note = models.TextField("审核意见", blank=True)
    notice_starts = models.DateField("公示开始", null=True, blank=True)
    notice_ends = models.DateField("公示结束", null=True, blank=True)
    awarded_on = models.DateField("表彰日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "org_path", "pk"]

    def __str__(self):
        return f"{self.year}年 {self.award}：{self.nominee_name}"
