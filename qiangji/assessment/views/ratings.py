"""A star rating and its steps: review, decision, notice, objections, final star, appeals."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from qiangji.assessment import selectors, services
from qiangji.assessment.forms import (
    AppealDecisionForm,
    AppealForm,
    FinaliseForm,
    NoticeForm,
    ObjectionForm,
    ResolveForm,
    StarsForm,
)
from qiangji.assessment.models import StarRating
from qiangji.assessment.views.base import ServiceFormView
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404, scope_of


class RatingDetailView(LoginRequiredMixin, TemplateView):
    template_name = "assessment/rating_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rating = get_in_scope_or_404(
            StarRating,
            user,
            self.kwargs["pk"],
        )
        scope = scope_of(user)
        level = selectors.is_set_level(user, rating.indicator_set)
        above = scope.allows_above(Action.CHANGE, rating.org_path)
        own = scope.allows(Action.CHANGE, rating.org_path)
        status = rating.status
        steps = []
        if above and status in ("self", "reviewed"):
            steps.append(("review", _("上级审核")))
        if level and above and status in ("reviewed", "decided"):
            steps.append(("decide", _("党委决定")))
        if level and status == "decided":
            steps.append(("notice", _("开始公示")))
        if status == "notice":
            steps.append(("object", _("提出异议")))
            if level and selectors.open_objection(rating):
                steps.append(("resolve", _("处理异议")))
            if level:
                steps.append(("finalise", _("公示期满，确定星级")))
        if status == "final" and own and not selectors.pending_appeal(rating):
            deadline = services.appeal_deadline(rating)
            if deadline and today() <= deadline:
                steps.append(("appeal", _("申诉")))
        if level and selectors.pending_appeal(rating):
            steps.append(("appeal-decide", _("申诉决定")))
        return super().get_context_data(**kwargs) | {
            "rating": rating,
            "steps": steps,
            "objections": selectors.objections_of(rating),
            "appeals": selectors.appeals_of(rating),
            "history": selectors.history_of(user, rating.organisation),
            "appeal_deadline": services.appeal_deadline(rating),
        }


def _review(view, data):
    services.review_rating(
        actor=view.request.user, rating=view.object, stars=data["stars"], note=data["note"]
    )
    return _("已审核。")


def _decide(view, data):
    services.decide_rating(
        actor=view.request.user, rating=view.object, stars=data["stars"], note=data["note"]
    )
    return _("已决定。")


def _notice(view, data):
    services.open_notice(actor=view.request.user, rating=view.object, starts_on=data["starts_on"])
    return _("已开始公示。")


def _object(view, data):
    services.raise_objection(actor=view.request.user, rating=view.object, text=data["text"])
    return _("已提出异议。")


def _resolve(view, data):
    objection = selectors.open_objection(view.object)
    if objection is None:
        raise Http404(_("没有待处理的异议"))
    services.resolve_objection(
        actor=view.request.user,
        objection=objection,
        upheld=data["upheld"],
        resolution=data["resolution"],
        stars=data["stars"],
    )
    return _("已处理异议。")


def _finalise(view, data):
    services.finalise_rating(actor=view.request.user, rating=view.object)
    return _("已确定星级。")


def _appeal(view, data):
    services.file_appeal(actor=view.request.user, rating=view.object, reason=data["reason"])
    return _("已提交申诉。")


def _appeal_decide(view, data):
    appeal = selectors.pending_appeal(view.object)
    if appeal is None:
        raise Http404(_("没有待决定的申诉"))
    services.decide_appeal(
        actor=view.request.user,
        appeal=appeal,
        decision=data["decision"],
        reason=data["reason"],
        stars=data["stars"],
    )
    return _("已决定申诉。")


# step slug → (form, title, the service call, scope action to read the rating)
STEPS = {
    "review": (StarsForm, gettext_lazy("上级审核星级"), _review, Action.CHANGE),
    "decide": (StarsForm, gettext_lazy("党委决定星级"), _decide, Action.CHANGE),
    "notice": (NoticeForm, gettext_lazy("开始公示"), _notice, Action.CHANGE),
    "object": (ObjectionForm, gettext_lazy("对公示星级提出异议"), _object, Action.VIEW),
    "resolve": (ResolveForm, gettext_lazy("处理异议"), _resolve, Action.CHANGE),
    "finalise": (FinaliseForm, gettext_lazy("公示期满，确定星级"), _finalise, Action.CHANGE),
    "appeal": (AppealForm, gettext_lazy("星级申诉"), _appeal, Action.CHANGE),
    "appeal-decide": (AppealDecisionForm, gettext_lazy("申诉决定"), _appeal_decide, Action.CHANGE),
}


class RatingStepView(ServiceFormView):
    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in STEPS:
            raise Http404(_("未找到该步骤"))
        self.form_class, self.title, self.call, action = STEPS[kwargs["step"]]
        if request.user.is_authenticated:
            self.object = get_in_scope_or_404(StarRating, request.user, kwargs["pk"], action)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"starts_on": today()}

    def perform(self, form):
        message = self.call(self, form.cleaned_data)
        return message, reverse("assessment:rating", kwargs={"pk": self.object.pk})
