"""Secretaries' annual report and appraisal: who may do each step, the grade lines, the follow-up list."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from qiangji.assessment import services
from qiangji.assessment.services.reports import grade_for

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 10)


def test_grade_lines_at_the_boundaries():
    assert [grade_for(Decimal(v)) for v in ("90", "89.99", "80", "79.99", "60", "59.99")] == [
        "good",
        "fairly_good",
        "fairly_good",
        "fair",
        "fair",
        "poor",
    ]


def test_report_review_grade_and_follow_up(world):
    report = services.submit_report(
        actor=world.users["zhibu"],
        organisation=world.branch,
        year=2026,
        secretary_name="李四",
        report="全年工作",
        on=DAY,
    )
    scores = [
        {"reviewer": "甲", "points": "92"},
        {"reviewer": "乙", "points": "85", "comment": "发展党员偏慢"},
    ]
    with pytest.raises(ValidationError) as error:  # the branch does not review its own secretary
        services.record_review(actor=world.users["zhibu"], report=report, meeting_on=DAY, scores=scores)
    assert "scores" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_review(
            actor=world.users["jiedao"],
            report=report,
            meeting_on=DAY - datetime.timedelta(days=1),
            scores=scores,
        )
    assert "meeting_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.record_review(
            actor=world.users["jiedao"],
            report=report,
            meeting_on=DAY,
            scores=[{"reviewer": "甲", "points": "101"}],
        )
    report = services.record_review(actor=world.users["jiedao"], report=report, meeting_on=DAY, scores=scores)
    assert report.average == Decimal("88.50") and report.review_scores.count() == 2
    with pytest.raises(ValidationError) as error:  # another grade than the average's needs a reason
        services.grade_report(actor=world.users["jiedao"], report=report, note="", grade="good")
    assert "grade_note" in error.value.message_dict
    report = services.grade_report(actor=world.users["jiedao"], report=report, note="")
    assert report.grade == "fairly_good" and report.status == "graded"
    with pytest.raises(ValidationError):
        services.submit_report(
            actor=world.users["zhibu"],
            organisation=world.branch,
            year=2026,
            secretary_name="李四",
            report="改",
        )
    item = services.add_follow_up(
        actor=world.users["jiedao"],
        report=report,
        text="加快发展党员",
        deadline=DAY + datetime.timedelta(days=90),
    )
    item = services.close_follow_up(
        actor=world.users["zhibu"],
        follow_up=item,
        note="已确定2名发展对象",
        on=DAY + datetime.timedelta(days=30),
    )
    assert item.done_on == DAY + datetime.timedelta(days=30)
