"""Online payment pages (ADR 0015): choose months and pay, the order's page, the platform's callback,
and the fake platform's checkout (mounted only when the fake is configured and allowed)."""

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View

from qiangji.core.choices import Action
from qiangji.core.scoping import NOT_FOUND
from qiangji.dues import months, services
from qiangji.dues.models import OrderStatus, PaymentOrder
from qiangji.dues.payments import configured_name, fake_enabled, get_provider, online_enabled
from qiangji.dues.payments.fake import FakeProvider
from qiangji.dues.services.online import (
    NOT_ENABLED,
    order_payments,
    payable,
    payable_months,
    receive_callback,
)
from qiangji.dues.views.member import MemberObjectMixin


def _errors(request, error: ValidationError) -> None:
    for message_list in error.message_dict.values():
        messages.error(request, "；".join(message_list))


def _order(request, order_no) -> PaymentOrder:
    order = (
        PaymentOrder.objects.visible_to(request.user)
        .select_related("member")
        .filter(order_no=order_no)
        .first()
    )
    if order is None:
        raise Http404(NOT_FOUND)
    return order


class OnlineStartView(MemberObjectMixin, View):
    """GET: the months the member may pay online (or: online payment is not enabled); POST: open the order."""

    scope_action = Action.VIEW

    def get(self, request, pk):
        member = payable(request.user, self.member.pk)
        provider = get_provider()
        return render(
            request,
            "dues/online_pay.html",
            {
                "member": member,
                "enabled": provider is not None,
                "not_enabled": NOT_ENABLED,
                "provider_label": provider.label if provider else "",
                "choices": payable_months(member) if provider else [],
                "orders": PaymentOrder.objects.visible_to(request.user).filter(member=member)[:10],
            },
        )

    def post(self, request, pk):
        if not online_enabled():
            messages.error(request, NOT_ENABLED)
            return redirect("dues:pay-online", pk=self.member.pk)
        chosen = [months.parse(value) for value in request.POST.getlist("months")]
        try:
            order = services.start_online_payment(
                actor=request.user, member=self.member, months_paid=[m for m in chosen if m]
            )
        except ValidationError as error:
            _errors(request, error)
            return redirect("dues:pay-online", pk=self.member.pk)
        return redirect(order.checkout_url)


class OrderView(LoginRequiredMixin, View):
    """One order: its state, where to pay (link or QR), and a button asking the platform again."""

    def get(self, request, order_no):
        order = _order(request, order_no)
        qr = (
            segno.make(order.qr_code, error="m").svg_inline(scale=4, omitsize=True, border=2)
            if order.qr_code
            else ""
        )
        return render(
            request,
            "dues/online_order.html",
            {
                "order": order,
                "member": order.member,
                "qr_svg": qr,
                "payments": order_payments(order),
                "open": order.status == OrderStatus.CREATED,
                "enabled": online_enabled(),
                "not_enabled": NOT_ENABLED,
            },
        )

    def post(self, request, order_no):
        order = _order(request, order_no)
        try:
            services.confirm_online_payment(actor=request.user, reference=order.order_no)
        except ValidationError as error:
            _errors(request, error)
        return redirect("dues:online-order", order_no=order.order_no)


@method_decorator(csrf_exempt, name="dispatch")
class NotifyView(View):
    """The platform's server-to-server callback: no session, no CSRF token; the signature is the proof."""

    http_method_names = ["post"]

    def post(self, request, provider):
        provider_obj = get_provider()
        if provider_obj is None or provider_obj.name != provider:
            raise Http404(NOT_ENABLED)
        outcome = receive_callback(provider=provider, body=request.body, headers=request.headers)
        answer = provider_obj.acknowledge(ok=outcome.ok, message=outcome.detail)
        return HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)


class FakePayView(LoginRequiredMixin, View):
    """The fake platform's checkout (DEBUG or the demo only): 'pay' makes the platform send its signed
    callback, which goes through the same verification as a real platform's."""

    def dispatch(self, request, *args, **kwargs):
        if not fake_enabled():
            raise Http404(NOT_ENABLED)
        return super().dispatch(request, *args, **kwargs)

    def _order(self, request, reference):
        order = _order(request, reference)
        if order.provider != configured_name():
            raise Http404(NOT_FOUND)
        return order, payable(request.user, order.member_id)

    def get(self, request, reference):
        order, member = self._order(request, reference)
        return render(request, "dues/fake_pay.html", {"order": order, "member": member})

    def post(self, request, reference):
        order, member = self._order(request, reference)
        if order.status == OrderStatus.CREATED:
            body, headers = FakeProvider().callback(
                order_no=order.order_no, amount=order.amount, paid=request.POST.get("result") != "fail"
            )
            outcome = receive_callback(provider=FakeProvider.name, body=body, headers=headers)
            (messages.success if outcome.recorded else messages.error)(
                request, "在线支付成功，已登记党费" if outcome.recorded else f"支付未完成：{outcome.detail}"
            )
        return redirect("dues:online-order", order_no=order.order_no)
