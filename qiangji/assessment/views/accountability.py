"""Accountability pages: violations per responsible person and organisation, gathering, decisions."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from qiangji.assessment import selectors, services
from qiangji.assessment.forms import AccountabilityForm, FinaliseForm
from qiangji.assessment.models import AccountabilityCase
from qiangji.assessment.views.base import ServiceFormView
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.core.views import org_from_request


class AccountabilityListView(LoginRequiredMixin, TemplateView):
    template_name = "assessment/accountability.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        org = org_from_request(self.request, default_to_scope=True) if scope_of(user).has_any_grant else None
        rows = selectors.violations_of(user, org.path if org else "")
        return super().get_context_data(**kwargs) | {
            "org": org,
            "people": selectors.violations_by_person(rows)[:200],
            "cases": rows.order_by("decision", "-detected_on", "pk")[:300],
            "may_gather": org is not None and scope_of(user).allows(Action.CHANGE, org.path),
        }


class GatherView(ServiceFormView):
    form_class = FinaliseForm
    title = _("汇总程序违规情况")
    intro = _("汇总本级以下发展党员越过规则的变通、超期步骤，以及超期未接收的介绍信和未返回的回执。")
    submit_label = _("汇总")

    def perform(self, form):
        org = org_from_request(self.request, Action.CHANGE, default_to_scope=True)
        new = services.gather_violations(actor=self.request.user, organisation=org)
        return _("新发现 %(n)s 条。") % {"n": new}, reverse("assessment:accountability") + f"?org={org.pk}"


class DecideView(ServiceFormView):
    form_class = AccountabilityForm
    title = _("问责处理决定")
    submit_label = _("决定")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = get_in_scope_or_404(AccountabilityCase, request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        services.decide_accountability(
            actor=self.request.user,
            case=self.object,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        )
        return _("已作出处理决定。"), reverse("assessment:accountability")
