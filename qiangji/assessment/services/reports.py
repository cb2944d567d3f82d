"""Secretaries' annual report and appraisal (述职评议): report, review meeting scores, grade, follow-ups."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.assessment.choices import ReportGrade, ReportStatus
from qiangji.assessment.models import FollowUp, ReviewScore, SecretaryReport
from qiangji.assessment.services.base import require_above, require_in_scope, require_text
from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.orgs.models import Organisation

# Grade lines of the review's average (local example, docs/rules.md §6): ≥ 90 好, ≥ 80 较好, ≥ 60 一般, else 差.
GRADE_LINES = [
    (Decimal("90"), ReportGrade.GOOD),
    (Decimal("80"), ReportGrade.FAIRLY_GOOD),
    (Decimal("60"), ReportGrade.FAIR),
]
RULE_REVIEW = "述职评议由上级党组织组织评议和定等（docs/rules.md §6 述职评议，本地示例办法）"


def grade_for(average: Decimal) -> str:
    for line, grade in GRADE_LINES:
        if average >= line:
            return grade
    return ReportGrade.POOR


@transaction.atomic
def submit_report(
    *,
    actor,
    organisation: Organisation,
    year: int,
    secretary_name: str,
    report: str,
    on: datetime.date | None = None,
) -> SecretaryReport:
    require_in_scope(actor, organisation.path, Action.CHANGE)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度须在2000至2100之间"})
    existing = (
        SecretaryReport.objects.select_for_update().filter(organisation=organisation, year=year).first()
    )
    if existing is not None and existing.status != ReportStatus.SUBMITTED:
        raise ValidationError({"report": "已评议，不能再修改述职报告"})
    row = existing or SecretaryReport(
        organisation=organisation, year=year, org_path=organisation.path, region_code=organisation.region_code
    )
    row.secretary_name = require_text(secretary_name, "secretary_name", "书记姓名")
    row.report = require_text(report, "report", "述职报告")
    row.submitted_by, row.submitted_on = actor, on or today()
    row.save()
    audit.record(
        actor=actor, action="assessment.report.submitted", target=row, org=organisation, after={"year": year}
    )
    return row


def _points(value) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"scores": "评分须为数字"}) from None
    if not number.is_finite() or not Decimal("0") <= number <= Decimal("100"):
        raise ValidationError({"scores": "评分须在0至100之间"})
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def record_review(
    *, actor, report: SecretaryReport, meeting_on: datetime.date, scores: list[dict]
) -> SecretaryReport:
    """The review meeting's scores [{reviewer, points, comment}]: replaces earlier ones until graded."""
    report = SecretaryReport.objects.select_for_update().select_related("organisation").get(pk=report.pk)
    require_in_scope(actor, report.org_path, Action.VIEW)
    try:
        require_above(actor, report.organisation, "scores")
    except ValidationError:
        raise ValidationError({"scores": RULE_REVIEW}) from None
    if report.status == ReportStatus.GRADED:
        raise ValidationError({"scores": "已定等次"})
    if not scores:
        raise ValidationError({"scores": "请至少录入一名评议人的评分"})
    if not isinstance(meeting_on, datetime.date) or meeting_on < report.submitted_on:
        raise ValidationError({"meeting_on": "评议会日期不能早于述职日期"})
    rows = [
        ReviewScore(
            report=report,
            org_path=report.org_path,
            region_code=report.region_code,
            reviewer=require_text(item.get("reviewer", ""), "scores", "评议人"),
            points=_points(item.get("points")),
            comment=(item.get("comment") or "").strip(),
        )
        for item in scores
    ]
    report.review_scores.all().delete()
    ReviewScore.objects.bulk_create(rows)
    report.meeting_on = meeting_on
    report.average = (sum((r.points for r in rows), Decimal(0)) / len(rows)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    report.status = ReportStatus.REVIEWED
    report.save()
    audit.record(
        actor=actor,
        action="assessment.report.reviewed",
        target=report,
        org_path=report.org_path,
        after={"average": report.average, "reviewers": len(rows)},
    )
    return report


@transaction.atomic
def grade_report(*, actor, report: SecretaryReport, note: str, grade: str = "") -> SecretaryReport:
    """The grade follows the average by the example lines; another grade needs the note saying why."""
    report = SecretaryReport.objects.select_for_update().select_related("organisation").get(pk=report.pk)
    require_in_scope(actor, report.org_path, Action.VIEW)
    try:
        require_above(actor, report.organisation, "grade")
    except ValidationError:
        raise ValidationError({"grade": RULE_REVIEW}) from None
    if report.status != ReportStatus.REVIEWED or report.average is None:
        raise ValidationError({"grade": "须先录入评议会评分"})
    computed = grade_for(report.average)
    grade = grade or computed
    if grade not in ReportGrade.values:
        raise ValidationError({"grade": "等次不正确"})
    report.grade_note = (note or "").strip()
    if grade != computed and not report.grade_note:
        raise ValidationError({"grade_note": f"按平均分应为“{ReportGrade(computed).label}”，改定须写明理由"})
    report.grade, report.graded_by, report.status = grade, actor, ReportStatus.GRADED
    report.save()
    audit.record(
        actor=actor,
        action="assessment.report.graded",
        target=report,
        org_path=report.org_path,
        after={"grade": grade, "average": report.average},
    )
    return report


@transaction.atomic
def add_follow_up(*, actor, report: SecretaryReport, text: str, deadline: datetime.date) -> FollowUp:
    report = SecretaryReport.objects.select_related("organisation").get(pk=report.pk)
    require_in_scope(actor, report.org_path, Action.VIEW)
    try:
        require_above(actor, report.organisation, "text")
    except ValidationError:
        raise ValidationError({"text": RULE_REVIEW}) from None
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError({"text": "评议后才能列出问题清单"})
    if not isinstance(deadline, datetime.date) or (report.meeting_on and deadline < report.meeting_on):
        raise ValidationError({"deadline": "整改时限不能早于评议会日期"})
    row = FollowUp.objects.create(
        report=report,
        org_path=report.org_path,
        region_code=report.region_code,
        text=require_text(text, "text", "问题"),
        deadline=deadline,
    )
    audit.record(
        actor=actor,
        action="assessment.followup.added",
        target=report,
        org_path=report.org_path,
        after={"text": row.text, "deadline": deadline},
    )
    return row


@transaction.atomic
def close_follow_up(*, actor, follow_up: FollowUp, note: str, on: datetime.date | None = None) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    require_in_scope(actor, follow_up.org_path, Action.CHANGE)
    if follow_up.done_on is not None:
        raise ValidationError({"done_note": "已完成"})
    follow_up.done_note = require_text(note, "done_note", "完成情况")
    follow_up.done_on = on or today()
    follow_up.save()
    audit.record(
        actor=actor,
        action="assessment.followup.closed",
        target=follow_up.report,
        org_path=follow_up.org_path,
        after={"text": follow_up.text},
    )
    return follow_up
