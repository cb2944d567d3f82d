"""Democratic appraisal pages: members write on their phones, the committee sees counts and grades."""

import pytest
from django.urls import reverse

from qiangji.life import services
from qiangji.life.models import AppraisalGrade, AppraisalRound, AppraisalVote
from qiangji.life.tests.test_views_common import frozen as _frozen  # noqa: F401
from qiangji.life.tests.test_views_common import text
from qiangji.testing import add_user

pytestmark = pytest.mark.django_db


def detail(appraisal):
    return reverse("life:appraisalround-detail", kwargs={"pk": appraisal.pk})


def stage(client, appraisal, value):
    client.post(reverse("life:appraisal-stage", kwargs={"pk": appraisal.pk}), {"stage": value})


def test_full_round_from_self_appraisal_to_grades(world, client_as, branch_members):
    secretary = client_as(world.users["zhibu"])
    response = secretary.post(
        reverse("life:appraisal-open", kwargs={"org_pk": world.branch.pk}), {"year": 2026}
    )
    appraisal = AppraisalRound.objects.get()
    assert response["Location"] == detail(appraisal)
    member = client_as(world.users["dangyuan"])
    write = reverse("life:appraisal-write", kwargs={"pk": appraisal.pk})
    assert "提交自评" in text(member.get(detail(appraisal)))
    empty = member.post(write, {"kind": "self", "subject": world.member.pk, "comment": ""}, follow=True)
    assert "请填写评议意见" in text(empty) and not AppraisalVote.objects.exists()
    member.post(write, {"kind": "self", "subject": world.member.pk, "comment": "认真学习，按时交纳党费"})
    secretary = client_as(world.users["zhibu"])
    stage(secretary, appraisal, "mutual")
    stage(secretary, appraisal, "voting")
    wang = branch_members[1]
    member = client_as(world.users["dangyuan"])
    member.post(write, {"kind": "vote", "subject": wang.pk, "grade": "excellent"})
    member.post(write, {"kind": "vote", "subject": world.member.pk, "grade": "excellent"})  # not oneself
    assert AppraisalVote.objects.filter(kind="vote").count() == 1
    secretary = client_as(world.users["zhibu"])
    stage(secretary, appraisal, "grading")
    board = text(secretary.get(detail(appraisal)))
    assert "测评票和评定等次" in board
    grade = reverse("life:appraisal-grade", kwargs={"pk": appraisal.pk})
    refused = secretary.post(grade, {"member": wang.pk, "grade": "basic"}, follow=True)
    assert "须写明理由" in text(refused) and not AppraisalGrade.objects.exists()
    secretary.post(grade, {"member": wang.pk, "grade": "excellent"})
    row = AppraisalGrade.objects.get()
    assert row.grade == "excellent" and row.excellent_votes == 1
    life = text(secretary.get(reverse("life:member-life", kwargs={"pk": wang.pk})))
    assert "2026年：<strong>优秀</strong>" in life


def test_stages_move_forward_only_and_members_cannot_move_them(world, client_as):
    appraisal = services.open_appraisal(actor=world.users["zhibu"], organisation=world.branch, year=2026)
    response = client_as(world.users["zhibu"]).post(
        reverse("life:appraisal-stage", kwargs={"pk": appraisal.pk}), {"stage": "grading"}, follow=True
    )
    assert "须按自评、互评、测评、评定的顺序进行" in text(response)
    member = client_as(world.users["dangyuan"]).post(
        reverse("life:appraisal-stage", kwargs={"pk": appraisal.pk}), {"stage": "mutual"}
    )
    assert member.status_code == 404
    appraisal.refresh_from_db()
    assert appraisal.stage == "self"


def test_someone_outside_the_branch_cannot_take_part(world, client_as):
    appraisal = services.open_appraisal(actor=world.users["zhibu"], organisation=world.branch, year=2026)
    outsider = add_user("outsider")
    assert client_as(outsider).get(detail(appraisal)).status_code == 404
    assert client_as(world.users["foreign"]).get(detail(appraisal)).status_code == 404


def test_opening_twice_is_refused(world, client_as):
    client = client_as(world.users["zhibu"])
    url = reverse("life:appraisal-open", kwargs={"org_pk": world.branch.pk})
    client.post(url, {"year": 2026})
    response = client.post(url, {"year": 2026}, follow=True)
    assert "民主评议已经启动" in text(response) and AppraisalRound.objects.count() == 1
