"""Democratic appraisal (《中国共产党支部工作条例（试行）》, docs/rules.md §2, N): self-appraisal → mutual appraisal → vote → committee grading.

Members write their own self-appraisal, comments and votes; the branch committee grades with the
vote counts in front of it.  The grade is kept on `AppraisalGrade` (Member.appraisal_grades), the
member's record of appraisals.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import NOT_FOUND, get_in_scope_or_404, scope_of
from qiangji.life.choices import AppraisalKind, AppraisalStage, Grade
from qiangji.life.models import AppraisalGrade, AppraisalRound, AppraisalVote, Meeting
from qiangji.life.services.base import changeable_org
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member

STAGE_ORDER = list(AppraisalStage.values)
STAGE_OF_KIND = {
    AppraisalKind.SELF: AppraisalStage.SELF,
    AppraisalKind.MUTUAL: AppraisalStage.MUTUAL,
    AppraisalKind.VOTE: AppraisalStage.VOTING,
}


@transaction.atomic
def open_appraisal(*, actor, organisation, year: int, meeting: Meeting | None = None) -> AppraisalRound:
    branch = changeable_org(actor, organisation, branch=True)
    if AppraisalRound.objects.filter(organisation=branch, year=year).exists():
        raise ValidationError({"year": f"{branch.name}{year}年度的民主评议已经启动"})
    if meeting is not None and meeting.organisation_id != branch.pk:
        raise ValidationError({"meeting": "组织生活会须是本支部的会议"})
    appraisal = AppraisalRound.objects.create(
        organisation=branch, org_path=branch.path, year=year, meeting=meeting, created_by=actor
    )
    audit.record(
        actor=actor, action="life.appraisal.opened", target=appraisal, org=branch, after={"year": year}
    )
    return appraisal


@transaction.atomic
def set_appraisal_stage(*, actor, appraisal: AppraisalRound, stage: str) -> AppraisalRound:
    """Stages move forward only, one at a time (the order of docs/rules.md §2)."""
    appraisal = get_in_scope_or_404(AppraisalRound, actor, appraisal, Action.CHANGE, lock=True)
    if stage not in STAGE_ORDER or STAGE_ORDER.index(stage) != STAGE_ORDER.index(appraisal.stage) + 1:
        raise ValidationError(
            {
                "stage": f"民主评议须按自评、互评、测评、评定的顺序进行（当前：{appraisal.get_stage_display()}）"
            }
        )
    before = appraisal.stage
    appraisal.stage = stage
    appraisal.closed_at = timezone.now() if stage == AppraisalStage.CLOSED else None
    appraisal.save(update_fields=["stage", "closed_at"])
    audit.record(
        actor=actor,
        action="life.appraisal.stage_set",
        target=appraisal,
        org_path=appraisal.org_path,
        before={"stage": before},
        after={"stage": stage},
    )
    return appraisal


def _participant(appraisal: AppraisalRound, member_pk) -> Member:
    member = Member.objects.filter(
        pk=member_pk, organisation_id=appraisal.organisation_id, status__in=ON_ROLL
    ).first()
    if member is None:
        raise ValidationError({"subject": "被评议人须是本支部在册党员"})
    return member


@transaction.atomic
def write_appraisal(
    *, actor, appraisal: AppraisalRound, voter, subject, kind: str, comment: str = "", grade: str = ""
) -> AppraisalVote:
    """A member's own self-appraisal, comment on another member, or vote; one of each per pair, replaceable."""
    # The actor's own member record is the authority (members hold no grant); it must sit in the round's
    # branch (checked by _participant), so nobody writes in another member's name or another branch.
    appraisal = AppraisalRound.objects.filter(pk=getattr(appraisal, "pk", appraisal)).first()  # type: ignore[assignment]
    voter_pk = getattr(voter, "pk", voter)
    if appraisal is None or voter_pk not in scope_of(actor).member_ids:
        raise Http404(NOT_FOUND)
    if kind not in STAGE_OF_KIND or appraisal.stage != STAGE_OF_KIND[kind]:  # type: ignore[index]
        raise ValidationError(
            {
                "kind": f"当前阶段为{appraisal.get_stage_display()}，不能提交{AppraisalKind(kind).label if kind in AppraisalKind.values else '该类意见'}"
            }
        )
    try:
        voter = _participant(appraisal, voter_pk)
    except ValidationError:
        raise Http404(NOT_FOUND)
    subject = _participant(appraisal, getattr(subject, "pk", subject))
    if (kind == AppraisalKind.SELF) != (voter.pk == subject.pk):
        raise ValidationError({"subject": "自评只能评自己，互评和测评只能评他人"})
    if kind == AppraisalKind.VOTE and grade not in Grade.values:
        raise ValidationError({"grade": "请选择优秀、合格、基本合格或不合格"})
    if kind != AppraisalKind.VOTE and not (comment or "").strip():
        raise ValidationError({"comment": "请填写评议意见"})
    vote, _ = AppraisalVote.objects.update_or_create(
        round=appraisal,
        kind=kind,
        voter=voter,
        subject=subject,
        defaults={
            "org_path": appraisal.org_path,
            "grade": grade if kind == AppraisalKind.VOTE else "",
            "comment": (comment or "").strip(),
        },
    )
    # The vote itself stays secret in the log: only that one was cast.
    audit.record(
        actor=actor,
        action="life.appraisal.written",
        target=appraisal,
        org_path=appraisal.org_path,
        after={"kind": kind, "subject": subject.pk},
    )
    return vote


