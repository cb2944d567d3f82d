"""The 2008 dues table at every bracket bound (《关于中国共产党党费收缴、使用和管理的规定》, docs/rules.md §4), rounding to the fen, bad bases."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from qiangji.dues import rules
from qiangji.dues.models import DuesRule, RegionDuesSetting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("income", "expected", "rate"),
    [
        ("0", "0.00", "0.5"),
        ("2999.99", "15.00", "0.5"),  # 14.99995 → 15.00 (half-up, to the fen)
        ("3000", "15.00", "0.5"),  # the bound belongs to the lower bracket
        ("3000.01", "30.00", "1"),  # 30.0001
        ("5000", "50.00", "1"),
        ("5000.01", "75.00", "1.5"),  # 75.00015
        ("10000", "150.00", "1.5"),
        ("10000.01", "200.00", "2"),  # 200.0002
        ("12345.67", "246.91", "2"),  # 246.9134
    ],
)
@pytest.mark.parametrize("category", ["employed", "self_employed"])
def test_salary_brackets(category, income, expected, rate):
    amount, rule = rules.monthly_amount(category, Decimal(income))
    assert amount == Decimal(expected) and rule.rate_percent == Decimal(rate)
    assert str(amount) == expected  # two decimals, never a float


@pytest.mark.parametrize(
    ("income", "expected"),
    [("5000", "25.00"), ("5000.01", "50.00"), ("4999.99", "25.00"), ("1234.50", "6.17"), ("1235.00", "6.18")],
)
def test_pension_brackets_and_half_up(income, expected):
    # 1234.50 × 0.5 % = 6.1725 → 6.17; 1235 × 0.5 % = 6.175 → 6.18 (half-up, not banker's rounding)
    amount, _ = rules.monthly_amount("retired", Decimal(income))
    assert amount == Decimal(expected)


@pytest.mark.parametrize("category", ["student", "unemployed", "relief"])
def test_fixed_categories_pay_twenty_fen(category):
    assert rules.monthly_amount(category, None)[0] == Decimal("0.20")


def test_farmer_amount_is_the_provinces_setting():
    assert rules.monthly_amount("farmer", None, "370000")[0] == Decimal("0.20")  # default row
    RegionDuesSetting.objects.create(
        province_code="370000", farmer_amount=Decimal("0.50"), source="省委组织部通知"
    )
    assert rules.monthly_amount("farmer", None, "370000")[0] == Decimal("0.50")
    assert rules.monthly_amount("farmer", None, "110000")[0] == Decimal("0.20")


def test_brackets_are_data_with_their_source():
    assert DuesRule.objects.filter(rule_set="dfgd-2008").count() == 7
    assert all("中组发〔2008〕3号" in rule.source for rule in DuesRule.objects.all())


@pytest.mark.parametrize(
    ("income", "message"),
    [
        ("-1", "不能为负数"),
        ("1000000.01", "年收入"),
        ("3000.001", "两位小数"),
        ("abc", "不是金额"),
        (None, "必须填写"),
    ],
)
def test_bad_income_base(income, message):
    with pytest.raises(ValidationError) as error:
        rules.check_income("employed", income)
    assert message in str(error.value.message_dict["income"])


def test_farmer_amount_stays_within_the_national_range():
    from django.db import IntegrityError, transaction

    for amount in ("0.19", "1.01"):
        with pytest.raises(IntegrityError), transaction.atomic():
            RegionDuesSetting.objects.create(
                province_code="110000", farmer_amount=Decimal(amount), source="x"
            )
