"""Question bank (GIFT), exams with pass mark, attempts and a server-side deadline, certificates as PDF
with a verification QR, the public verification page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from qiangji.core.models import AuditEntry
from qiangji.education import gift, services
from qiangji.education.models import Certificate, Question

pytestmark = pytest.mark.django_db

GIFT = """// 党章
::Q1:: 党的最高理想和最终目标是 {=实现共产主义 ~实现小康}

::Q2:: 党员每年集中学习培训一般不少于32学时。{T}

::Q3:: 预备期为 {=一年 =1年}

::Q4:: 属于三会一课的有 {~%50%支部党员大会 ~%50%党课 ~%-100%茶话会}
"""


def test_gift_parses_every_kind():
    questions, errors = gift.parse(GIFT)
    assert not errors
    assert [q.kind for q in questions] == ["single", "true_false", "short", "multiple"]
    assert questions[2].answers == ["一年", "1年"]
    _, errors = gift.parse("题目 {=a ~b}\n\n坏题\n\n另一个 {~x ~y}")
    assert errors == ["第2题：须有且只有一组 {…} 答案", "第3题：选择题至少要有两个选项，且至少一个正确答案"]


def test_a_bad_import_saves_nothing(world):
    with pytest.raises(ValidationError) as refused:
        services.import_gift(
            actor=world.users["xian"], organisation=world.county, bank="党章", text=GIFT + "\n\n坏题"
        )
    assert "第5题" in refused.value.message_dict["text"][0]
    assert not Question.objects.exists()


def _exam(world, **kw):
    services.import_gift(actor=world.users["xian"], organisation=world.county, bank="党章", text=GIFT)
    return services.create_exam(
        actor=world.users["xian"], organisation=world.county, title="党章知识测试", bank="党章", **kw
    )


def _right(exam):
    answers = {}
    for q in exam.questions.all():
        if q.kind == "single":
            answers[str(q.pk)] = "0"
        elif q.kind == "multiple":
            answers[str(q.pk)] = ["0", "1"]
        elif q.kind == "true_false":
            answers[str(q.pk)] = "T"
        else:
            answers[str(q.pk)] = "1年"
    return answers


def test_pass_gives_a_certificate_and_the_public_page_verifies_it(world, client_as, client):
    exam = _exam(world, pass_mark_pct=75)
    learner = world.users["dangyuan"]
    attempt = services.start_attempt(actor=learner, exam=exam)
    answers = _right(exam)
    wrong = next(k for k, v in answers.items() if v == "T")
    answers[wrong] = "F"
    attempt = services.submit_attempt(actor=learner, attempt=attempt, answers=answers)
    assert attempt.score_pct == 75 and attempt.passed
    certificate = Certificate.objects.get(attempt=attempt)
    assert AuditEntry.objects.filter(action="education.certificate.issued").count() == 1
    with pytest.raises(ValidationError):
        services.start_attempt(actor=learner, exam=exam)  # already passed
    pdf = client_as(learner).get(reverse("education:certificate-pdf", args=[certificate.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        client_as(world.users["foreign"])
        .get(reverse("education:certificate-pdf", args=[certificate.pk]))
        .status_code
        == 404
    )
    client.logout()
    page = client.get(reverse("education:verify") + f"?number={certificate.number}")
    assert "证书有效" in page.content.decode() and "李*" in page.content.decode()
    unknown = client.get(reverse("education:verify") + "?number=PX000")
    assert "未找到编号为“PX000”的证书" in unknown.content.decode()


def test_a_late_submission_is_refused_and_attempts_run_out(world):
    exam = _exam(world, time_limit_minutes=10, max_attempts=1)
    learner = world.users["dangyuan"]
    started = timezone.now()
    attempt = services.start_attempt(actor=learner, exam=exam, now=started)
    late = started + datetime.timedelta(minutes=10, seconds=6)
    with pytest.raises(ValidationError) as refused:
        services.submit_attempt(actor=learner, attempt=attempt, answers=_right(exam), now=late)
    assert "截止时间" in refused.value.message_dict["attempt"][0]
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not Certificate.objects.exists()
    with pytest.raises(ValidationError) as used:
        services.start_attempt(actor=learner, exam=exam, now=late)
    assert "最多可考1次" in used.value.message_dict["exam"][0]


def test_on_time_by_the_server_clock_is_accepted(world):
    exam = _exam(world, time_limit_minutes=10)
    learner = world.users["dangyuan"]
    started = timezone.now()
    attempt = services.start_attempt(actor=learner, exam=exam, now=started)
    done = services.submit_attempt(
        actor=learner, attempt=attempt, answers=_right(exam), now=started + datetime.timedelta(minutes=10)
    )
    assert done.passed and done.score_pct == 100


def test_exam_pages(world, client_as):
    exam = _exam(world)
    learner = client_as(world.users["dangyuan"])
    assert learner.get(reverse("education:exam-list")).status_code == 200
    start = learner.post(reverse("education:exam-start", args=[exam.pk]))
    assert start.status_code == 302
    take = learner.get(start["Location"])
    assert take.status_code == 200 and "交卷" in take.content.decode()
    data = {f"q{k}": v for k, v in _right(exam).items()}
    assert learner.post(start["Location"], data).status_code == 302
    assert Certificate.objects.filter(member=world.member).exists()
