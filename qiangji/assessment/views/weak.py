"""Weak organisations: the list with the criteria and the villages' colours, detection, plans, sign-off."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from qiangji.assessment import selectors, services, weak
from qiangji.assessment.forms import EvidenceForm, PlanForm, SignOffForm, YearForm
from qiangji.assessment.models import RectificationPlan, WeakFlag
from qiangji.assessment.views.base import ServiceFormView
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.core.views import org_from_request


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else today().year


class WeakListView(LoginRequiredMixin, TemplateView):
    template_name = "assessment/weak_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        year = _year(self.request)
        org = org_from_request(self.request, default_to_scope=True) if scope_of(user).has_any_grant else None
        return super().get_context_data(**kwargs) | {
            "year": year,
            "org": org,
            "flags": selectors.flags_of(user, year, org.path if org else "")[:500],
            "criteria": selectors.criteria_of(org, year) if org else [],
            "colours": weak.colour_grades(org, year) if org else [],
            "may_detect": org is not None and scope_of(user).allows(Action.CHANGE, org.path),
        }


class OrgYearFormView(ServiceFormView):
    form_class = YearForm

    def get_initial(self):
        return {"year": today().year}

    def organisation(self):
        return org_from_request(self.request, Action.CHANGE, default_to_scope=True)

    def done(self, year) -> str:
        return reverse("assessment:weak") + f"?org={self.organisation().pk}&year={year}"


class WeakSeedView(OrgYearFormView):
    title = _("设定软弱涣散认定标准（示例）")
    intro = _(
        "书记空缺超过3个月、规定会议不足75%、村连续2年未发展党员、年度考核末位5%；本地示例，可逐项修改。"
    )
    submit_label = _("设定")

    def perform(self, form):
        year = form.cleaned_data["year"]
        services.seed_weak_criteria(actor=self.request.user, organisation=self.organisation(), year=year)
        return _("已设定认定标准。"), self.done(year)


class WeakDetectView(OrgYearFormView):
    title = _("排查软弱涣散党组织")
    intro = _("按本级设定的标准对下级全部党支部一次排查；已有整顿方案的不会被撤销。")
    submit_label = _("排查")

    def perform(self, form):
        year = form.cleaned_data["year"]
        flags = services.detect_weak(actor=self.request.user, organisation=self.organisation(), year=year)
        return _("排查完成，认定 %(n)s 个。") % {"n": len(flags)}, self.done(year)


class FlagDetailView(LoginRequiredMixin, TemplateView):
    template_name = "assessment/flag_detail.html"

    def get_flag(self):
        return get_in_scope_or_404(
            WeakFlag,
            self.request.user,
            self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        flag = self.get_flag()
        plan = getattr(flag, "plan", None)
        scope = scope_of(self.request.user)
        return super().get_context_data(**kwargs) | {
            "flag": flag,
            "plan": plan,
            "may_edit": scope.allows(Action.CHANGE, flag.org_path)
            and (plan is None or plan.status != "signed_off"),
            "may_sign_off": plan is not None
            and plan.status == "submitted"
            and scope.allows_above(Action.CHANGE, flag.org_path),
        }


class PlanDetailView(FlagDetailView):
    def get_flag(self):
        plan = get_in_scope_or_404(RectificationPlan, self.request.user, self.kwargs["pk"])
        return get_in_scope_or_404(WeakFlag, self.request.user, plan.flag_id)


class FlagFormView(ServiceFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = get_in_scope_or_404(WeakFlag, request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def done(self) -> str:
        return reverse("assessment:flag", kwargs={"pk": self.object.pk})

    def plan(self):
        plan = (
            RectificationPlan.objects.visible_to(self.request.user, Action.VIEW)
            .filter(flag=self.object)
            .first()
        )
        if plan is None:
            raise Http404(_("还没有整顿方案"))
        return plan


class PlanEditView(FlagFormView):
    form_class = PlanForm
    title = _("整顿方案")
    submit_label = _("保存")

    def perform(self, form):
        services.save_plan(actor=self.request.user, flag=self.object, **form.cleaned_data)
        return _("已保存整顿方案。"), self.done()


class PlanEvidenceView(FlagFormView):
    form_class = EvidenceForm
    title = _("报送整改佐证")
    submit_label = _("报送")

    def perform(self, form):
        services.submit_evidence(
            actor=self.request.user, plan=self.plan(), evidence=form.cleaned_data["evidence"]
        )
        return _("已报送，待上级党委验收。"), self.done()


class PlanSignOffView(ServiceFormView):
    form_class = SignOffForm
    title = _("上级党委验收销号")
    submit_label = _("验收销号")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = get_in_scope_or_404(WeakFlag, request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        plan = (
            RectificationPlan.objects.visible_to(self.request.user, Action.CHANGE)
            .filter(flag=self.object)
            .first()
        )
        if plan is None:
            raise Http404(_("还没有整顿方案"))
        services.sign_off_plan(actor=self.request.user, plan=plan, note=form.cleaned_data["note"])
        return _("已验收销号。"), reverse("assessment:flag", kwargs={"pk": self.object.pk})
