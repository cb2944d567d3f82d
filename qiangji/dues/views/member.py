"""Pages about one member's dues and the branch's month table (record payments fast on a phone)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.generic import FormView, TemplateView, View

from qiangji.core.choices import Action
from qiangji.core.selectors import history_for
from qiangji.core.views import ScopedMixin
from qiangji.dues import months, selectors, services
from qiangji.dues.choices import PaymentMethod
from qiangji.dues.forms import BaseForm, PaymentForm, ReductionForm, VoluntaryForm, add_service_errors
from qiangji.dues.models import DuesBase, HardshipReduction, Payment
from qiangji.dues.views.common import is_staff, may, month_param, root_org
from qiangji.members.models import Member

MAX_ROWS = 500  # the month table is a branch's page; above this, pick a branch


class MonthTableView(LoginRequiredMixin, TemplateView):
    """Branch: every member's amount for a month, paid or not, with a one-tap 'paid' button."""

    template_name = "dues/month.html"

    def get(self, request, *args, **kwargs):
        if not is_staff(request.user):
            return redirect("dues:mine")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        org, month = root_org(self.request), month_param(self.request)
        members = Member.objects.visible_to(self.request.user).filter(org_path__startswith=org.path)
        rows = list(selectors.month_table(members, month)[:MAX_ROWS + 1])
        return super().get_context_data(**kwargs) | {
            "org": org, "month": month, "rows": rows[:MAX_ROWS], "truncated": len(rows) > MAX_ROWS, "previous": months.shift(month, -1),
            "next": months.shift(month, 1), "may_change": may(self.request.user, Action.CHANGE, org.path),
            "unpaid": sum(1 for row in rows if row.paid_amount is None and row.amount_due is not None)}


class MemberObjectMixin(ScopedMixin):
    """A page about one member: foreign members (and read-only ones for writes) answer 404."""

    model = Member

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.member = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"member": self.member}


class QuickPayView(MemberObjectMixin, View):
    """POST month (+ method): record exactly the amount due for that month; returns the table row."""

    scope_action = Action.CHANGE

    def post(self, request, pk):
        month = months.parse(request.POST.get("month", ""))
        error = ""
        try:
            amount = services.common.Calendar(self.member).amount_for(month) if month else None
            if amount is None:
                raise ValidationError({"months": "交纳月份：该月份尚未登记党费基数"})
            services.record_payment(actor=request.user, member=self.member, months_paid=[month], amount=amount,
                                    method=request.POST.get("method") or PaymentMethod.CASH)
        except ValidationError as exc:
            error = "；".join(message for messages in exc.message_dict.values() for message in messages)
        members = Member.objects.filter(pk=self.member.pk)
        row = selectors.month_table(members, month or months.first_of(services.today())).first()
        return render(request, "dues/_month_row.html", {"row": row, "month": month, "error": error,
                                                         "may_change": True})  # htmx swaps 2xx only: the error shows in the row

    def get(self, request, pk):
        return HttpResponseNotAllowed(["POST"])


class MemberDuesView(MemberObjectMixin, TemplateView):
    template_name = "dues/member.html"

    def get_context_data(self, **kwargs):
        member, user = self.member, self.request.user
        return super().get_context_data(**kwargs) | {
            "bases": DuesBase.objects.filter(member=member).select_related("rule"),
            "payments": Payment.objects.visible_to(user).filter(member=member).order_by("-month", "-id")[:60],
            "reductions": HardshipReduction.objects.filter(member=member),
            "paid_up_to": selectors.paid_up_to(member),
            "may_change": may(user, Action.CHANGE, member.org_path),
            "is_self": member.user_id == user.pk,
            "history": history_for(member, user).filter(action__startswith="dues.")[:30],
        }


class MyDuesView(LoginRequiredMixin, View):
    """党员本人: their own dues page."""

    def get(self, request):
        record = request.user.member_records.first()
        if record is None:
            raise Http404("您的账号未关联党员档案")
        return redirect("dues:member", pk=record.pk)


class MemberFormView(MemberObjectMixin, FormView):
    scope_action = Action.CHANGE
    success_message = ""

    def call_service(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.call_service(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect("dues:member", pk=self.member.pk)


class BaseView(MemberFormView):
    form_class = BaseForm
    template_name = "dues/form.html"
    extra_context = {"heading": "登记党费基数"}
    success_message = "已登记党费基数"

    def call_service(self, form):
        services.record_base(actor=self.request.user, member=self.member, **form.cleaned_data)


class PaymentView(MemberFormView):
    form_class = PaymentForm
    template_name = "dues/form.html"
    extra_context = {"heading": "登记党费交纳"}
    success_message = "已登记党费交纳"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"today": services.today()}

    def get_initial(self):
        return {"paid_on": services.today(), "months": [f"{months.first_of(services.today()):%Y-%m}"]}

    def call_service(self, form):
        data = dict(form.cleaned_data)
        services.record_payment(actor=self.request.user, member=self.member, months_paid=data.pop("months"), **data)


class VoluntaryView(MemberFormView):
    form_class = VoluntaryForm
    template_name = "dues/form.html"
    extra_context = {"heading": "登记自愿多交党费"}
    success_message = "已登记自愿多交党费"

    def get_initial(self):
        return {"paid_on": services.today()}

    def call_service(self, form):
        services.record_voluntary(actor=self.request.user, member=self.member, **form.cleaned_data)


class ReductionCreateView(MemberFormView):
    form_class = ReductionForm
    template_name = "dues/form.html"
    extra_context = {"heading": "提出党费减免（经支部同意后报上级党委批准）"}
    success_message = "已提出党费减免，待支部同意"

    def call_service(self, form):
        services.propose_reduction(actor=self.request.user, member=self.member, **form.cleaned_data)
