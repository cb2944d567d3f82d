"""Online payment (ADR 0015): open an order for chosen months; record it when the platform's signed word says paid.

Nothing here trusts the browser.  An order is a `PaymentOrder` row; it becomes paid only through
`receive_callback` (the platform's callback, signature verified by the provider) or
`confirm_online_payment` (the provider's own, equally verified, answer to a query).  Both go through
`_settle`: the order must exist, belong to this provider and carry exactly the notified amount; a
settled order is never settled again (a replayed callback changes nothing and records nothing), and
the months are recorded by `record_payment`, whose audit entry is the record of the payment.
"""

import datetime
import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import first_of_month, today
from qiangji.core.scoping import NOT_FOUND
from qiangji.dues import months
from qiangji.dues.choices import PaymentKind, PaymentMethod
from qiangji.dues.models import OrderStatus, Payment, PaymentOrder
from qiangji.dues.payments import (
    CallbackRejected,
    Notice,
    NoticeStatus,
    OrderRequest,
    ProviderError,
    get_provider,
)
from qiangji.dues.payments.base import to_fen
from qiangji.dues.services.base import Calendar, dues_start
from qiangji.dues.services.payments import _check_months, record_payment
from qiangji.members.models import Member

log = logging.getLogger(__name__)

NOT_ENABLED = "在线交纳党费未开通，请按党支部的安排交纳（现金或转账）"


