"""Pages of 四议两公开: the county's decision list, decisions with one form per stage, the township's
pre-review queue."""

from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.core.views import ScopedMixin
from qiangji.governance import forms, selectors, services
from qiangji.governance.choices import VoteKind
from qiangji.governance.filters import DecisionFilter
from qiangji.governance.models import Decision, DecisionRule
from qiangji.governance.tables import DecisionTable
from qiangji.governance.views.base import FormView, ObjectFormView, StaffOnlyMixin
from qiangji.members.selectors import voting_roll
from qiangji.orgs.models import Organisation


class RuleListView(StaffOnlyMixin, ScopedMixin, TemplateView):
    model = DecisionRule
    template_name = "governance/rule_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rules = self.get_queryset().order_by("org_path", "matter")
        return super().get_context_data(**kwargs) | {
            "rules": rules,
            "editable": {
                rule.pk
                for rule in rules
                if rule.org_path and scope_of(user).allows(Action.CHANGE, rule.org_path)
            },
            "counties": selectors.counties_without_rules(user),
        }


class RuleAdoptView(StaffOnlyMixin, FormView):
    form_class = forms.forms.Form

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.county = get_in_scope_or_404(Organisation, request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_title(self):
        return f"“{self.county.name}”采用默认村级重大事项决策清单"

    def perform(self, form):
        services.adopt_rules(actor=self.request.user, county=self.county)
        return "已采用，可修改金额标准", reverse("governance:rules")


class RuleEditView(ObjectFormView):
    model = DecisionRule
    form_class = forms.RuleForm
    title = "修改村级重大事项决策清单"

    def get_initial(self):
        return {
            "label": self.object.label,
            "money_threshold": self.object.money_threshold,
            "is_active": self.object.is_active,
        }

    def perform(self, form):
        services.update_rule(actor=self.request.user, rule=self.object, **form.cleaned_data)
        return "已保存", reverse("governance:rules")


class DecisionListView(StaffOnlyMixin, ScopedMixin, TemplateView):
    model = Decision
    template_name = "governance/decision_list.html"

    def get_context_data(self, **kwargs):
        filterset = DecisionFilter(self.request.GET, queryset=selectors.decisions_for(self.request.user))
        table = DecisionTable(filterset.qs)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        return super().get_context_data(**kwargs) | {"filter": filterset, "table": table}


class PrereviewQueueView(StaffOnlyMixin, ScopedMixin, TemplateView):
    model = Decision
    template_name = "governance/prereview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "decisions": selectors.prereview_queue(self.request.user)[:200]
        }


class DecisionCreateView(StaffOnlyMixin, FormView):
    form_class = forms.DecisionForm
    title = "村党组织提议村级重大事项"

    def get_form_kwargs(self):
        user = self.request.user
        village = selectors.villages_for(user).first()
        rules = selectors.rules_for_village(village) if village is not None else []
        return super().get_form_kwargs() | {"user": user, "rules": rules}

    def perform(self, form):
        decision = services.propose_decision(actor=self.request.user, **form.cleaned_data)
        return f"已提议，编号 {decision.number}", reverse("governance:decision", args=[decision.pk])


class DecisionDetailView(ScopedMixin, TemplateView):
    model = Decision
    template_name = "governance/decision_detail.html"

    def get_queryset(self):
        return selectors.decisions_for(self.request.user)

    def get_context_data(self, **kwargs):
        decision = self.get_object()
        scope = scope_of(self.request.user)
        return super().get_context_data(**kwargs) | {
            "decision": decision,
            "votes": decision.votes.prefetch_related("lines"),
            "stages": selectors.decision_stages(decision),
            "may_change": scope.allows(Action.CHANGE, decision.org_path),
            "may_review": scope.allows_above(Action.CHANGE, decision.org_path),
        }


STAGE_FORMS = {
    "discuss": (forms.DiscussForm, "村“两委”会议商议"),
    "party_members": (forms.VoteForm, "党员大会审议"),
    "representatives": (forms.VoteForm, "村民代表会议决议"),
    "publish": (forms.PublishForm, "决议公开"),
    "prereview": (forms.PreReviewForm, "乡镇党委前置审核"),
    "execute": (forms.ExecuteForm, "组织实施"),
    "outcome": (forms.PublishForm, "实施结果公开"),
}


class DecisionStageView(ObjectFormView):
    """One form per stage; the service refuses a stage out of order (or execution before the sign-off)."""

    model = Decision

    def dispatch(self, request, *args, **kwargs):
        if kwargs["stage"] not in STAGE_FORMS:
            raise Http404("没有这个环节")
        self.form_class, self.title = STAGE_FORMS[kwargs["stage"]]
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        stage = self.kwargs["stage"]
        if stage in VoteKind.values:
            day = selectors.form_day(self.request.POST.get("held_on"))
            roll = (
                voting_roll(self.object.village, day)
                if stage == VoteKind.PARTY_MEMBERS
                else selectors.representatives_on(self.object.village, day)
            )
            kwargs |= {"roll": roll, "kind": stage}
        return kwargs

    def perform(self, form):
        data, user, decision, stage = form.cleaned_data, self.request.user, self.object, self.kwargs["stage"]
        if stage == "discuss":
            services.discuss_decision(actor=user, decision=decision, **data)
        elif stage in VoteKind.values:
            services.record_vote(
                actor=user,
                decision=decision,
                kind=stage,
                held_on=data["held_on"],
                attendance=form.attendance(),
            )
        elif stage == "publish":
            services.publish_resolution(
                actor=user, decision=decision, published_on=data["published_on"], resolution_text=data["text"]
            )
        elif stage == "prereview":
            services.prereview_decision(actor=user, decision=decision, **data)
        elif stage == "execute":
            services.execute_decision(actor=user, decision=decision, **data)
        else:
            services.publish_outcome(
                actor=user, decision=decision, published_on=data["published_on"], outcome_text=data["text"]
            )
        return f"已办理“{self.title}”", reverse("governance:decision", args=[decision.pk])
