"""Pages of the micro-power list: the catalogue, cases with their steps, notices and objections, the public
disclosure page, whistle-blowing reports."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.core.views import ScopedMixin
from qiangji.governance import forms, selectors, services
from qiangji.governance.choices import CaseStatus
from qiangji.governance.filters import CaseFilter
from qiangji.governance.models import Objection, PowerCase, PowerItem, WhistleReport
from qiangji.governance.tables import CaseTable
from qiangji.governance.views.base import FormView, ObjectFormView, StaffOnlyMixin
from qiangji.orgs.models import Organisation


class HomeView(StaffOnlyMixin, ScopedMixin, TemplateView):
    model = PowerCase
    template_name = "governance/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "todos": selectors.todos(user),
            "open_cases": selectors.cases_for(user).filter(status=CaseStatus.OPEN).count(),
            "decisions": selectors.decisions_for(user).count(),
            "reports": selectors.reports_for(user).count(),
            "villages": selectors.villages_for(user)[:50],
        }


# ----- catalogue --------------------------------------------------------------------------------------


class ItemListView(StaffOnlyMixin, ScopedMixin, TemplateView):
    model = PowerItem
    template_name = "governance/item_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"items": selectors.items_for(self.request.user)}


class ItemDetailView(StaffOnlyMixin, ScopedMixin, TemplateView):
    model = PowerItem
    template_name = "governance/item_detail.html"

    def get_context_data(self, **kwargs):
        item = self.get_object()
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "item": item,
            "steps": item.steps.order_by("order"),
            "may_edit": item.org_path != "" and scope_of(user).allows(Action.CHANGE, item.org_path),
            "counties": [] if item.org_path else selectors.adoptable_counties(user, item),
        }


class ItemAdoptView(StaffOnlyMixin, ScopedMixin, FormView):
    """A county adopts a national template (POST with `county`)."""

    model = PowerItem
    scope_action = Action.VIEW
    form_class = forms.forms.Form

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.template = self.get_object()
            self.county = get_in_scope_or_404(
                Organisation,
                request.user,
                request.POST.get("county") or request.GET.get("county"),
                Action.CHANGE,
            )
        return super().dispatch(request, *args, **kwargs)

    def get_title(self):
        return f"“{self.county.name}”采用“{self.template.title}”"

    def perform(self, form):
        item = services.adopt_item(actor=self.request.user, county=self.county, template=self.template)
        return "已采用，可在本县清单中修改", reverse("governance:item", args=[item.pk])


class StepEditView(ObjectFormView):
    model = PowerItem
    form_class = forms.StepTemplateForm
    title = "修改办理环节"

    def get_initial(self):
        order = self.request.GET.get("order")
        step = self.object.steps.filter(order=order).first() if str(order).isdigit() else None
        if step is None:
            return {"order": (self.object.steps.count() or 0) + 1, "notice_days": 0}
        return {
            "order": step.order,
            "name": step.name,
            "role": step.role,
            "time_limit_days": step.time_limit_days,
            "required_documents": "\n".join(step.required_documents),
            "notice_days": step.notice_days,
        }

    def perform(self, form):
        services.save_step(actor=self.request.user, item=self.object, **form.cleaned_data)
        return "已保存（办理中的事项仍按受理时的流程办理）", reverse("governance:item", args=[self.object.pk])


# ----- cases -------------------------------------------------------------------------------------------


class CaseListView(StaffOnlyMixin, ScopedMixin, TemplateView):
    model = PowerCase
    template_name = "governance/case_list.html"

    def get_context_data(self, **kwargs):
        filterset = CaseFilter(self.request.GET, queryset=selectors.cases_for(self.request.user))
        table = CaseTable(filterset.qs)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        return super().get_context_data(**kwargs) | {"filter": filterset, "table": table}


class CaseCreateView(StaffOnlyMixin, FormView):
    form_class = forms.CaseOpenForm
    title = "受理小微权力事项"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form):
        case = services.open_case(actor=self.request.user, **form.cleaned_data)
        return f"已受理，编号 {case.number}", reverse("governance:case", args=[case.pk])


class CaseDetailView(ScopedMixin, TemplateView):
    model = PowerCase
    template_name = "governance/case_detail.html"

    def get_queryset(self):
        return selectors.cases_for(self.request.user)

    def get_context_data(self, **kwargs):
        case = self.get_object()
        return super().get_context_data(**kwargs) | {
            "case": case,
            "timeline": selectors.case_timeline(case),
            "may_change": scope_of(self.request.user).allows(Action.CHANGE, case.org_path),
        }


class CaseStepView(ObjectFormView):
    model = PowerCase
    form_class = forms.StepForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
            self.spec = self.object.step_spec(kwargs["order"])
            if self.spec is None:
                raise Http404("该事项的办理流程中没有这个环节")
        return super(ObjectFormView, self).dispatch(request, *args, **kwargs)

    def get_title(self):
        return f"第{self.spec['order']}步：{self.spec['name']}"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"spec": self.spec}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"object": self.object}

    def perform(self, form):
        data = form.cleaned_data
        services.take_step(
            actor=self.request.user,
            case=self.object,
            order=self.spec["order"],
            done_on=data["done_on"],
            person_name=data["person_name"],
            outcome=data["outcome"],
            note=data.get("note", ""),
            documents=data.get("documents", []),
            notice_text=data.get("notice_text", ""),
        )
        return f"已办理“{self.spec['name']}”", reverse("governance:case", args=[self.object.pk])


class ObjectionCreateView(ObjectFormView):
    model = PowerCase
    form_class = forms.ObjectionForm
    title = "登记公示异议"

    def perform(self, form):
        services.raise_objection(actor=self.request.user, case=self.object, **form.cleaned_data)
        return "已登记异议：核实处理前不能进入下一环节", reverse("governance:case", args=[self.object.pk])


class ObjectionResolveView(ObjectFormView):
    model = Objection
    form_class = forms.ResolveForm
    title = "核实处理公示异议"

    def perform(self, form):
        services.resolve_objection(actor=self.request.user, objection=self.object, **form.cleaned_data)
        return "已处理异议", reverse("governance:case", args=[self.object.case_id])


class DisclosureView(View):
    """The village's public page (村务公开): notices with masked names and published decisions; no sign-in."""

    def get(self, request, code):
        village = selectors.village_by_code(code)
        if village is None:
            raise Http404("未找到该村（社区）")
        return render(
            request,
            "governance/disclosure.html",
            {"village": village, **selectors.disclosure_for(village)},
        )


