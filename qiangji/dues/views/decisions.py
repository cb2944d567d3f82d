"""Committee decisions: hardship reductions (two sign-offs) and lapse/lost-contact suggestions."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.views.generic import TemplateView, View

from qiangji.core import jobs
from qiangji.core.choices import Action
from qiangji.core.exporting import ExportMixin
from qiangji.core.scoping import scope_of
from qiangji.core.views import ScopedMixin, ServiceFormView, org_from_request
from qiangji.dues import selectors, services
from qiangji.dues.choices import ReductionStatus
from qiangji.dues.forms import DecisionForm, SuggestionDecisionForm
from qiangji.dues.jobs import SUGGESTIONS_KIND, compute_suggestions_task
from qiangji.dues.models import HardshipReduction, Suggestion


def _flash(request, error: ValidationError) -> None:
    for message_list in error.message_dict.values():
        messages.error(request, "；".join(message_list))


class ReductionListView(ExportMixin, ScopedMixin, TemplateView):
    """Reductions waiting for the branch's agreement or the higher committee's approval."""

    model = HardshipReduction
    template_name = "dues/reductions.html"

    def get_context_data(self, **kwargs):
        org = org_from_request(self.request, default_to_scope=True)
        reductions = (
            self.get_queryset()
            .filter(member__org_path__startswith=org.path)
            .select_related("member__organisation", "agreed_by", "approved_by")
        )
        pending = reductions.filter(status__in=[ReductionStatus.PROPOSED, ReductionStatus.AGREED])
        decided = reductions.exclude(pk__in=pending.values("pk"))[:50]
        return super().get_context_data(**kwargs) | {
            "org": org,
            "pending": pending,
            "decided": decided,
            "form": DecisionForm(),
        }


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


class ReductionDecideView(ScopedMixin, ServiceFormView):
    model = HardshipReduction
    scope_action = Action.CHANGE
    form_class = DecisionForm
    template_name = "dues/decide.html"
    success_message = "已记录审批结果"
    success_url = reverse_lazy("dues:reductions")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.reduction = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"reduction": self.reduction, "heading": "审批党费减免"}

    def perform(self, form):
        return services.decide_reduction(
            actor=self.request.user,
            reduction=self.reduction,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )


class SuggestionListView(ExportMixin, ScopedMixin, TemplateView):
    model = Suggestion
    template_name = "dues/suggestions.html"

    def get_context_data(self, **kwargs):
        org = org_from_request(self.request, default_to_scope=True)
        suggestions = self.get_queryset().filter(member__org_path__startswith=org.path)
        return super().get_context_data(**kwargs) | {
            "org": org,
            "suggestions": selectors.open_suggestions(suggestions)[:200],
            "may_compute": scope_of(self.request.user).allows(Action.CHANGE, org.path),
        }


class SuggestionComputeView(LoginRequiredMixin, View):
    """Recompute the suggestions for the chosen organisation's subtree now (a job, run inline)."""

    def post(self, request):
        org = org_from_request(request, Action.CHANGE, default_to_scope=True)
        job = jobs.start_job(
            actor=request.user,
            kind=SUGGESTIONS_KIND,
            org_path=org.path,
            params={},
            task=compute_suggestions_task,
            inline=True,
        )
        messages.success(request, job.message or "已重新计算")
        return redirect(f"{reverse('dues:suggestions')}?org={org.pk}")

    def get(self, request):
        return HttpResponseNotAllowed(["POST"])


class SuggestionDecideView(ScopedMixin, ServiceFormView):
    model = Suggestion
    scope_action = Action.CHANGE
    form_class = SuggestionDecisionForm
    template_name = "dues/decide.html"
    success_message = "已记录决定"
    success_url = reverse_lazy("dues:suggestions")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.suggestion = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "suggestion": self.suggestion,
            "heading": "处置建议的决定",
        }

    def perform(self, form):
        data = form.cleaned_data
        if data["decision"] == "accept":
            return services.accept_suggestion(
                actor=self.request.user,
                suggestion=self.suggestion,
                reason=data["reason"],
                effective_on=data["effective_on"],
            )
        return services.dismiss_suggestion(
            actor=self.request.user, suggestion=self.suggestion, reason=data["reason"]
        )
