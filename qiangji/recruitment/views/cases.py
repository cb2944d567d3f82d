"""The branch board, the case page, a new application, moving a case, and the committee's work list."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.views.generic import TemplateView

from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.exporting import ExportMixin
from qiangji.core.navigation import ManagerRequiredMixin
from qiangji.core.scoping import scope_of
from qiangji.core.views import org_from_request
from qiangji.recruitment.forms import ApplicationForm, TransferForm
from qiangji.recruitment.forms.base import horizon
from qiangji.recruitment.selectors import cases as selectors
from qiangji.recruitment.services import cases as services
from qiangji.recruitment.views.base import ServiceFormView, may_change_somewhere, org_picker


def _board_page(request) -> tuple[int | None, int]:
    """`?stage=N&page=P` pages one column of the board; anything malformed is the first page."""
    stage, page = request.GET.get("stage", ""), request.GET.get("page", "")
    stage_no = int(stage) if stage.isdigit() and len(stage) < 3 else None
    page_no = int(page) if page.isdigit() and len(page) < 7 else 1
    return stage_no, max(1, page_no)


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


class BoardView(ExportMixin, ManagerRequiredMixin, LoginRequiredMixin, TemplateView):
    """For a branch (or any subtree): open cases by stage, with what each waits for and its deadline.
    Every read goes through the scoped selectors (`board` starts from `Case.objects.visible_to`)."""

    template_name = "recruitment/board.html"

    def get_context_data(self, **kwargs):
        org = org_from_request(self.request) or selectors.default_branch(self.request.user)
        day = today()
        stage, page = _board_page(self.request)
        columns = selectors.board(
            self.request.user, org.path if org else None, day, horizon(self.request), stage=stage, page=page
        )
        return {
            **super().get_context_data(**kwargs),
            "org": org,
            "columns": columns,
            "today": day,
            "org_choices": org_picker(self.request, org),
            "may_change": may_change_somewhere(self.request.user),
            "total": selectors.board_total(columns),
            "query": _query_without(self.request, "stage", "page"),
        }


class CaseDetailView(LoginRequiredMixin, TemplateView):
    """Timeline, rules of the next step (passed / pending), documents, sign-offs, overrides, notices
    (the case read through the scope by `selectors.case_for`: 404 outside it)."""

    template_name = "recruitment/case_detail.html"

    def get_context_data(self, **kwargs):
        case = selectors.case_for(self.request.user, self.kwargs["pk"])
        day = today()
        page = selectors.case_page(case)
        may_change = scope_of(self.request.user).allows(Action.CHANGE, case.org_path)
        rule_state = selectors.next_step_state(case, day)
        return {
            **super().get_context_data(**kwargs),
            "case": case,
            **page,
            "today": day,
            "pending": selectors.pending_rules(case, day, page, rule_state),
            "may_change": may_change,
            "rule_state": rule_state,
            "status_label": selectors.status_label(case),
            "checklist": selectors.checklist(case, page["documents"]),
        }


class ApplicationCreateView(ServiceFormView):
    """Step 1: register a written application (age ≥ 18 gate, 《中国共产党发展党员工作细则》第五条)."""

    template_name = "recruitment/application_form.html"
    form_class = ApplicationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        return services.submit_application(
            actor=self.request.user,
            organisation=data["organisation"],
            values=form.values(),
            applied_on=data["applied_on"],
            group=data["group"],
        )

    def get_success_message(self, result) -> str:
        return f"已登记{result.name}的入党申请。"

    def get_success_redirect(self, result) -> str:
        return reverse("recruitment:case", kwargs={"pk": result.pk})


class TransferView(ServiceFormView):
    """Move a case to another branch mid-way; its history goes with it."""

    template_name = "recruitment/step_form.html"
    form_class = TransferForm
    success_message = "已转接。"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.case = selectors.case_for(request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "case": self.case}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "case": self.case, "title": "转接培养关系"}

    def perform(self, form):
        return services.transfer_case(actor=self.request.user, case=self.case, **form.cleaned_data)

    def get_success_redirect(self, result) -> str:
        return reverse("recruitment:case", kwargs={"pk": self.case.pk})


class CommitteeView(ExportMixin, ManagerRequiredMixin, LoginRequiredMixin, TemplateView):
    """For a committee: cases waiting for pre-review or approval, open notices, returned sign-offs
    (scoped selector `committee_work`)."""

    template_name = "recruitment/committee.html"

    def get_context_data(self, **kwargs):
        org = org_from_request(self.request)
        work = selectors.committee_work(self.request.user, org.path if org else None)
        return {**super().get_context_data(**kwargs), "org": org, **work}
