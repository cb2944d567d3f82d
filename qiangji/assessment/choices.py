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


class WeakCriterionCode(models.TextChoices):
    SECRETARY_VACANT = "secretary_vacant", "书记空缺超过规定月数"
    MEETINGS_MISSING = "meetings_missing", "规定会议未按要求召开"
    NO_DEVELOPMENT = "no_development", "村党组织连续多年未发展党员"
    BOTTOM_SHARE = "bottom_share", "年度考核排名末位"
    LOW_SATISFACTION = "low_satisfaction", "群众诉求满意率偏低"


class PlanStatus(models.TextChoices):
    OPEN = "open", "整顿中"
    SUBMITTED = "submitted", "已报销号"
    SIGNED_OFF = "signed_off", "上级党委已验收销号"


class Colour(models.TextChoices):
    RED = "red", "红色（软弱涣散，重点整顿）"
    YELLOW = "yellow", "黄色（一二星，重点帮扶）"
    BLUE = "blue", "蓝色（三星，巩固提升）"
    GREEN = "green", "绿色（四星以上，示范引领）"
    GREY = "grey", "灰色（尚未评定）"


class ReportGrade(models.TextChoices):
    """述职评议 grades (local practice: docs/rules.md §6)."""

    GOOD = "good", "好"
    FAIRLY_GOOD = "fairly_good", "较好"
    FAIR = "fair", "一般"
    POOR = "poor", "差"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "已述职"
    REVIEWED = "reviewed", "已评议"
    GRADED = "graded", "已定等次"


class ViolationKind(models.TextChoices):
    GATE_OVERRIDE = "gate_override", "发展党员程序越过规则（经授权变通）"
    OVERDUE_STEP = "overdue_step", "发展党员步骤超过时限"
    OVERDUE_TRANSFER = "overdue_transfer", "组织关系介绍信超期未接收"
    OVERDUE_RECEIPT = "overdue_receipt", "介绍信回执超期未返回"


class AccountabilityDecision(models.TextChoices):
    NO_ACTION = "no_action", "经核实不予追责"
    REMINDER = "reminder", "谈话提醒"
    CRITICISM = "criticism", "批评教育"
    WRITTEN = "written", "责令书面检查"
    NOTICE = "notice", "通报批评"
    REFERRAL = "referral", "移送纪检监察机关"


class NomineeKind(models.TextChoices):
    MEMBER = "member", "党员"
    BRANCH = "branch", "党组织"
    TEAM = "team", "团队（如先锋车队）"


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", "已推荐"
    REVIEWED = "reviewed", "已审核"
    NOTICE = "notice", "公示中"
    AWARDED = "awarded", "已表彰"
    REJECTED = "rejected", "未通过"
