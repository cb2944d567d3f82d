"""Online payment pages: open an order, and the fake provider's page used by the demo and tests."""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.generic import View

from qiangji.core.choices import Action
from qiangji.dues import months, services
from qiangji.dues.providers import FakeProvider, get_provider
from qiangji.dues.services.online import payable
from qiangji.dues.views.member import MemberObjectMixin


class OnlineStartView(MemberObjectMixin, View):
    """The member (or staff) opens an online order for chosen months; the provider page takes over."""

    scope_action = Action.VIEW

    def post(self, request, pk):
        chosen = [months.parse(value) for value in request.POST.getlist("months")]
        try:
            order = services.start_online_payment(actor=request.user, member=self.member,
                                                  months_paid=[m for m in chosen if m])
        except ValidationError as error:
            for message_list in error.message_dict.values():
                messages.error(request, "；".join(message_list))
            return redirect("dues:member", pk=self.member.pk)
        return redirect(order.pay_url)

    def get(self, request, pk):
        return HttpResponseNotAllowed(["POST"])


class FakePayView(LoginRequiredMixin, View):
    """The fake provider's checkout (demo only): shows the order, 'pay' settles and records it."""

    def order(self, request, reference):
        provider = get_provider()
        status = provider.status(reference) if isinstance(provider, FakeProvider) else None
        if status is None:
            raise Http404("未找到该支付订单")
        member = payable(request.user, status.metadata.get("member"))
        return status, member

    def get(self, request, reference):
        status, member = self.order(request, reference)
        return render(request, "dues/fake_pay.html", {"status": status, "member": member,
                                                      "months": status.metadata.get("months", [])})

    def post(self, request, reference):
        status, member = self.order(request, reference)
        if not status.paid:
            FakeProvider.settle(reference, services.today())
        try:
            services.confirm_online_payment(actor=request.user, reference=reference)
        except ValidationError as error:
            for message_list in error.message_dict.values():
                messages.error(request, "；".join(message_list))
        else:
            messages.success(request, "在线支付成功，已登记党费")
        return redirect("dues:member", pk=member.pk)
