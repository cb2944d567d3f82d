"""HTML forms: they only shape input; every rule is checked by `services` (same messages as the API)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from qiangji.dues import months
from qiangji.dues.choices import DuesCategory, PaymentMethod


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.CharField):
    """'2026-05' (the browser's month input) → 2026-05-01."""

    widget = MonthInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = months.parse(value)
        if month is None:
            raise ValidationError(f"{self.label}：格式应为 2026-05")
        return month


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def label_errors(form) -> None:
    """Field errors name the field, as the services' messages do."""
    for field in form.fields.values():
        field.error_messages = {
            **field.error_messages,
            "required": f"{field.label}：必填",
            "invalid": f"{field.label}：格式不正确",
        }
    form.label_suffix = ""


class LabelledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_errors(self)


class BaseForm(LabelledForm):
    category = forms.ChoiceField(label="交纳类别", choices=DuesCategory.choices)
    income = forms.CharField(
        label="月收入基数（元）",
        required=False,
        help_text="在职：税后工资性收入；个体/灵活就业：上季度月平均纯收入；离退休：养老金。"
        "农民、学生、下岗失业、低保人员不填",
    )
    effective_month = MonthField(label="起始月份", help_text="收入变化的月份，自该月起按新基数交纳")
    note = forms.CharField(label="说明", max_length=255, required=False)


def payable_months(today: datetime.date) -> list[tuple[str, str]]:
    """The months a branch usually records: the last 12 up to the end of this quarter."""
    last = months.quarter_end(today)
    return [(f"{m:%Y-%m}", f"{m:%Y年%m月}") for m in reversed(months.between(months.shift(last, -14), last))]


class PaymentForm(LabelledForm):
    months = forms.MultipleChoiceField(
        label="交纳月份",
        widget=forms.CheckboxSelectMultiple,
        help_text="按月交纳选一个月，按季度交纳选三个月",
    )
    amount = forms.DecimalField(label="实交金额（元）", max_digits=12, decimal_places=2)
    method = forms.ChoiceField(
        label="交纳方式", choices=[(PaymentMethod.CASH, "现金"), (PaymentMethod.TRANSFER, "转账")]
    )
    paid_on = forms.DateField(label="交纳日期", widget=DateInput())
    reference = forms.CharField(label="凭证/流水号", max_length=100, required=False)
    extra = forms.BooleanField(label="含自愿多交", required=False, help_text="多出应交的部分记为自愿多交党费")
    override_reason = forms.CharField(
        label="特殊情况说明",
        max_length=255,
        required=False,
        help_text="补交超过6个月的欠费时必填（《关于中国共产党党费收缴、使用和管理的规定》），将被标记",
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = payable_months(today)

    def clean_months(self):
        return [months.parse(value) for value in self.cleaned_data["months"]]


class VoluntaryForm(LabelledForm):
    amount = forms.DecimalField(
        label="金额（元）",
        max_digits=12,
        decimal_places=2,
        help_text="一次性自愿交纳1000元以上的，全部上缴中央（《关于中国共产党党费收缴、使用和管理的规定》）",
    )
    method = PaymentForm.base_fields["method"]
    paid_on = forms.DateField(label="交纳日期", widget=DateInput())
    reference = forms.CharField(label="凭证/流水号", max_length=100, required=False)


class ReductionForm(LabelledForm):
    from_month = MonthField(label="起始月份")
    to_month = MonthField(label="截止月份")
    reduced_amount = forms.DecimalField(
        label="减免后每月交纳（元）", max_digits=12, decimal_places=2, help_text="0 表示免交"
    )
    reason = forms.CharField(label="困难情况", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(LabelledForm):
    decision = forms.ChoiceField(
        label="决定", choices=[("approve", "批准"), ("reject", "不批准")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="审批意见", max_length=500, required=False)


class SuggestionDecisionForm(LabelledForm):
    decision = forms.ChoiceField(
        label="决定", choices=[("accept", "采纳"), ("dismiss", "不予采纳")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="理由", max_length=500, required=False, help_text="不予采纳时必填；采纳时留空则使用规定的表述"
    )
    effective_on = forms.DateField(
        label="生效日期", required=False, widget=DateInput(), help_text="采纳时的状态生效日期，留空为今天"
    )
