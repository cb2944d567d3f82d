"""Code tables of the dues app (《关于中国共产党党费收缴、使用和管理的规定》, docs/rules.md §4; suggestions: docs/rules.md §5)."""

from django.db import models

RULE_SET = "dfgd-2008"


class DuesCategory(models.TextChoices):
    """Which line of the 2008 dues table applies to a member (docs/rules.md §4)."""

    EMPLOYED = "employed", "在职（税后工资性收入）"
    SELF_EMPLOYED = "self_employed", "个体/灵活就业（上季度月平均纯收入）"
    RETIRED = "retired", "离退休（养老金）"
    FARMER = "farmer", "农民"
    STUDENT = "student", "学生"
    UNEMPLOYED = "unemployed", "下岗失业"
    RELIEF = "relief", "领取最低生活保障/救济"


# Categories whose monthly amount follows from an income base; the others pay a fixed sum.
INCOME_CATEGORIES = frozenset({DuesCategory.EMPLOYED, DuesCategory.SELF_EMPLOYED, DuesCategory.RETIRED})
# The rule table keys employed and self-employed members by the same brackets.
BRACKET_OF = {
    DuesCategory.EMPLOYED: "salary",
    DuesCategory.SELF_EMPLOYED: "salary",
    DuesCategory.RETIRED: "pension",
    DuesCategory.STUDENT: "fixed",
    DuesCategory.UNEMPLOYED: "fixed",
    DuesCategory.RELIEF: "fixed",
}


class PensionBasis(models.TextChoices):
    TOTAL = "total", "养老金总额"
    BASIC = "basic", "基本养老金"


class PaymentMethod(models.TextChoices):
    CASH = "cash", "现金"
    TRANSFER = "transfer", "转账"
    ONLINE = "online", "在线支付"


class PaymentKind(models.TextChoices):
    REGULAR = "regular", "按月交纳"
    VOLUNTARY = "voluntary", "自愿多交"


class ReductionStatus(models.TextChoices):
    PROPOSED = "proposed", "待支部同意"
    AGREED = "agreed", "支部已同意，待上级批准"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"


class SuggestionKind(models.TextChoices):
    LAPSE_DUES = "lapse_dues", "连续6个月不交纳党费"
    LAPSE_LIFE = "lapse_life", "连续6个月不参加组织生活"
    SUSPEND = "suspend", "失去联系满6个月，建议停止党籍"
    REMOVE = "remove", "停止党籍满2年，建议除名"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "待决定"
    ACCEPTED = "accepted", "已采纳"
    DISMISSED = "dismissed", "不予采纳"
    OBSOLETE = "obsolete", "情况已变化"


# What a branch records by hand; online payments are recorded only after the provider confirms.
OFFLINE_METHODS = [
    (PaymentMethod.CASH.value, PaymentMethod.CASH.label),
    (PaymentMethod.TRANSFER.value, PaymentMethod.TRANSFER.label),
]
