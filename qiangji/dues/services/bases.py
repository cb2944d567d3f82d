"""Income bases (dated history) and hardship reductions (two sign-offs), 《关于中国共产党党费收缴、使用和管理的规定》 (docs/rules.md §4)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import first_of_month, today
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.dues import months, rules
from qiangji.dues.choices import DuesCategory, PaymentKind, ReductionStatus
from qiangji.dues.models import DuesBase, HardshipReduction, Payment
from qiangji.dues.services.base import (
    Calendar,
    check_higher,
    check_paying,
    dues_start,
    province_code,
    refresh_account,
)
from qiangji.members.models import Member

BASE_FIELDS = ("category", "income", "effective_month", "monthly_amount", "note")
REDUCTION_FIELDS = ("from_month", "to_month", "reduced_amount", "reason", "status", "decision_note")


def _check_month(member, month, field: str, label: str) -> datetime.date:
    if not isinstance(month, datetime.date):
        raise ValidationError({field: f"{label}：必填，格式如 2026-05"})
    month = first_of_month(month)
    start = dues_start(member)
    if start and month < start:
        raise ValidationError(
            {
                field: f"{label}：{month:%Y年%m月}早于起交月份{start:%Y年%m月}"
                "（自支部大会通过接收为预备党员之月起交纳党费，docs/rules.md §1、§4）"
            }
        )
    return month


@transaction.atomic
def record_base(
    *, actor, member, category: str, income, effective_month: datetime.date, note: str = ""
) -> DuesBase:
    """Record the income base from a month on; the amount is fixed now, from the bracket table."""
    member = get_in_scope_or_404(Member, actor, member, Action.CHANGE, lock=True)
    check_paying(member)
    if category not in DuesCategory.values:
        raise ValidationError({"category": f"交纳类别：代码“{category}”不在代码表中"})
    income = rules.check_income(category, income)
    month = _check_month(member, effective_month, "effective_month", "起始月份")
    if month > months.shift(today(), 1):
        raise ValidationError({"effective_month": "起始月份：最晚可登记下个月起的基数"})
    if Payment.objects.filter(member=member, kind=PaymentKind.REGULAR, month__gte=month).exists():
        raise ValidationError(
            {"effective_month": f"起始月份：{month:%Y年%m月}及以后已有交纳记录，不能追溯修改已交月份的基数"}
        )
    amount, rule = rules.monthly_amount(category, income, province_code(member))
    existing = DuesBase.objects.filter(member=member, effective_month=month).first()
    before = audit.snapshot(existing, BASE_FIELDS) if existing else None
    base = existing or DuesBase(member=member, effective_month=month)
    base.category, base.income, base.monthly_amount, base.rule, base.note = (
        category,
        income,
        amount,
        rule,
        note.strip(),
    )
    base.save()
    refresh_account(member)
    audit.record(
        actor=actor,
        action="dues.base.recorded",
        target=member,
        org=member.organisation,
        before=before,
        after=audit.snapshot(base, BASE_FIELDS) | {"rule": rule.pk if rule else None},
    )
    return base


@transaction.atomic
def propose_reduction(
    *, actor, member, from_month, to_month, reduced_amount, reason: str
) -> HardshipReduction:
    """A hardship reduction starts at the branch; it applies only once the higher committee approves."""
    member = get_in_scope_or_404(Member, actor, member, Action.CHANGE, lock=True)
    first = _check_month(member, from_month, "from_month", "起始月份")
    last = _check_month(member, to_month, "to_month", "截止月份")
    if last < first:
        raise ValidationError({"to_month": "截止月份：不能早于起始月份"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "困难情况：必填"})
    amount = _reduced_amount(reduced_amount)
    normal = Calendar(member).amount_for(first)
    if normal is None:
        raise ValidationError({"from_month": "起始月份：该月份尚未登记党费基数，请先登记基数"})
    if amount >= normal:
        raise ValidationError({"reduced_amount": f"减免后每月交纳：应低于正常标准 {normal} 元"})
    if (
        HardshipReduction.objects.filter(member=member, from_month__lte=last, to_month__gte=first)
        .exclude(status=ReductionStatus.REJECTED)
        .exists()
    ):
        raise ValidationError({"from_month": "起始月份：与已有的减免申请时间重叠"})
    reduction = HardshipReduction.objects.create(
        member=member,
        from_month=first,
        to_month=last,
        reduced_amount=amount,
        reason=reason.strip(),
        proposed_by=actor,
    )
    audit.record(
        actor=actor,
        action="dues.reduction.proposed",
        target=member,
        org=member.organisation,
        after=audit.snapshot(reduction, REDUCTION_FIELDS) | {"reduction": reduction.pk},
    )
    return reduction


def _reduced_amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (ArithmeticError, ValueError):
        raise ValidationError({"reduced_amount": f"减免后每月交纳：“{value}”不是金额"}) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(
            {"reduced_amount": "减免后每月交纳：应为不小于0、最多两位小数的金额（0表示免交）"}
        )
    return amount


@transaction.atomic
def agree_reduction(*, actor, reduction) -> HardshipReduction:
    """First sign-off: the branch agrees (《关于中国共产党党费收缴、使用和管理的规定》: 经支部同意)."""
    reduction = get_in_scope_or_404(HardshipReduction, actor, reduction, Action.CHANGE, lock=True)
    if reduction.status != ReductionStatus.PROPOSED:
        raise ValidationError({"__all__": f"该申请当前状态为“{reduction.get_status_display()}”，不能再同意"})
    before = audit.snapshot(reduction, REDUCTION_FIELDS)
    reduction.status, reduction.agreed_by, reduction.agreed_at = ReductionStatus.AGREED, actor, timezone.now()
    reduction.save()
    audit.record(
        actor=actor,
        action="dues.reduction.agreed",
        target=reduction.member,
        org=reduction.member.organisation,
        before=before,
        after=audit.snapshot(reduction, REDUCTION_FIELDS) | {"reduction": reduction.pk},
    )
    return reduction


@transaction.atomic
def decide_reduction(*, actor, reduction, approve: bool, note: str = "") -> HardshipReduction:
    """Second sign-off: the higher committee approves or rejects (《关于中国共产党党费收缴、使用和管理的规定》: 报上级党委批准)."""
    reduction = get_in_scope_or_404(HardshipReduction, actor, reduction, Action.CHANGE, lock=True)
    member = reduction.member
    check_higher(actor, member, "党费减免的批准")
    if reduction.status != ReductionStatus.AGREED:
        raise ValidationError(
            {"__all__": f"该申请当前状态为“{reduction.get_status_display()}”，须先经支部同意"}
        )
    if reduction.agreed_by_id == actor.pk:
        raise ValidationError({"__all__": "同意与批准须由两个不同的人签署"})
    if not approve and not note.strip():
        raise ValidationError({"decision_note": "审批意见：不批准时必须说明理由"})
    before = audit.snapshot(reduction, REDUCTION_FIELDS)
    reduction.status = ReductionStatus.APPROVED if approve else ReductionStatus.REJECTED
    reduction.approved_by, reduction.approved_at, reduction.decision_note = (
        actor,
        timezone.now(),
        note.strip(),
    )
    reduction.save()
    audit.record(
        actor=actor,
        action=f"dues.reduction.{'approved' if approve else 'rejected'}",
        target=member,
        org=member.organisation,
        before=before,
        after=audit.snapshot(reduction, REDUCTION_FIELDS) | {"reduction": reduction.pk},
    )
    return reduction
