"""Indicator sets and scoring runs: the list, one set, computing a run (the preview), publishing it."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from qiangji.assessment import selectors, services
from qiangji.assessment.forms import ComputeForm, ExampleSetForm, FinaliseForm
from qiangji.assessment.tables import RatingTable, ScoreTable
from qiangji.assessment.views.base import ServiceFormView
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import org_in_scope, scope_of


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "assessment/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        sets = selectors.sets_for(user).select_related("organisation").order_by("-year", "org_path")
        ratings = RatingTable(selectors.ratings_of(user).order_by("-indicator_set__year", "org_path"))
        RequestConfig(self.request, paginate={"per_page": 25}).configure(ratings)
        may_create = user.is_superuser or bool(scope_of(user).paths_for(Action.CHANGE))
        return super().get_context_data(**kwargs) | {
            "sets": sets[:50],
            "ratings": ratings,
            "may_create": may_create,
            "year": today().year,
            "todo": selectors.todo_counts(user),
        }


class ExampleSetCreateView(ServiceFormView):
    form_class = ExampleSetForm
    title = _("以示例指标体系创建")
    intro = _("示例：6项指标共100分，95/85/75/65/60分对应五至一星，五星不超过10%（本地示例办法，可修改）。")
    submit_label = _("创建")

    def get_initial(self):
        return {"year": today().year}

    def perform(self, form):
        organisation = org_in_scope(
            self.request.user, self.request.GET.get("org"), Action.CHANGE, default_to_scope=True
        )
        created = services.create_example_set(
            actor=self.request.user, organisation=organisation, year=form.cleaned_data["year"]
        )
        return _("已创建指标体系。"), reverse("assessment:set", kwargs={"pk": created.pk})


class SetDetailView(LoginRequiredMixin, TemplateView):
    template_name = "assessment/set_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        indicator_set = selectors.set_or_404(user, self.kwargs["pk"])
        return super().get_context_data(**kwargs) | {
            "set": indicator_set,
            "indicators": indicator_set.indicators.order_by("position", "pk"),
            "thresholds": indicator_set.thresholds.order_by("-stars"),
            "quotas": indicator_set.quotas.select_related("organisation"),
            "runs": selectors.runs_for(user, indicator_set)[:20],
            "is_level": selectors.is_set_level(user, indicator_set),
        }


class RunComputeView(ServiceFormView):
    form_class = ComputeForm
    title = _("计算得分（预览）")
    intro = _("按业务记录计算指标体系内全部组织的得分；计算结果先作为预览，确认分布后再发布。")
    submit_label = _("计算")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = selectors.set_or_404(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        run = services.compute_run(
            actor=self.request.user, indicator_set=self.object, as_of=form.cleaned_data["as_of"]
        )
        return _("已计算，请查看分布后发布。"), reverse("assessment:run", kwargs={"pk": run.pk})


class RunDetailView(LoginRequiredMixin, TemplateView):
    template_name = "assessment/run_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        run = selectors.run_or_404(user, self.kwargs["pk"])
        scores = selectors.scores_of(user, run)
        table = ScoreTable(scores)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        return super().get_context_data(**kwargs) | {
            "run": run,
            "table": table,
            "dist": selectors.distribution(scores),
            "is_level": selectors.is_set_level(user, run.indicator_set),
        }


class RunPublishView(ServiceFormView):
    form_class = FinaliseForm
    title = _("发布得分")
    intro = _("发布后各组织可以看到自己的得分并据此自评星级。")
    submit_label = _("发布")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = selectors.run_or_404(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        services.publish_run(actor=self.request.user, run=self.object)
        return _("已发布。"), reverse("assessment:run", kwargs={"pk": self.object.pk})
