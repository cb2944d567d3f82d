import datetime

import pytest

from qiangji.recruitment import rules
from qiangji.recruitment.models import Rule

D = datetime.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 5, 17), "fzdy-2014"),
        (D(2026, 5, 18), "fzdy-2026"),
        (D(2026, 5, 19), "fzdy-2026"),
    ],
)
def test_rule_set_is_chosen_by_the_date_of_the_step(day, expected):
    assert rules.applicable_rule_set(day) == expected


def test_effective_date_is_a_setting(settings):
    settings.QIANGJI_FZDY_2026_EFFECTIVE = "2026-07-01"
    assert rules.applicable_rule_set(D(2026, 6, 30)) == "fzdy-2014"
    assert rules.applicable_rule_set(D(2026, 7, 1)) == "fzdy-2026"


def test_five_working_day_notice_across_national_day_2025():
    # 2025-09-29 Mon and 09-30 Tue work; 10-01..10-08 holiday; 10-09, 10-10 and the make-up Saturday 10-11.
    due = rules.notice_end(D(2025, 9, 29), 5)
    assert due == rules.Due(D(2025, 10, 11), False)
    assert rules.add_working_days(D(2025, 9, 30), 1).date == D(2025, 10, 9)


def test_notice_starting_on_a_holiday_counts_from_the_next_working_day():
    assert rules.notice_end(D(2025, 10, 1), 1).date == D(2025, 10, 9)


def test_year_outside_the_calendar_is_provisional_and_labelled():
    due = rules.add_working_days(D(2099, 1, 1), 3)
    assert due.provisional and due.date == D(2099, 1, 6)
    assert "暂定" in due.label


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        (D(2025, 1, 31), 1, "months", D(2025, 2, 28)),
        (D(2024, 2, 29), 1, "years", D(2025, 2, 28)),  # 民法典第二百零二条 (core.dates.add_years)
        (D(2024, 3, 1), 6, "months", D(2024, 9, 1)),
        (D(2024, 3, 1), 10, "days", D(2024, 3, 11)),
    ],
)
def test_calendar_arithmetic(start, amount, unit, expected):
    assert rules.add_period(start, amount, unit) == expected


@pytest.mark.django_db
def test_both_rule_sets_are_seeded_with_sources():
    assert Rule.objects.filter(rule_set="fzdy-2014").count() > 30
    only_2026 = set(Rule.objects.filter(rule_set="fzdy-2026").values_list("code", flat=True)) - set(
        Rule.objects.filter(rule_set="fzdy-2014").values_list("code", flat=True)
    )
    assert only_2026 == {"step07.higher_consent", "step15.within_after_pre_review", "step20.oath_within"}
    assert not Rule.objects.filter(source="").exists()
    local = Rule.objects.get(rule_set="fzdy-2014", code="step03.activist_after_application")
    assert local.mark == "L" and not local.enabled and local.kind == "alert"
    target = Rule.objects.get(rule_set="fzdy-2026", code="step07.notice_min")
    assert target.mark == "R" and target.enabled and target.minimum == 5 and target.unit == "working_days"


@pytest.mark.django_db
def test_due_date_of_a_rule():
    rule = Rule.objects.get(rule_set="fzdy-2014", code="step02.talk_within")
    assert rules.due_date(rule, D(2025, 1, 31)).date == D(2025, 2, 28)
    assert rules.due_date(None, D(2025, 1, 31)) is None


@pytest.mark.django_db
def test_looser_values_are_detected():
    rule = Rule.objects.get(rule_set="fzdy-2014", code="step07.activist_min_period")
    assert rules.looser_fields(rule, minimum=0) == ["minimum"]
    assert rules.looser_fields(rule, minimum=2) == []
    alert = Rule.objects.get(rule_set="fzdy-2014", code="step02.talk_within")
    assert rules.looser_fields(alert, maximum=2) == ["maximum"]
    gate = Rule.objects.get(rule_set="fzdy-2014", code="step01.min_age")
    assert rules.looser_fields(gate, kind="alert") == ["kind"]
