"""Democratic appraisal (民主评议党员, RULES §2): members write their self-appraisal, comments and votes on
their phones; the branch committee sees the vote counts and grades each member."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.life import services
from qiangji.life.choices import AppraisalKind, AppraisalStage, Grade
from qiangji.life.forms import AppraisalOpenForm, AppraisalWriteForm, GradeForm
from qiangji.life.models import AppraisalGrade, AppraisalRound, AppraisalVote
from qiangji.life.services.appraisal import STAGE_ORDER
from qiangji.life.views.common import NOT_FOUND, branch_for, error_text, may_change, refuse
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member


def round_for(user, pk, action=Action.VIEW) -> AppraisalRound:
    found = AppraisalRound.objects.visible_to(user, action).select_related("organisation").filter(pk=pk).first()
    if found is None and action == Action.VIEW:
        # A member of the branch takes part in its appraisal.
        found = AppraisalRound.objects.select_related("organisation").filter(
            pk=pk, org_path__in=scope_of(user).member_org_paths()).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


class AppraisalOpenView(LoginRequiredMixin, View):
    def post(self, request, org_pk):
        branch = branch_for(request.user, org_pk, Action.CHANGE)
        form = AppraisalOpenForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
            return redirect("life:calendar", org_pk=branch.pk)
        try:
            appraisal = services.open_appraisal(actor=request.user, organisation=branch, year=form.cleaned_data["year"])
        except ValidationError as error:
            return refuse(request, error, "life:calendar", org_pk=branch.pk)
        messages.success(request, f"已启动{appraisal.year}年度民主评议")
        return redirect("life:appraisalround-detail", pk=appraisal.pk)


def vote_table(appraisal) -> dict[int, dict[str, int]]:
    """Vote counts per member and grade in one query."""
    table: dict[int, dict[str, int]] = {}
    for row in (AppraisalVote.objects.filter(round=appraisal, kind=AppraisalKind.VOTE)
                .values("subject_id", "grade").annotate(n=Count("id"))):
        table.setdefault(row["subject_id"], dict.fromkeys(Grade.values, 0))[row["grade"]] = row["n"]
    return table


class AppraisalDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        appraisal = round_for(request.user, pk)
        members = list(Member.objects.filter(organisation_id=appraisal.organisation_id, status__in=ON_ROLL)
                       .order_by("name_pinyin", "id"))
        me = next((m for m in members if m.pk in scope_of(request.user).member_ids), None)
        staff = may_change(request.user, appraisal.org_path)
        context = {"appraisal": appraisal, "members": members, "me": me, "staff": staff,
                   "grades": Grade.choices, "next_stage": self.next_stage(appraisal)}
        if me is not None:
            context["mine"] = {(v.kind, v.subject_id): v for v in AppraisalVote.objects.filter(round=appraisal,
                                                                                              voter=me)}
            context["others"] = [m for m in members if m.pk != me.pk]
        if staff:
            votes = vote_table(appraisal)
            graded = {g.member_id: g for g in AppraisalGrade.objects.filter(round=appraisal)}
            context["board"] = [{"member": m, "votes": votes.get(m.pk, dict.fromkeys(Grade.values, 0)),
                                 "grade": graded.get(m.pk)} for m in members]
            context["written"] = AppraisalVote.objects.filter(round=appraisal).values("kind").annotate(n=Count("id"))
            context["totals"] = {g: sum(1 for x in graded.values() if x.grade == g) for g in Grade.values}
        return render(request, "life/appraisal.html", context)

    @staticmethod
    def next_stage(appraisal):
        index = STAGE_ORDER.index(appraisal.stage)
        return AppraisalStage(STAGE_ORDER[index + 1]) if index + 1 < len(STAGE_ORDER) else None


class AppraisalWriteView(LoginRequiredMixin, View):
    """A member's self-appraisal, comment or vote (for themselves only: the service checks it)."""

    def post(self, request, pk):
        appraisal = round_for(request.user, pk)
        form = AppraisalWriteForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
            return redirect("life:appraisalround-detail", pk=appraisal.pk)
        me = Member.objects.filter(pk__in=scope_of(request.user).member_ids,
                                   organisation_id=appraisal.organisation_id).first()
        if me is None:
            raise Http404("您不是本支部党员，不能参加本支部的民主评议")
        try:
            services.write_appraisal(actor=request.user, appraisal=appraisal, voter=me, **form.cleaned_data)
        except ValidationError as error:
            return refuse(request, error, "life:appraisalround-detail", pk=appraisal.pk)
        messages.success(request, "已提交")
        return redirect("life:appraisalround-detail", pk=appraisal.pk)


class AppraisalGradeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        appraisal = round_for(request.user, pk, Action.CHANGE)
        form = GradeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
            return redirect("life:appraisalround-detail", pk=appraisal.pk)
        try:
            services.grade_member(actor=request.user, appraisal=appraisal, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, "已评定等次")
        return redirect("life:appraisalround-detail", pk=appraisal.pk)


class AppraisalStageView(LoginRequiredMixin, View):
    def post(self, request, pk):
        appraisal = round_for(request.user, pk, Action.CHANGE)
        try:
            services.set_appraisal_stage(actor=request.user, appraisal=appraisal, stage=request.POST.get("stage", ""))
        except ValidationError as error:
            return refuse(request, error, "life:appraisalround-detail", pk=appraisal.pk)
        messages.success(request, "已进入下一阶段")
        return redirect("life:appraisalround-detail", pk=appraisal.pk)
