"""Online payment: open an order for chosen months, then record it once the provider confirms."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import NOT_FOUND
from qiangji.dues import months
from qiangji.dues.choices import PaymentMethod
from qiangji.dues.models import Payment
from qiangji.dues.providers import Order, get_provider
from qiangji.dues.services.base import Calendar
from qiangji.dues.services.payments import _check_months, record_payment
from qiangji.members.models import Member


def payable(actor, member) -> Member:
    """Staff who may change the member, or the member paying their own dues."""
    pk = getattr(member, "pk", member)
    if not actor.is_authenticated or not str(pk or "").isdigit():
        raise Http404(NOT_FOUND)
    found = (Member.objects.visible_to(actor, Action.CHANGE).filter(pk=pk).first()
             or Member.objects.filter(pk=pk, user=actor).first())
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def start_online_payment(*, actor, member, months_paid: list[datetime.date]) -> Order:
    """Price the months and open an order; nothing is written until the provider confirms."""
    member = payable(actor, member)
    chosen = _check_months(member, months_paid, today(), "")
    calendar = Calendar(member)
    prices = [calendar.amount_for(month) for month in chosen]
    if None in prices:
        raise ValidationError({"months": "交纳月份：所选月份尚未登记党费基数，请联系党支部"})
    return get_provider().create_order(amount=sum(prices), description=f"{member.name} 党费",
                                       metadata={"member": member.pk,
                                                 "months": [f"{month:%Y-%m}" for month in chosen]})


@transaction.atomic
def confirm_online_payment(*, actor, reference: str) -> list[Payment]:
    """Record an order the provider says is paid; a reference is recorded once only."""
    status = get_provider().status(reference)
    if status is None:
        raise ValidationError({"reference": "支付单号：支付平台没有该订单"})
    if not status.paid:
        raise ValidationError({"reference": "支付单号：支付平台显示该订单尚未支付"})
    if Payment.objects.filter(method=PaymentMethod.ONLINE, reference=reference).exists():
        raise ValidationError({"reference": "支付单号：该订单已登记，不能重复登记"})
    member = Member.objects.select_for_update().filter(pk=status.metadata.get("member")).first()
    member = payable(actor, member.pk if member else 0)
    return record_payment(actor=actor, member=member, months_paid=[months.parse(m) for m in status.metadata["months"]],
                          amount=status.amount, method=PaymentMethod.ONLINE, paid_on=status.paid_on,
                          reference=reference, _online=True)
