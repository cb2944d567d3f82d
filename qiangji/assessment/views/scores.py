"""One organisation's score: every line with the records behind it, what is missing for the next star,
reviewers' points and adjustments."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from qiangji.assessment import selectors, services
from qiangji.assessment.choices import IndicatorKind, RunStatus
from qiangji.assessment.forms import AdjustmentForm, ManualScoreForm, StarsForm
from qiangji.assessment.models import Indicator, Score, ScoreLine
from qiangji.assessment.views.base import ServiceFormView
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404, scope_of


class ScoreDetailView(LoginRequiredMixin, TemplateView):
    template_name = "assessment/score_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        score = get_in_scope_or_404(
            Score,
            user,
            self.kwargs["pk"],
        )
        view = selectors.explain_score(score)
        scope = scope_of(user)
        rating = selectors.rating_for_score(user, score)
        return super().get_context_data(**kwargs) | {
            "score": score,
            "view": view,
            "rating": rating,
            "history": selectors.history_of(user, score.organisation),
            "may_self_assess": score.run.status == RunStatus.PUBLISHED
            and scope.allows(Action.CHANGE, score.org_path)
            and (rating is None or rating.status == "self"),
            "may_review": scope.allows_above(Action.CHANGE, score.org_path),
        }


class LineDetailView(LoginRequiredMixin, TemplateView):
    """The records behind one line of a score, each linked to its page."""

    template_name = "assessment/line_detail.html"

    def get_context_data(self, **kwargs):
        line = get_in_scope_or_404(
            ScoreLine,
            self.request.user,
            self.kwargs["pk"],
        )
        return super().get_context_data(**kwargs) | {
            "line": line,
            "score": line.score,
            "explanation": selectors.explain_line(line),
        }


class ScoreFormView(ServiceFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = get_in_scope_or_404(Score, request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def done(self) -> str:
        return reverse("assessment:score", kwargs={"pk": self.object.pk})


class SelfAssessView(ScoreFormView):
    form_class = StarsForm
    title = _("星级自评")
    submit_label = _("提交自评")

    def perform(self, form):
        rating = services.self_assess(
            actor=self.request.user,
            score=self.object,
            stars=form.cleaned_data["stars"],
            note=form.cleaned_data["note"],
        )
        return _("已提交自评。"), reverse("assessment:rating", kwargs={"pk": rating.pk})


class ManualScoreView(ScoreFormView):
    form_class = ManualScoreForm
    title = _("录入评审得分")
    submit_label = _("保存")

    def perform(self, form):
        indicator = self.object.run.indicator_set.indicators.filter(
            pk=self.kwargs["indicator"], kind=IndicatorKind.MANUAL
        ).first()
        if not isinstance(indicator, Indicator):
            raise Http404(_("未找到该指标"))
        services.record_manual_score(
            actor=self.request.user,
            indicator=indicator,
            organisation=self.object.organisation,
            points=form.cleaned_data["points"],
            evidence=form.cleaned_data["evidence"],
        )
        return _("已保存，重新计算后计入得分。"), self.done()


class AdjustmentView(ScoreFormView):
    form_class = AdjustmentForm
    title = _("登记加减分或一票否决")
    submit_label = _("登记")

    def perform(self, form):
        data = form.cleaned_data
        services.record_adjustment(
            actor=self.request.user,
            indicator_set=self.object.run.indicator_set,
            organisation=self.object.organisation,
            kind=data["kind"],
            points=data["points"],
            reason=data["reason"],
            evidence=data["evidence"],
        )
        return _("已登记，重新计算后计入得分。"), self.done()
