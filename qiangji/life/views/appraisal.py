"""Democratic appraisal (民主评议党员, docs/rules.md §2): members write their self-appraisal, comments and votes on
their phones; the branch committee sees the vote counts and grades each member."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.life import selectors, services
from qiangji.life.choices import AppraisalStage, Grade
from qiangji.life.forms import AppraisalOpenForm, AppraisalWriteForm, GradeForm
from qiangji.life.models import AppraisalRound
from qiangji.life.selectors import appraisal as reads
from qiangji.life.services.appraisal import STAGE_ORDER
from qiangji.life.views.base import LifeView, error_text, form_errors, refuse


class AppraisalOpenView(LifeView):
    scope_action = Action.CHANGE

    def post(self, request, org_pk):
        branch = selectors.branch_for(request.user, org_pk, Action.CHANGE)
        form = AppraisalOpenForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors(form))
            return redirect("life:calendar", org_pk=branch.pk)
        try:
            appraisal = services.open_appraisal(
                actor=request.user, organisation=branch, year=form.cleaned_data["year"]
            )
        except ValidationError as error:
            return refuse(request, error, "life:calendar", org_pk=branch.pk)
        messages.success(request, f"已启动{appraisal.year}年度民主评议")
        return redirect("life:appraisalround-detail", pk=appraisal.pk)


class AppraisalDetailView(LifeView):
    model = AppraisalRound

    def get(self, request, pk):
        appraisal = selectors.round_for(request.user, pk)
        members = reads.round_members(appraisal)
        me = next((m for m in members if m.pk in scope_of(request.user).member_ids), None)
        staff = selectors.may_change(request.user, appraisal.org_path)
        context = {
            "appraisal": appraisal,
            "members": members,
            "me": me,
            "staff": staff,
            "grades": Grade.choices,
            "next_stage": self.next_stage(appraisal),
        }
        if me is not None:
            context["mine"] = reads.my_votes(appraisal, me)
            context["others"] = [m for m in members if m.pk != me.pk]
        if staff:
            votes = reads.vote_table(appraisal)
            graded = reads.grades_by_member(appraisal)
            context["board"] = [
                {
                    "member": m,
                    "votes": votes.get(m.pk, dict.fromkeys(Grade.values, 0)),
                    "grade": graded.get(m.pk),
                }
                for m in members
            ]
            context["written"] = reads.written_counts(appraisal)
            context["totals"] = {g: sum(1 for x in graded.values() if x.grade == g) for g in Grade.values}
        return render(request, "life/appraisal.html", context)

    @staticmethod
    def next_stage(appraisal):
        index = STAGE_ORDER.index(appraisal.stage)
        return AppraisalStage(STAGE_ORDER[index + 1]) if index + 1 < len(STAGE_ORDER) else None


class AppraisalWriteView(LifeView):
    """A member's self-appraisal, comment or vote (for themselves only: the service checks it)."""

    model = AppraisalRound

    def post(self, request, pk):
        appraisal = selectors.round_for(request.user, pk)
        form = AppraisalWriteForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors(form))
            return redirect("life:appraisalround-detail", pk=appraisal.pk)
        me = reads.own_member(request.user, appraisal)
        if me is None:
            raise Http404("您不是本支部党员，不能参加本支部的民主评议")
        try:
            services.write_appraisal(actor=request.user, appraisal=appraisal, voter=me, **form.cleaned_data)
        except ValidationError as error:
            return refuse(request, error, "life:appraisalround-detail", pk=appraisal.pk)
        messages.success(request, "已提交")
        return redirect("life:appraisalround-detail", pk=appraisal.pk)


class AppraisalGradeView(LifeView):
    model = AppraisalRound
    scope_action = Action.CHANGE

    def post(self, request, pk):
        appraisal = selectors.round_for(request.user, pk, Action.CHANGE)
        form = GradeForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors(form))
            return redirect("life:appraisalround-detail", pk=appraisal.pk)
        try:
            services.grade_member(actor=request.user, appraisal=appraisal, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, "已评定等次")
        return redirect("life:appraisalround-detail", pk=appraisal.pk)


class AppraisalStageView(LifeView):
    model = AppraisalRound
    scope_action = Action.CHANGE

    def post(self, request, pk):
        appraisal = selectors.round_for(request.user, pk, Action.CHANGE)
        try:
            services.set_appraisal_stage(
                actor=request.user, appraisal=appraisal, stage=request.POST.get("stage", "")
            )
        except ValidationError as error:
            return refuse(request, error, "life:appraisalround-detail", pk=appraisal.pk)
        messages.success(request, "已进入下一阶段")
        return redirect("life:appraisalround-detail", pk=appraisal.pk)
