"""Committee decisions: hardship reductions (two sign-offs) and lapse/lost-contact suggestions."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView, View

from qiangji.core import jobs
from qiangji.core.choices import Action
from qiangji.core.views import ScopedMixin
from qiangji.dues import selectors, services
from qiangji.dues.choices import ReductionStatus
from qiangji.dues.forms import DecisionForm, SuggestionDecisionForm, add_service_errors
from qiangji.dues.models import HardshipReduction, Suggestion
from qiangji.dues.views.common import may, root_org


def _flash(request, error: ValidationError) -> None:
    for message_list in error.message_dict.values():
        messages.error(request, "；".join(message_list))


class ReductionListView(LoginRequiredMixin, TemplateView):
    """Reductions waiting for the branch's agreement or the higher committee's approval."""

    template_name = "dues/reductions.html"

    def get_context_data(self, **kwargs):
        org = root_org(self.request)
        reductions = (HardshipReduction.objects.visible_to(self.request.user)
                      .filter(member__org_path__startswith=org.path)
                      .select_related("member__organisation", "agreed_by", "approved_by"))
        pending = reductions.filter(status__in=[ReductionStatus.PROPOSED, ReductionStatus.AGREED])
        decided = reductions.exclude(pk__in=pending.values("pk"))[:50]
        return super().get_context_data(**kwargs) | {"org": org, "pending": pending, "decided": decided,
                                                     "form": DecisionForm()}


class ReductionAgreeView(ScopedMixin, View):
    model = HardshipReduction
    scope_action = Action.CHANGE

    def post(self, request, pk):
        reduction = self.get_object()
        try:
            services.agree_reduction(actor=request.user, reduction=reduction)
            messages.success(request, "已签署支部同意，待上级党委批准")
        except ValidationError as error:
            _flash(request, error)
        return redirect("dues:reductions")

    def get(self, request, pk):
        self.get_object()
        return HttpResponseNotAllowed(["POST"])


class ReductionDecideView(ScopedMixin, FormView):
    model = HardshipReduction
    scope_action = Action.CHANGE
    form_class = DecisionForm
    template_name = "dues/decide.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.reduction = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"reduction": self.reduction, "heading": "审批党费减免"}

    def form_valid(self, form):
        try:
            services.decide_reduction(actor=self.request.user, reduction=self.reduction,
                                      approve=form.cleaned_data["decision"] == "approve",
                                      note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "已记录审批结果")
        return redirect("dues:reductions")


class SuggestionListView(LoginRequiredMixin, TemplateView):
    template_name = "dues/suggestions.html"

    def get_context_data(self, **kwargs):
        org = root_org(self.request)
        suggestions = Suggestion.objects.visible_to(self.request.user).filter(member__org_path__startswith=org.path)
        return super().get_context_data(**kwargs) | {
            "org": org, "suggestions": selectors.open_suggestions(suggestions)[:200],
            "may_compute": may(self.request.user, Action.CHANGE, org.path)}


class SuggestionComputeView(LoginRequiredMixin, View):
    """Recompute the suggestions for the chosen organisation's subtree now (a job, run inline)."""

    def post(self, request):
        from qiangji.dues.jobs import SUGGESTIONS_KIND, compute_suggestions_task

        org = root_org(request, Action.CHANGE)
        job = jobs.start_job(actor=request.user, kind=SUGGESTIONS_KIND, org_path=org.path, params={},
                             task=compute_suggestions_task, inline=True)
        messages.success(request, job.message or "已重新计算")
        return redirect(f"{_url('dues:suggestions')}?org={org.pk}")

    def get(self, request):
        return HttpResponseNotAllowed(["POST"])


def _url(name):
    from django.urls import reverse

    return reverse(name)


class SuggestionDecideView(ScopedMixin, FormView):
    model = Suggestion
    scope_action = Action.CHANGE
    form_class = SuggestionDecisionForm
    template_name = "dues/decide.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.suggestion = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"suggestion": self.suggestion, "heading": "处置建议的决定"}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                services.accept_suggestion(actor=self.request.user, suggestion=self.suggestion,
                                           reason=data["reason"], effective_on=data["effective_on"])
            else:
                services.dismiss_suggestion(actor=self.request.user, suggestion=self.suggestion,
                                            reason=data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "已记录决定")
        return redirect("dues:suggestions")