def vote_counts(appraisal: AppraisalRound, member_pk: int) -> dict[str, int]:
    rows = dict(
        AppraisalVote.objects.filter(round=appraisal, kind=AppraisalKind.VOTE, subject_id=member_pk)
        .values("grade")
        .annotate(n=Count("id"))
        .values_list("grade", "n")
    )
    return {grade: rows.get(grade, 0) for grade in Grade.values}


@transaction.atomic
def grade_member(*, actor, appraisal: AppraisalRound, member, grade: str, note: str = "") -> AppraisalGrade:
    """The committee's grade, with the vote counts it saw; 基本合格/不合格 need a written note."""
    appraisal = get_in_scope_or_404(AppraisalRound, actor, appraisal, Action.CHANGE, lock=True)
    if appraisal.stage != AppraisalStage.GRADING:
        raise ValidationError({"stage": f"当前阶段为{appraisal.get_stage_display()}，尚不能评定等次"})
    if grade not in Grade.values:
        raise ValidationError({"grade": "请选择优秀、合格、基本合格或不合格"})
    if grade in (Grade.BASIC, Grade.UNQUALIFIED) and not (note or "").strip():
        raise ValidationError({"note": "评定为基本合格或不合格须写明理由"})
    member = _participant(appraisal, getattr(member, "pk", member))
    counts = vote_counts(appraisal, member.pk)
    previous = AppraisalGrade.objects.filter(round=appraisal, member=member).first()
    row, _ = AppraisalGrade.objects.update_or_create(
        round=appraisal,
        member=member,
        defaults=dict(
            org_path=appraisal.org_path,
            grade=grade,
            note=(note or "").strip()[:500],
            decided_on=today(),
            decided_by=actor,
            excellent_votes=counts[Grade.EXCELLENT],
            qualified_votes=counts[Grade.QUALIFIED],
            basic_votes=counts[Grade.BASIC],
            unqualified_votes=counts[Grade.UNQUALIFIED],
        ),
    )
    audit.record(
        actor=actor,
        action="life.appraisal.graded",
        target=appraisal,
        org_path=appraisal.org_path,
        target_repr=f"{appraisal}：{member.name}",
        before={"grade": previous.grade} if previous else None,
        after={"member": member.pk, "grade": grade, "votes": counts},
    )
    return row
