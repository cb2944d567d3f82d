"""The dues table as data (《关于中国共产党党费收缴、使用和管理的规定》 (docs/rules.md §4)): which bracket a base falls in, and the amount.

Amounts are Decimal, rounded to the fen half-up, as the regulation's worked examples round.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from qiangji.dues.choices import BRACKET_OF, INCOME_CATEGORIES, RULE_SET, DuesCategory
from qiangji.dues.models import DuesRule, RegionDuesSetting

FEN = Decimal("0.01")
# A monthly base above this is almost certainly a yearly figure or a typo; the form says so.
MAX_MONTHLY_INCOME = Decimal("1000000")


def to_fen(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def check_income(category: str, income) -> Decimal | None:
    """The base as a Decimal, or a Chinese refusal naming the field."""
    if category not in INCOME_CATEGORIES:
        return None
    if income in (None, ""):
        raise ValidationError(
            {
                "income": "月收入基数：该交纳类别必须填写收入基数（《关于中国共产党党费收缴、使用和管理的规定》）"
            }
        )
    try:
        income = Decimal(str(income))
    except ArithmeticError:
        raise ValidationError({"income": f"月收入基数：“{income}”不是金额"}) from None
    if not income.is_finite() or income < 0:
        raise ValidationError({"income": "月收入基数：不能为负数"})
    if income > MAX_MONTHLY_INCOME:
        raise ValidationError(
            {"income": f"月收入基数：每月超过 {MAX_MONTHLY_INCOME:,} 元，请核对是否误填了年收入"}
        )
    if income != income.quantize(FEN):
        raise ValidationError({"income": "月收入基数：最多保留两位小数（到分）"})
    return income


def rule_for(category: str, income: Decimal | None, rule_set: str = RULE_SET) -> DuesRule | None:
    """The bracket a base belongs to: the lowest `upper` not below it (a bound is in the lower bracket)."""
    bracket = BRACKET_OF.get(category)
    if bracket is None:
        return None
    rules = DuesRule.objects.filter(rule_set=rule_set, bracket=bracket)
    if income is not None:
        bounded = rules.filter(upper__gte=income).order_by("upper").first()
        return bounded or rules.filter(upper__isnull=True).first()
    return rules.first()


def farmer_setting(province_code: str) -> RegionDuesSetting:
    settings = {
        row.province_code: row
        for row in RegionDuesSetting.objects.filter(province_code__in=[province_code, ""])
    }
    return settings.get(province_code) or settings[""]


def monthly_amount(
    category: str, income: Decimal | None, province_code: str = ""
) -> tuple[Decimal, DuesRule | None]:
    """(amount in 元 a month, the rule applied) for a category and base."""
    if category == DuesCategory.FARMER:
        return farmer_setting(province_code).farmer_amount, None
    rule = rule_for(category, income)
    if rule is None:
        raise ValidationError(
            {
                "category": "交纳类别：没有适用的党费交纳标准，请联系管理员（《关于中国共产党党费收缴、使用和管理的规定》）"
            }
        )
    if rule.fixed_amount is not None:
        return rule.fixed_amount, rule
    return to_fen(income * rule.rate_percent / Decimal(100)), rule