# ----- whistle-blowing -----------------------------------------------------------------------------------


class ReportListView(ScopedMixin, TemplateView):
    model = WhistleReport
    template_name = "governance/report_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "reports": selectors.reports_for(self.request.user)[:200]
        }


class ReportCreateView(FormView):
    """Anyone signed in may report about a village (reached from its public page)."""

    form_class = forms.ReportForm
    title = "举报（提交后转本村纪检委员、村务监督委员会和乡镇，不转被反映人）"

    def dispatch(self, request, *args, **kwargs):
        self.village = selectors.village_by_code(kwargs["code"])
        if self.village is None:
            raise Http404("未找到该村（社区）")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"officers": selectors.village_officers(self.village)}

    def perform(self, form):
        services.receive_report(actor=self.request.user, village=self.village, **form.cleaned_data)
        return "举报已受理", reverse("governance:disclosure", args=[self.village.code])


class ReportDetailView(ScopedMixin, TemplateView):
    model = WhistleReport
    template_name = "governance/report_detail.html"

    def get_context_data(self, **kwargs):
        report = services.read_report(actor=self.request.user, pk=self.kwargs["pk"])
        return super().get_context_data(**kwargs) | {"report": report}


class ReportCloseView(ObjectFormView):
    model = WhistleReport
    form_class = forms.CloseReportForm
    title = "举报办结"

    def get_object(self, queryset=None):
        return services.read_report(actor=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE)

    def perform(self, form):
        services.close_report(actor=self.request.user, report=self.object, **form.cleaned_data)
        return "已办结", reverse("governance:report", args=[self.object.pk])


class ContactCreateView(ObjectFormView):
    """The township designates the village's discipline member or supervision committee account."""

    model = Organisation
    form_class = forms.ContactForm
    title = "指定村级监督联系人"

    def perform(self, form):
        user = selectors.user_by_username(form.cleaned_data["username"])
        services.add_contact(
            actor=self.request.user, village=self.object, user=user, role=form.cleaned_data["role"]
        )
        return "已指定", reverse("governance:home")
