"""Question bank (GIFT import, all or nothing), exams with pass mark, attempts and a server-side deadline,
and certificates for a passed exam (a number verifiable on the public page)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.education import gift
from qiangji.education.models import Attempt, Certificate, Exam, Question
from qiangji.education.services.base import learner_of
from qiangji.orgs.models import Organisation

GRACE_SECONDS = 5  # network delay between the learner's click and the server


@transaction.atomic
def import_gift(*, actor, organisation, bank: str, text: str) -> list[Question]:
    org = get_in_scope_or_404(Organisation, actor, getattr(organisation, "pk", organisation), Action.CHANGE)
    bank = (bank or "").strip()
    if not bank:
        raise ValidationError({"bank": "请填写题库名称"})
    if len(text or "") > 2_000_000:
        raise ValidationError({"text": "GIFT文本过大（不超过2MB）"})
    parsed, errors = gift.parse(text or "")
    if errors:
        raise ValidationError({"text": errors})
    rows = Question.objects.bulk_create(
        [
            Question(
                organisation=org,
                org_path=org.path,
                region_code=org.region_code,
                bank=bank[:100],
                kind=q.kind,
                title=q.title[:200],
                text=q.text,
                options=q.options,
                answers=q.answers,
            )
            for q in parsed
        ]
    )
    audit.record(
        actor=actor,
        action="education.questions.imported",
        org=org,
        target_repr=f"{bank}：{len(rows)}题",
        after={"bank": bank, "count": len(rows), "format": "gift"},
    )
    return rows


@transaction.atomic
def create_exam(
    *, actor, organisation, title: str, bank: str, pass_mark_pct=60, time_limit_minutes=30, max_attempts=2
) -> Exam:
    org = get_in_scope_or_404(Organisation, actor, getattr(organisation, "pk", organisation), Action.CHANGE)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写考试名称"
    questions = list(Question.objects.visible_to(actor, Action.VIEW).filter(bank=(bank or "").strip()))
    if not questions:
        errors["bank"] = "该题库没有试题"
    for name, value, low, high in (
        ("pass_mark_pct", pass_mark_pct, 1, 100),
        ("time_limit_minutes", time_limit_minutes, 1, 600),
        ("max_attempts", max_attempts, 1, 20),
    ):
        if not isinstance(value, int) or not low <= value <= high:
            errors[name] = f"须为{low}至{high}的整数"
    if errors:
        raise ValidationError(errors)
    exam = Exam.objects.create(
        organisation=org,
        org_path=org.path,
        region_code=org.region_code,
        title=title.strip()[:200],
        pass_mark_pct=pass_mark_pct,
        time_limit_minutes=time_limit_minutes,
        max_attempts=max_attempts,
    )
    exam.questions.set(questions)
    audit.record(
        actor=actor,
        action="education.exam.created",
        target=exam,
        org=org,
        after={"title": exam.title, "questions": len(questions), "pass_mark_pct": pass_mark_pct},
    )
    return exam


@transaction.atomic
def start_attempt(*, actor, exam, now: datetime.datetime | None = None) -> Attempt:
    member = learner_of(actor)
    exam = get_in_scope_or_404(Exam, actor, getattr(exam, "pk", exam), Action.VIEW, lock=True)
    now = now or timezone.now()
    previous = Attempt.objects.filter(exam=exam, member=member)
    if previous.filter(passed=True).exists():
        raise ValidationError({"exam": "您已通过该考试"})
    open_attempt = previous.filter(submitted_at__isnull=True, deadline__gt=now).first()
    if open_attempt is not None:
        return open_attempt
    used = previous.count()
    if used >= exam.max_attempts:
        raise ValidationError({"exam": f"该考试最多可考{exam.max_attempts}次，您已用完"})
    attempt = Attempt.objects.create(
        exam=exam,
        member=member,
        org_path=member.org_path,
        region_code=member.region_code,
        number=used + 1,
        deadline=now + datetime.timedelta(minutes=exam.time_limit_minutes),
    )
    audit.record(
        actor=actor,
        action="education.exam.started",
        target=attempt,
        org_path=member.org_path,
        target_repr=f"{member.name} {exam.title} 第{attempt.number}次",
    )
    return attempt


def _correct(question: Question, given) -> bool:
    if question.kind == "short":
        return str(given or "").strip() in question.answers
    if question.kind == "true_false":
        return str(given or "").upper()[:1] == question.answers[0]
    right = {i for i, o in enumerate(question.options) if o["correct"]}
    chosen = given if isinstance(given, list) else [given]
    try:
        picked = {int(x) for x in chosen if str(x).strip() != ""}
    except (TypeError, ValueError):
        return False
    return picked == right


@transaction.atomic
def submit_attempt(*, actor, attempt, answers: dict, now: datetime.datetime | None = None) -> Attempt:
    """Scored on the server; after the deadline (+ a few seconds' grace) the submission is refused and the
    attempt stays unscored (it counts as used)."""
    member = learner_of(actor)
    attempt = (
        Attempt.objects.select_for_update()
        .select_related("exam")
        .filter(pk=getattr(attempt, "pk", attempt), member=member)
        .first()
    )
    if attempt is None:
        raise ValidationError({"attempt": "未找到该答卷"})
    now = now or timezone.now()
    if attempt.submitted_at is not None:
        raise ValidationError({"attempt": "该答卷已交卷"})
    if now > attempt.deadline + datetime.timedelta(seconds=GRACE_SECONDS):
        raise ValidationError(
            {
                "attempt": f"已超过考试截止时间（{timezone.localtime(attempt.deadline):%H:%M:%S}），交卷未被接受"
            }
        )
    questions = list(attempt.exam.questions.all())
    right = sum(1 for q in questions if _correct(q, (answers or {}).get(str(q.pk))))
    attempt.answers = {str(k): v for k, v in (answers or {}).items()}
    attempt.submitted_at = now
    attempt.score_pct = round(100 * right / len(questions)) if questions else 0
    attempt.passed = attempt.score_pct >= attempt.exam.pass_mark_pct
    attempt.save(update_fields=["answers", "submitted_at", "score_pct", "passed", "updated_at"])
    audit.record(
        actor=actor,
        action="education.exam.submitted",
        target=attempt,
        org_path=attempt.org_path,
        after={"score_pct": attempt.score_pct, "passed": attempt.passed},
    )
    if attempt.passed:
        issued = today()
        certificate = Certificate.objects.create(
            member=member,
            attempt=attempt,
            org_path=member.org_path,
            region_code=member.region_code,
            number=f"PX{issued:%Y}{attempt.pk:08d}",
            title=attempt.exam.title,
            issued_on=issued,
        )
        audit.record(
            actor=actor,
            action="education.certificate.issued",
            target=certificate,
            org_path=member.org_path,
            target_repr=certificate.number,
        )
    return attempt
