"""Pages about one member's dues and the branch's month table (record payments fast on a phone)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.generic import TemplateView, View

from qiangji.core.choices import Action
from qiangji.core.dates import first_of_month
from qiangji.core.exporting import ExportMixin
from qiangji.core.scoping import scope_of
from qiangji.core.selectors import history_for
from qiangji.core.views import ScopedMixin, ServiceFormView, org_from_request
from qiangji.dues import months, selectors, services
from qiangji.dues.choices import PaymentMethod
from qiangji.dues.forms import BaseForm, PaymentForm, ReductionForm, VoluntaryForm
from qiangji.dues.models import Payment
from qiangji.dues.views.base import is_staff
from qiangji.members.models import Member

MAX_ROWS = 500  # the month table is a branch's page; above this, pick a branch


class MonthTableView(ExportMixin, ScopedMixin, TemplateView):
    """Branch: every member's amount for a month, paid or not, with a one-tap 'paid' button."""

    model = Member
    template_name = "dues/month.html"

    def get(self, request, *args, **kwargs):
        if not is_staff(request.user):
            return redirect("dues:mine")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        org, month = org_from_request(self.request, default_to_scope=True), months.from_request(self.request)
        members = self.get_queryset().filter(org_path__startswith=org.path)
        rows = list(selectors.month_table(members, month)[: MAX_ROWS + 1])
        counts = selectors.month_counts(members, month)  # over the whole scope, not the rows shown
        return super().get_context_data(**kwargs) | {
            "org": org,
            "month": month,
            "rows": rows[:MAX_ROWS],
            "truncated": len(rows) > MAX_ROWS,
            "previous": months.shift(month, -1),
            "next": months.shift(month, 1),
            "may_change": scope_of(self.request.user).allows(Action.CHANGE, org.path),
            "member_count": counts["members"],
            "unpaid": counts["unpaid"],
        }


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
            amount = services.base.Calendar(self.member).amount_for(month) if month else None
            if amount is None:
                raise ValidationError({"months": "交纳月份：该月份尚未登记党费基数"})
            services.record_payment(
                actor=request.user,
                member=self.member,
                months_paid=[month],
                amount=amount,
                method=request.POST.get("method") or PaymentMethod.CASH,
            )
        except ValidationError as exc:
            error = "；".join(message for messages in exc.message_dict.values() for message in messages)
        members = Member.objects.visible_to(request.user, Action.CHANGE).filter(pk=self.member.pk)
        row = selectors.month_table(members, month or first_of_month(services.today())).first()
        return render(
            request, "dues/_month_row.html", {"row": row, "month": month, "error": error, "may_change": True}
        )  # htmx swaps 2xx only: the error shows in the row

    def get(self, request, pk):
        return HttpResponseNotAllowed(["POST"])


class MemberDuesView(MemberObjectMixin, TemplateView):
    template_name = "dues/member.html"

    def get_context_data(self, **kwargs):
        member, user = self.member, self.request.user
        return super().get_context_data(**kwargs) | {
            "bases": selectors.bases_of(member),
            "payments": Payment.objects.visible_to(user).filter(member=member).order_by("-month", "-id")[:60],
            "reductions": selectors.reductions_of(member),
            "paid_up_to": selectors.paid_up_to(member),
            "may_change": scope_of(user).allows(Action.CHANGE, member.org_path),
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


class MemberFormView(MemberObjectMixin, ServiceFormView):
    """A form about one member's dues: the kernel's form page, back to the member's dues page."""

    scope_action = Action.CHANGE
    success_message = ""

    def get_success_redirect(self, result) -> str:
        return reverse("dues:member", args=[self.member.pk])


class BaseView(MemberFormView):
    form_class = BaseForm
    template_name = "dues/form.html"
    extra_context = {"heading": "登记党费基数"}
    success_message = "已登记党费基数"

    def perform(self, form):
        services.record_base(actor=self.request.user, member=self.member, **form.cleaned_data)


class PaymentView(MemberFormView):
    form_class = PaymentForm
    template_name = "dues/form.html"
    extra_context = {"heading": "登记党费交纳"}
    success_message = "已登记党费交纳"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"today": services.today()}

    def get_initial(self):
        return {"paid_on": services.today(), "months": [f"{first_of_month(services.today()):%Y-%m}"]}

    def perform(self, form):
        data = dict(form.cleaned_data)
        services.record_payment(
            actor=self.request.user, member=self.member, months_paid=data.pop("months"), **data
        )


class VoluntaryView(MemberFormView):
    form_class = VoluntaryForm
    template_name = "dues/form.html"
    extra_context = {"heading": "登记自愿多交党费"}
    success_message = "已登记自愿多交党费"

    def get_initial(self):
        return {"paid_on": services.today()}

    def perform(self, form):
        services.record_voluntary(actor=self.request.user, member=self.member, **form.cleaned_data)


class ReductionCreateView(MemberFormView):
    form_class = ReductionForm
    template_name = "dues/form.html"
    extra_context = {"heading": "提出党费减免（经支部同意后报上级党委批准）"}
    success_message = "已提出党费减免，待支部同意"

    def perform(self, form):
        services.propose_reduction(actor=self.request.user, member=self.member, **form.cleaned_data)
