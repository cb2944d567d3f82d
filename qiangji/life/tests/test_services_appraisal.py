import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from freezegun import freeze_time

from qiangji.core.models import AuditEntry
from qiangji.life import services
from qiangji.life.models import AppraisalGrade, AppraisalVote
from qiangji.testing import add_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def voters(world, branch_members):
    """Link a user to each member of the branch, so each can write for themselves."""
    for number, member in enumerate(branch_members[1:], start=1):
        member.user = add_user(f"m{number}")
        member.save(update_fields=["user"])
    return branch_members


def advance(world, appraisal, stage):
    return services.set_appraisal_stage(actor=world.users["zhibu"], appraisal=appraisal, stage=stage)


@freeze_time("2026-12-10 10:00:00+08:00")
def test_appraisal_round_self_mutual_vote_grade(world, voters):
    appraisal = services.open_appraisal(actor=world.users["zhibu"], organisation=world.branch, year=2026)
    me, other = voters[0], voters[1]
    with pytest.raises(ValidationError, match="自评只能评自己"):
        services.write_appraisal(
            actor=me.user, appraisal=appraisal, voter=me, subject=other, kind="self", comment="好"
        )
    services.write_appraisal(
        actor=me.user, appraisal=appraisal, voter=me, subject=me, kind="self", comment="自评"
    )
    with pytest.raises(Http404):  # nobody writes in another member's name
        services.write_appraisal(
            actor=me.user, appraisal=appraisal, voter=other, subject=other, kind="self", comment="x"
        )
    with pytest.raises(ValidationError, match="顺序"):
        advance(world, appraisal, "voting")
    advance(world, appraisal, "mutual")
    services.write_appraisal(
        actor=other.user, appraisal=appraisal, voter=other, subject=me, kind="mutual", comment="工作积极"
    )
    advance(world, appraisal, "voting")
    for voter, grade in zip(voters[1:], ["excellent", "excellent", "qualified"], strict=True):
        services.write_appraisal(
            actor=voter.user, appraisal=appraisal, voter=voter, subject=me, kind="vote", grade=grade
        )
    with pytest.raises(ValidationError, match="尚不能评定"):
        services.grade_member(actor=world.users["zhibu"], appraisal=appraisal, member=me, grade="excellent")
    advance(world, appraisal, "grading")
    with pytest.raises(ValidationError, match="须写明理由"):
        services.grade_member(actor=world.users["zhibu"], appraisal=appraisal, member=me, grade="unqualified")
    row = services.grade_member(actor=world.users["zhibu"], appraisal=appraisal, member=me, grade="excellent")
    assert (row.excellent_votes, row.qualified_votes, row.basic_votes, row.unqualified_votes) == (2, 1, 0, 0)
    assert list(me.appraisal_grades.values_list("grade", flat=True)) == ["excellent"]
    entry = AuditEntry.objects.get(action="life.appraisal.graded")
    assert entry.after["votes"]["excellent"] == 2 and entry.after["grade"] == "excellent"
    # the log says a vote was cast, never which grade
    assert all("grade" not in e.after for e in AuditEntry.objects.filter(action="life.appraisal.written"))
    assert AppraisalVote.objects.count() == 5


def test_appraisal_foreign_and_duplicates(world):
    with pytest.raises(Http404):
        services.open_appraisal(actor=world.users["foreign"], organisation=world.branch, year=2026)
    services.open_appraisal(actor=world.users["zhibu"], organisation=world.branch, year=2026)
    with pytest.raises(ValidationError, match="已经启动"):
        services.open_appraisal(actor=world.users["zhibu"], organisation=world.branch, year=2026)
    assert not AppraisalGrade.objects.exists()
