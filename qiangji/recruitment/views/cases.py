"""The branch board, the case page, a new application, moving a case, and the committee's work list."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from qiangji.core.choices import Action, Role
from qiangji.core.scoping import scope_of
from qiangji.orgs.models import Organisation
from qiangji.recruitment.forms import ApplicationForm, TransferForm, add_errors
from qiangji.recruitment.rules import RuleViolation
from qiangji.recruitment.selectors import cases as selectors
from qiangji.recruitment.services import cases as services
from qiangji.recruitment.views.common import horizon, org_choices, subtree


def default_branch(user) -> Organisation | None:
    """A secretary bound to exactly one branch lands on that branch's board."""
    paths = [path for path, role in scope_of(user).grants if role == Role.BRANCH]
    if len(paths) != 1:
        return None
    return Organisation.objects.filter(path=paths[0]).first()


class BoardView(LoginRequiredMixin, TemplateView):
    """For a branch (or any subtree): open cases by stage, with what each waits for and its deadline."""

    template_name = "recruitment/board.html"

    def get_context_data(self, **kwargs):
        org = subtree(self.request) or default_branch(self.request.user)
        today = timezone.localdate()
        columns = selectors.board(self.request.user, org.path if org else None, today, horizon(self.request))
        may_change = scope_of(self.request.user).is_superuser or bool(scope_of(self.request.user).paths_for(
            Action.CHANGE))
        return {**super().get_context_data(**kwargs), "org": org, "columns": columns, "today": today,
                "org_choices": org_choices(self.request, org),
                "may_change": may_change, "total": sum(len(c["cards"]) for c in columns)}


class CaseDetailView(LoginRequiredMixin, TemplateView):
    """Timeline, rules of the next step (passed / pending), documents, sign-offs, overrides, notices."""

    template_name = "recruitment/case_detail.html"

    def get_context_data(self, **kwargs):
        case = selectors.case_for(self.request.user, self.kwargs["pk"])
        today = timezone.localdate()
        page = selectors.case_page(case)
        may_change = scope_of(self.request.user).allows(Action.CHANGE, case.org_path)
        return {**super().get_context_data(**kwargs), "case": case, **page, "today": today,
                "pending": selectors.pending_rules(case, today, page), "may_change": may_change,
                "checklist": selectors.checklist(case, page["documents"])}


class ApplicationCreateView(LoginRequiredMixin, FormView):
    """Step 1: register a written application (age ≥ 18 gate, RULES §1 step 1)."""

    template_name = "recruitment/application_form.html"
    form_class = ApplicationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            case = services.submit_application(actor=self.request.user, organisation=data["organisation"],
                                               values=form.values(), applied_on=data["applied_on"],
                                               group=data["group"])
        except (ValidationError, RuleViolation) as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"已登记{case.name}的入党申请。")
        return redirect("recruitment:case", pk=case.pk)


class TransferView(LoginRequiredMixin, FormView):
    """Move a case to another branch mid-way; its history goes with it."""

    template_name = "recruitment/step_form.html"
    form_class = TransferForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.case = selectors.case_for(request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "case": self.case}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "case": self.case, "title": "转接培养关系"}

    def form_valid(self, form):
        try:
            services.transfer_case(actor=self.request.user, case=self.case, **form.cleaned_data)
        except (ValidationError, RuleViolation) as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "已转接。")
        return redirect("recruitment:case", pk=self.case.pk)


class CommitteeView(LoginRequiredMixin, TemplateView):
    """For a committee: cases waiting for pre-review or approval, open notices, returned sign-offs."""

    template_name = "recruitment/committee.html"

    def get_context_data(self, **kwargs):
        org = subtree(self.request)
        work = selectors.committee_work(self.request.user, org.path if org else None)
        return {**super().get_context_data(**kwargs), "org": org, **work}
