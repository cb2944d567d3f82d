"""Reads of one democratic appraisal round (already read through the user's scope, `objects.round_for`)."""

from django.db.models import Count

from qiangji.core.scoping import scope_of
from qiangji.life.choices import AppraisalKind, Grade
from qiangji.life.models import AppraisalGrade, AppraisalRound, AppraisalVote
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member


def round_members(appraisal: AppraisalRound) -> list[Member]:
    """The branch's members on the roll, who take part."""
    return list(
        Member.objects.filter(organisation_id=appraisal.organisation_id, status__in=ON_ROLL).order_by(
            "name_pinyin", "id"
        )
    )


def own_member(user, appraisal: AppraisalRound) -> Member | None:
    """The user's own member record in the round's branch (members hold no grant: their record is the authority)."""
    return Member.objects.filter(
        pk__in=scope_of(user).member_ids, organisation_id=appraisal.organisation_id
    ).first()


def my_votes(appraisal: AppraisalRound, voter: Member) -> dict:
    """What the member wrote, by (kind, subject id)."""
    return {(v.kind, v.subject_id): v for v in AppraisalVote.objects.filter(round=appraisal, voter=voter)}


def vote_table(appraisal: AppraisalRound) -> dict[int, dict[str, int]]:
    """Vote counts per member and grade in one query."""
    table: dict[int, dict[str, int]] = {}
    for row in (
        AppraisalVote.objects.filter(round=appraisal, kind=AppraisalKind.VOTE)
        .values("subject_id", "grade")
        .annotate(n=Count("id"))
    ):
        table.setdefault(row["subject_id"], dict.fromkeys(Grade.values, 0))[row["grade"]] = row["n"]
    return table


def grades_by_member(appraisal: AppraisalRound) -> dict[int, AppraisalGrade]:
    return {g.member_id: g for g in AppraisalGrade.objects.filter(round=appraisal)}


def written_counts(appraisal: AppraisalRound):
    """How many self-appraisals, comments and votes were written."""
    return AppraisalVote.objects.filter(round=appraisal).values("kind").annotate(n=Count("id"))
