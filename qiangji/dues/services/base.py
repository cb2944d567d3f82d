"""What every dues service shares: audit labels, the higher-committee gate, the dues calendar of one member."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from qiangji.core.choices import Action
from qiangji.core.dates import first_of_month
from qiangji.core.scoping import scope_of
from qiangji.dues import months
from qiangji.dues.choices import PaymentKind, ReductionStatus
from qiangji.dues.models import DuesAccount, DuesBase, HardshipReduction, Payment
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member

ACTION_LABELS = {
    "dues.base.recorded": "登记党费基数",
    "dues.payment.recorded": "登记党费交纳",
    "dues.voluntary.recorded": "登记自愿多交党费",
    "dues.reduction.proposed": "提出党费减免",
    "dues.reduction.agreed": "支部同意党费减免",
    "dues.reduction.approved": "上级批准党费减免",
    "dues.reduction.rejected": "上级不批准党费减免",
    "dues.suggestions.computed": "计算不交党费/失联处置建议",
    "dues.suggestion.accepted": "采纳处置建议",
    "dues.suggestion.dismissed": "不予采纳处置建议",
}


def check_paying(member: Member) -> None:
    """Only members on the roll pay dues; a suspended, departed or deceased member's record is closed."""
    if member.status not in ON_ROLL:
        raise ValidationError({"member": f"党员：当前状态为“{member.get_status_display()}”，不交纳党费"})


def check_higher(actor, member: Member, what: str) -> None:
    """A decision reserved to the committee above the member's branch (docs/rules.md §4, §5)."""
    if not scope_of(actor).allows_above(Action.CHANGE, member.org_path):
        raise ValidationError({"__all__": f"{what}须由党支部的上级党组织决定，您的账号只管理到党支部"})


def dues_start(member: Member) -> datetime.date | None:
    """Dues start the month the member is admitted as probationary (docs/rules.md §1, §4)."""
    return first_of_month(member.joined_on) if member.joined_on else None


class Calendar:
    """One member's bases and approved reductions, to price any month without a query per month."""

    def __init__(self, member: Member):
        self.bases = list(DuesBase.objects.filter(member=member).order_by("-effective_month"))
        self.reductions = list(
            HardshipReduction.objects.filter(member=member, status=ReductionStatus.APPROVED)
        )

    def amount_for(self, month: datetime.date) -> Decimal | None:
        for reduction in self.reductions:
            if reduction.from_month <= month <= reduction.to_month:
                return reduction.reduced_amount
        base = next((base for base in self.bases if base.effective_month <= month), None)
        return base.monthly_amount if base else None


def refresh_account(member: Member) -> DuesAccount | None:
    """Recompute the start month and the gap-free paid-through month after a base or payment."""
    first = DuesBase.objects.filter(member=member).order_by("effective_month").first()
    if first is None:
        DuesAccount.objects.filter(member=member).delete()
        return None
    start = max(first.effective_month, dues_start(member) or first.effective_month)
    paid = set(
        Payment.objects.filter(member=member, kind=PaymentKind.REGULAR, month__gte=start).values_list(
            "month", flat=True
        )
    )
    through, month = None, start
    while month in paid:
        through, month = month, months.shift(month, 1)
    account, _ = DuesAccount.objects.update_or_create(
        member=member,
        defaults={
            "start_month": start,
            "paid_through": through,
            "last_paid_month": max(paid) if paid else None,
        },
    )
    return account


def province_code(member: Member) -> str:
    code = member.region_code or member.organisation.region_code or member.organisation.division_code
    return f"{code[:2]}0000" if code else ""


def money(value, field: str, label: str, *, allow_zero: bool = False) -> Decimal:
    """A positive amount in 元 with at most two decimals, or a refusal naming the field."""
    try:
        amount = Decimal(str(value).strip())
    except (ArithmeticError, ValueError):
        raise ValidationError({field: f"{label}：“{value}”不是金额"}) from None
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: f"{label}：必须大于0"})
    if amount != amount.quantize(Decimal("0.01")) or amount > Decimal("10000000"):
        raise ValidationError({field: f"{label}：金额不正确（最多两位小数，单笔不超过1000万元）"})
    return amount
