"""Code tables of the assessment app (no national codes exist for star ratings: docs/rules.md §6)."""

from django.db import models


class IndicatorKind(models.TextChoices):
    COMPUTED = "computed", "由业务记录计算"
    MANUAL = "manual", "评审录入（附佐证）"


class AdjustmentKind(models.TextChoices):
    ADDITION = "addition", "加分"
    DEDUCTION = "deduction", "减分"
    VETO = "veto", "一票否决"


class RunStatus(models.TextChoices):
    DRAFT = "draft", "预览（未发布）"
    PUBLISHED = "published", "已发布"


class LineKind(models.TextChoices):
    INDICATOR = "indicator", "指标"
    MANUAL = "manual", "评审录入"
    ADDITION = "addition", "加分"
    DEDUCTION = "deduction", "减分"
    VETO = "veto", "一票否决"


class RatingStatus(models.TextChoices):
    SELF = "self", "已自评"
    REVIEWED = "reviewed", "上级已审核"
    DECIDED = "decided", "党委已决定"
    NOTICE = "notice", "公示中"
    FINAL = "final", "已确定"


RATING_STEPS = [
    RatingStatus.SELF,
    RatingStatus.REVIEWED,
    RatingStatus.DECIDED,
    RatingStatus.NOTICE,
    RatingStatus.FINAL,
]


class AppealDecision(models.TextChoices):
    PENDING = "pending", "待决定"
    UPHELD = "upheld", "申诉成立（改定星级）"
    REJECTED = "rejected", "申诉不成立（维持）"


STAR_CHOICES = [(n, f"{n}星") for n in range(0, 6)]
