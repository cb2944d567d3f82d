"""Pages of contact points: the points with their coverage, visits with photos and findings, closure."""

from django.urls import reverse
from django.views.generic import TemplateView

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.core.views import ScopedMixin
from qiangji.governance import forms, selectors, services
from qiangji.governance.models import ContactPoint, Finding
from qiangji.governance.views.base import FormView, ObjectFormView, StaffOnlyMixin


class PointListView(StaffOnlyMixin, ScopedMixin, TemplateView):
    model = ContactPoint
    template_name = "governance/point_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        gaps = self.request.GET.get("gaps") == "1"
        points = selectors.coverage_gaps(user) if gaps else selectors.points_for(user)
        return super().get_context_data(**kwargs) | {"points": points[:200], "gaps": gaps}


class PointCreateView(StaffOnlyMixin, FormView):
    form_class = forms.PointForm
    title = "建立联系点"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form):
        point = services.add_point(actor=self.request.user, **form.cleaned_data)
        return "已建立联系点", reverse("governance:point", args=[point.pk])


class PointDetailView(ScopedMixin, TemplateView):
    model = ContactPoint
    template_name = "governance/point_detail.html"

    def get_queryset(self):
        return selectors.points_for(self.request.user)

    def get_context_data(self, **kwargs):
        point = self.get_object()
        return super().get_context_data(**kwargs) | {
            "point": point,
            "visits": point.visits.prefetch_related("photos", "findings"),
            "may_change": scope_of(self.request.user).allows(Action.CHANGE, point.org_path),
        }


class VisitCreateView(ObjectFormView):
    model = ContactPoint
    form_class = forms.VisitForm
    title = "登记走访调研"
    template_name = "governance/form_upload.html"

    def perform(self, form):
        data = form.cleaned_data
        services.record_visit(
            actor=self.request.user,
            point=self.object,
            kind=data["kind"],
            visited_on=data["visited_on"],
            until=data.get("until"),
            people=data["people"],
            summary=data["summary"],
            report=data.get("report", ""),
            photos=data.get("photos") or [],
            findings=form.findings(),
        )
        return "已登记", reverse("governance:point", args=[self.object.pk])


class FindingListView(StaffOnlyMixin, ScopedMixin, TemplateView):
    model = Finding
    template_name = "governance/finding_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        overdue = self.request.GET.get("overdue") == "1"
        rows = selectors.overdue_findings(user) if overdue else selectors.findings_for(user)
        return super().get_context_data(**kwargs) | {"findings": rows[:200], "overdue": overdue}


class FindingCloseView(ObjectFormView):
    model = Finding
    form_class = forms.CloseFindingForm
    title = "问题整改销号"

    def perform(self, form):
        services.close_finding(actor=self.request.user, finding=self.object, **form.cleaned_data)
        return "已销号", reverse("governance:point", args=[self.object.point_id])
