"""Payments: monthly or quarterly, cash or transfer, online through a provider; voluntary extra.

《关于中国共产党党费收缴、使用和管理的规定》 (docs/rules.md §4): a month is paid once; arrears may be made up for at most 6 months — a month
older than that is refused unless a written reason is given, and such a payment is flagged
`old_arrears` (see docs/adr/0009-dues-arrears-and-suggestions.md); a single voluntary payment of
1000 元 or more goes wholly to the Centre.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import first_of_month, today
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.dues import months
from qiangji.dues.choices import PaymentKind, PaymentMethod
from qiangji.dues.models import Payment
from qiangji.dues.services.base import Calendar, check_paying, dues_start, money, refresh_account
from qiangji.members.models import Member

MAKEUP_MONTHS = 6  # 《关于中国共产党党费收缴、使用和管理的规定》: 补交党费一般不超过6个月 (docs/rules.md §4)
CENTRE_THRESHOLD = Decimal(
    "1000"
)  # 《关于中国共产党党费收缴、使用和管理的规定》: 一次性自愿交纳1000元以上全部上缴中央 (docs/rules.md §4)


def _check_months(member, wanted, paid_on: datetime.date, override_reason: str) -> list[datetime.date]:
    if not wanted:
        raise ValidationError({"months": "交纳月份：至少选择一个月"})
    chosen = sorted({first_of_month(month) for month in wanted})
    start, now = dues_start(member), first_of_month(today())
    already = set(
        Payment.objects.filter(member=member, kind=PaymentKind.REGULAR, month__in=chosen).values_list(
            "month", flat=True
        )
    )
    for month in chosen:
        if start and month < start:
            raise ValidationError(
                {
                    "months": f"交纳月份：{month:%Y年%m月}早于起交月份{start:%Y年%m月}"
                    "（自接收为预备党员之月起交纳，docs/rules.md §1、§4）"
                }
            )
        if month > months.quarter_end(now):
            raise ValidationError({"months": f"交纳月份：{month:%Y年%m月}超出本季度，最多按季度预交"})
        if month in already:
            raise ValidationError({"months": f"交纳月份：{month:%Y年%m月}的党费已交纳，不能重复交纳"})
        if month < months.shift(now, -MAKEUP_MONTHS) and not override_reason.strip():
            raise ValidationError(
                {
                    "months": f"交纳月份：{month:%Y年%m月}已欠交超过{MAKEUP_MONTHS}个月，"
                    "补交一般不超过6个月（《关于中国共产党党费收缴、使用和管理的规定》）；确需补交请填写特殊情况说明"
                }
            )
    return chosen


def _expected(member, chosen) -> dict[datetime.date, Decimal]:
    calendar = Calendar(member)
    expected = {}
    for month in chosen:
        amount = calendar.amount_for(month)
        if amount is None:
            raise ValidationError({"months": f"交纳月份：{month:%Y年%m月}尚未登记党费基数，请先登记基数"})
        expected[month] = amount
    return expected


def _check_amount(amount: Decimal, due: Decimal, extra: bool) -> Decimal:
    """The excess that is voluntary, or a refusal when the sum does not match."""
    if amount < due or (amount > due and not extra):
        hint = "；多交部分如属自愿多交，请勾选“含自愿多交”" if amount > due else ""
        raise ValidationError({"amount": f"金额：应交 {due} 元，实交 {amount} 元，金额不符{hint}"})
    return amount - due


@transaction.atomic
def record_payment(
    *,
    actor,
    member,
    months_paid,
    amount,
    method: str,
    paid_on: datetime.date | None = None,
    reference: str = "",
    extra: bool = False,
    override_reason: str = "",
    _online: bool = False,
) -> list[Payment]:
    """Record dues for one or more months (monthly or quarterly) in one batch; all or nothing."""
    member = get_in_scope_or_404(Member, actor, member, Action.CHANGE, lock=True) if not _online else member
    check_paying(member)
    if method not in PaymentMethod.values or (method == PaymentMethod.ONLINE and not _online):
        raise ValidationError({"method": "交纳方式：请选择现金或转账（在线支付由支付平台确认后自动登记）"})
    paid_on = paid_on or today()
    if paid_on > today():
        raise ValidationError({"paid_on": "交纳日期：不能晚于今天"})
    amount = money(
        amount, "amount", "金额", allow_zero=True
    )  # a waived month (reduction to 0) is "paid" with 0
    chosen = _check_months(member, months_paid, paid_on, override_reason)
    expected = _expected(member, chosen)
    due = sum(expected.values(), Decimal("0"))
    excess = _check_amount(amount, due, extra)
    batch, now = uuid.uuid4(), first_of_month(today())
    common = dict(
        member=member,
        organisation=member.organisation,
        org_path=member.org_path,
        method=method,
        paid_on=paid_on,
        reference=reference.strip()[:100],
        batch=batch,
        recorded_by=actor,
    )
    rows = [
        Payment(
            month=month,
            kind=PaymentKind.REGULAR,
            amount=due,
            expected_amount=due,
            is_makeup=month < first_of_month(paid_on),
            old_arrears=month < months.shift(now, -MAKEUP_MONTHS),
            override_reason=override_reason.strip()[:255],
            **common,
        )
        for month, due in expected.items()
    ]
    if excess:
        rows.append(
            Payment(
                month=first_of_month(paid_on),
                kind=PaymentKind.VOLUNTARY,
                amount=excess,
                to_centre=excess >= CENTRE_THRESHOLD,
                **common,
            )
        )
    try:
        with transaction.atomic():
            Payment.objects.bulk_create(rows)
    except IntegrityError:
        raise ValidationError({"months": "交纳月份：所选月份刚刚已被登记，请刷新后重试"}) from None
    refresh_account(member)
    audit.record(
        actor=actor,
        action="dues.payment.recorded",
        target=member,
        org=member.organisation,
        after={
            "months": [f"{month:%Y-%m}" for month in chosen],
            "amount": amount,
            "expected": due,
            "voluntary": excess,
            "method": method,
            "paid_on": paid_on,
            "batch": batch,
            "old_arrears": any(row.old_arrears for row in rows),
            "override_reason": override_reason.strip(),
        },
    )
    return rows


@transaction.atomic
def record_voluntary(
    *, actor, member, amount, method: str, paid_on: datetime.date | None = None, reference: str = ""
) -> Payment:
    """A voluntary payment; 1000 元 or more in one payment is flagged as going wholly to the Centre."""
    member = get_in_scope_or_404(Member, actor, member, Action.CHANGE, lock=True)
    if method not in (PaymentMethod.CASH, PaymentMethod.TRANSFER):
        raise ValidationError({"method": "交纳方式：请选择现金或转账"})
    paid_on = paid_on or today()
    if paid_on > today():
        raise ValidationError({"paid_on": "交纳日期：不能晚于今天"})
    amount = money(amount, "amount", "金额")
    payment = Payment.objects.create(
        member=member,
        organisation=member.organisation,
        org_path=member.org_path,
        month=first_of_month(paid_on),
        kind=PaymentKind.VOLUNTARY,
        amount=amount,
        method=method,
        paid_on=paid_on,
        reference=reference.strip()[:100],
        batch=uuid.uuid4(),
        to_centre=amount >= CENTRE_THRESHOLD,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="dues.voluntary.recorded",
        target=member,
        org=member.organisation,
        after={
            "amount": amount,
            "method": method,
            "paid_on": paid_on,
            "to_centre": payment.to_centre,
            "payment": payment.pk,
        },
    )
    return payment
