"""Recognition pages: nominations, review, public notice, award."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from qiangji.assessment import selectors, services
from qiangji.assessment.forms import FinaliseForm, NominationForm, NominationReviewForm, NoticeForm
from qiangji.assessment.models import Nomination
from qiangji.assessment.views.base import ServiceFormView
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.core.views import org_from_request
from qiangji.members.models import Member


class NominationListView(LoginRequiredMixin, TemplateView):
    template_name = "assessment/nomination_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "nominations": selectors.nominations_of(user).order_by("-year", "status", "org_path")[:500],
            "may_nominate": user.is_superuser or bool(scope_of(user).paths_for(Action.CHANGE)),
        }


class NominationDetailView(LoginRequiredMixin, TemplateView):
    template_name = "assessment/nomination_detail.html"

    def get_context_data(self, **kwargs):
        nomination = get_in_scope_or_404(Nomination, self.request.user, self.kwargs["pk"])
        above = scope_of(self.request.user).allows_above(Action.CHANGE, nomination.organisation.path)
        steps = {"nominated": "review", "reviewed": "notice", "notice": "award"}
        return super().get_context_data(**kwargs) | {
            "nomination": nomination,
            "step": steps.get(nomination.status) if above else None,
        }


class NominateView(ServiceFormView):
    form_class = NominationForm
    title = _("推荐表彰对象")
    submit_label = _("推荐")

    def get_initial(self):
        return {"year": today().year}

    def perform(self, form):
        data = dict(form.cleaned_data)
        organisation = org_from_request(self.request, Action.CHANGE, default_to_scope=True)
        member = None
        if data.pop("member"):
            member = get_in_scope_or_404(
                Member, self.request.user, form.cleaned_data["member"], Action.CHANGE
            )
            organisation = member.organisation
        nomination = services.nominate(
            actor=self.request.user, organisation=organisation, member=member, **data
        )
        return _("已推荐。"), reverse("assessment:nomination", kwargs={"pk": nomination.pk})


STEPS = {
    "review": (NominationReviewForm, "审核表彰推荐"),
    "notice": (NoticeForm, "表彰对象公示"),
    "award": (FinaliseForm, "公示期满，予以表彰"),
}


class NominationStepView(ServiceFormView):
    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in STEPS:
            raise Http404(_("未找到该步骤"))
        self.form_class, self.title = STEPS[kwargs["step"]]
        if request.user.is_authenticated:
            self.object = get_in_scope_or_404(Nomination, request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"starts_on": today()}

    def perform(self, form):
        step, data = self.kwargs["step"], form.cleaned_data
        if step == "review":
            services.review_nomination(
                actor=self.request.user, nomination=self.object, approve=data["approve"], note=data["note"]
            )
        elif step == "notice":
            services.notice_nomination(
                actor=self.request.user, nomination=self.object, starts_on=data["starts_on"]
            )
        else:
            services.award_nomination(actor=self.request.user, nomination=self.object)
        return _("已保存。"), reverse("assessment:nomination", kwargs={"pk": self.object.pk})