def payable(actor, member) -> Member:
    """Staff who may change the member, or the member paying their own dues."""
    pk = getattr(member, "pk", member)
    if not actor.is_authenticated or not str(pk or "").isdigit():
        raise Http404(NOT_FOUND)
    found = (
        Member.objects.visible_to(actor, Action.CHANGE).filter(pk=pk).first()
        or Member.objects.filter(pk=pk, user=actor).first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def _provider():
    provider = get_provider()
    if provider is None:
        raise ValidationError({"__all__": NOT_ENABLED})
    return provider


def _order_minutes() -> int:
    return int(getattr(settings, "QIANGJI_PAYMENT_ORDER_MINUTES", 30))


def _base_url() -> str:
    return (getattr(settings, "QIANGJI_PAYMENT_NOTIFY_BASE_URL", "") or "").rstrip("/")


@transaction.atomic
def start_online_payment(*, actor, member, months_paid: list[datetime.date]) -> PaymentOrder:
    """Price the months and open an order at the platform; no payment is written until it says paid.

    An open order for the same months and sum is handed back instead of a second one (no double
    payment); the member's orders past their time are marked expired."""
    provider = _provider()
    member = payable(actor, member)
    Member.objects.select_for_update().filter(pk=member.pk).first()  # one order at a time per member
    chosen = _check_months(member, months_paid, today(), "")
    calendar = Calendar(member)
    prices = [calendar.amount_for(month) for month in chosen]
    if any(price is None for price in prices):
        raise ValidationError({"months": "交纳月份：所选月份尚未登记党费基数，请联系党支部"})
    amount = sum((price for price in prices if price is not None), Decimal("0"))
    wanted, now = [f"{month:%Y-%m}" for month in chosen], timezone.now()
    open_orders = PaymentOrder.objects.filter(member=member, status=OrderStatus.CREATED)
    expired = list(open_orders.filter(expires_at__lte=now).values_list("order_no", flat=True))
    if expired:
        open_orders.filter(order_no__in=expired).update(status=OrderStatus.EXPIRED, updated_at=now)
    same = open_orders.filter(
        expires_at__gt=now, provider=provider.name, months=wanted, amount=amount
    ).first()
    if same is not None:
        return same
    order_no = f"QJ{timezone.localdate():%Y%m%d}{secrets.token_hex(6).upper()}"
    expires_at = now + datetime.timedelta(minutes=_order_minutes())
    try:
        checkout = provider.create_order(
            OrderRequest(
                order_no=order_no,
                amount=amount,
                description=f"{member.name} 党费 {'、'.join(wanted)}",
                notify_url=_base_url() + reverse("dues:online-notify", args=[provider.name]),
                return_url=_base_url() + reverse("dues:online-order", args=[order_no]),
                expires_at=expires_at,
            )
        )
    except ProviderError as error:
        raise ValidationError({"__all__": f"支付平台暂时无法创建订单：{error}"}) from None
    order = PaymentOrder.objects.create(
        member=member,
        order_no=order_no,
        months=wanted,
        amount=amount,
        provider=provider.name,
        provider_order_id=checkout.provider_order_id[:64],
        checkout_url=checkout.redirect_url[:500],
        qr_code=checkout.qr_code[:500],
        created_by=actor,
        expires_at=expires_at,
    )
    if not order.checkout_url:
        order.checkout_url = reverse("dues:online-order", args=[order_no])
        order.save(update_fields=["checkout_url"])
    audit.record(
        actor=actor,
        action="dues.online.started",
        target=member,
        org=member.organisation,
        after={
            "order": order_no,
            "months": wanted,
            "amount": amount,
            "provider": provider.name,
            "expired": expired,
        },
    )
    return order


@dataclass(frozen=True)
class Outcome:
    """What a callback did: `ok` tells the platform to stop retrying; `recorded` is a new payment."""

    ok: bool
    detail: str
    order: PaymentOrder | None = None
    recorded: bool = False


def receive_callback(*, provider: str, body: bytes, headers: Mapping[str, str]) -> Outcome:
    """The platform's callback: verified by the provider, then settled once.  Never raises for bad input."""
    configured = get_provider()
    if configured is None or configured.name != provider:
        return Outcome(False, "未开通该支付平台")
    try:
        notice = configured.verify_callback(body=bytes(body), headers=headers)
    except CallbackRejected as error:
        log.warning("dues online: rejected a %s callback: %s", provider, error)
        return Outcome(False, str(error))
    return _settle(provider, notice, hashlib.sha256(bytes(body)).hexdigest())


def confirm_online_payment(*, actor, reference: str) -> PaymentOrder:
    """Ask the platform about an order the actor may see, and settle it if the platform's answer says paid."""
    provider = _provider()
    order = PaymentOrder.objects.visible_to(actor).filter(order_no=str(reference or "")).first()
    if order is None:
        raise ValidationError({"reference": "支付单号：没有该订单"})
    payable(actor, order.member_id)
    if order.status == OrderStatus.PAID:
        return order
    try:
        notice = provider.query_order(order.order_no)
    except (CallbackRejected, ProviderError) as error:
        raise ValidationError(
            {"reference": f"支付单号：暂时无法向支付平台核实（{error}），请稍后刷新"}
        ) from None
    if notice.status != NoticeStatus.PAID:
        raise ValidationError({"reference": "支付单号：支付平台显示该订单尚未支付"})
    outcome = _settle(
        provider.name, notice, hashlib.sha256(repr(sorted(notice.raw.items())).encode()).hexdigest()
    )
    if not outcome.ok or outcome.order is None:
        raise ValidationError({"reference": f"支付单号：{outcome.detail}"})
    return outcome.order


@transaction.atomic
def _settle(provider: str, notice: Notice, digest: str) -> Outcome:
    order = PaymentOrder.objects.select_for_update().filter(order_no=notice.order_no).first()
    if order is None or order.provider != provider:
        log.warning("dues online: %s notice for unknown order %r", provider, notice.order_no)
        return Outcome(False, "没有该订单")
    if notice.currency != "CNY" or notice.amount_fen != to_fen(order.amount):
        log.warning(
            "dues online: order %s notified %s fen %s, expected %s",
            order.order_no,
            notice.amount_fen,
            notice.currency,
            to_fen(order.amount),
        )
        return Outcome(False, "金额与订单不符", order)
    if order.status == OrderStatus.PAID:
        return Outcome(True, "该订单已登记", order)  # a replay or a retry: nothing changes
    if notice.status != NoticeStatus.PAID:
        if order.status == OrderStatus.CREATED:
            order.status, order.failure_reason, order.callback_digest = (
                OrderStatus.FAILED,
                "支付平台通知：未支付/已关闭",
                digest,
            )
            order.save(update_fields=["status", "failure_reason", "callback_digest", "updated_at"])
            audit.record(
                actor=None,
                action="dues.online.failed",
                target=order.member,
                org=order.member.organisation,
                after={"order": order.order_no, "provider": provider},
            )
        return Outcome(True, "已记录未支付", order)
    claimed = (
        PaymentOrder.objects.filter(pk=order.pk)
        .exclude(status=OrderStatus.PAID)
        .update(
            status=OrderStatus.PAID,
            callback_digest=digest,
            paid_at=notice.paid_at or timezone.now(),
            provider_order_id=(notice.provider_order_id or order.provider_order_id)[:64],
            updated_at=timezone.now(),
        )
    )
    if not claimed:  # settled meanwhile by another worker
        return Outcome(True, "该订单已登记", order)
    order.refresh_from_db()
    member = Member.objects.select_for_update().get(pk=order.member_id)
    paid_on = timezone.localdate(order.paid_at)
    try:
        rows = record_payment(
            actor=order.created_by,
            member=member,
            months_paid=[months.parse(m) for m in order.months],
            amount=order.amount,
            method=PaymentMethod.ONLINE,
            paid_on=min(paid_on, today()),
            reference=order.provider_order_id or order.order_no,
            _online=True,
        )
    except ValidationError as error:
        # The money is taken but the months cannot be recorded (paid meanwhile in cash, base changed):
        # the order stays on record for the branch to refund or record by hand.
        reason = "；".join(message for messages in error.message_dict.values() for message in messages)
        order.status, order.failure_reason = OrderStatus.FAILED, f"已付款但无法登记：{reason}"[:255]
        order.save(update_fields=["status", "failure_reason", "updated_at"])
        audit.record(
            actor=None,
            action="dues.online.unrecorded",
            target=member,
            org=member.organisation,
            after={"order": order.order_no, "amount": order.amount, "reason": reason},
        )
        return Outcome(True, order.failure_reason, order)
    order.payment_batch = rows[0].batch
    order.save(update_fields=["payment_batch", "updated_at"])
    return Outcome(True, "已登记", order, recorded=True)


def order_payments(order: PaymentOrder) -> list[Payment]:
    return list(Payment.objects.filter(batch=order.payment_batch)) if order.payment_batch else []


def payable_months(member: Member) -> list[tuple[datetime.date, Decimal]]:
    """The months the member may pay online now (unpaid, priced, from 6 months back to the quarter's end)."""
    now = first_of_month(today())
    start = max(filter(None, [months.shift(now, -6), dues_start(member)]))
    paid = set(
        Payment.objects.filter(member=member, kind=PaymentKind.REGULAR, month__gte=start).values_list(
            "month", flat=True
        )
    )
    calendar, month = Calendar(member), start
    found: list[tuple[datetime.date, Decimal]] = []
    while month <= months.quarter_end(now):
        amount = calendar.amount_for(month)
        if month not in paid and amount is not None:
            found.append((month, amount))
        month = months.shift(month, 1)
    return found


ACTION_LABELS = {
    "dues.online.started": "创建在线交纳订单",
    "dues.online.failed": "在线交纳未支付（支付平台通知）",
    "dues.online.unrecorded": "在线交纳已付款但无法登记",
}
