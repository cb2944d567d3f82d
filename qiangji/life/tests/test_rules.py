import datetime

import pytest

from qiangji.core import audit_labels
from qiangji.life import rules, services
from qiangji.life.models import MeetingType
from qiangji.life.selectors import make_period
from qiangji.life.selectors.lapse import lapse_cutoff

pytestmark = pytest.mark.django_db


def test_seeded_rules_carry_frequency_quorum_source_and_mark():
    rows = {t.code: t for t in MeetingType.objects.all()}
    assert {code: rows[code].period_months for code in rows} == {
        "branch_general": 3,
        "branch_committee": 1,
        "group": 1,
        "lecture": 3,
        "secretary_lecture": 12,
        "theme_day": 1,
        "review": 12,
        "heart_talk": 12,
        "appraisal": 12,
    }
    assert rows["branch_committee"].quorum == "committee_majority"
    assert (
        rows["lecture"].mark == "L"
        and rows["secretary_lecture"].mark == "N"
        and rows["heart_talk"].mark == "R"
    )
    assert rows["secretary_lecture"].counts_toward == rows["lecture"]
    assert rows["review"].usual_months == "10,11,12"
    assert all("zbtl-2018" in t.source for t in rows.values())


def test_effective_period_takes_the_strictest_override_on_the_path(world):
    general = MeetingType.objects.get(code="branch_general")
    services.set_rule_override(
        actor=world.users["xian"],
        organisation=world.county,
        meeting_type=general,
        period_months=2,
        reason="县委规定",
    )
    assert rules.effective_period(general, world.branch.path) == 2
    assert rules.effective_period(general, world.foreign_branch.path) == 3


def test_calendar_months_and_buckets():
    assert services.add_months(datetime.date(2026, 8, 31), -6) == datetime.date(2026, 2, 28)
    assert lapse_cutoff(datetime.date(2026, 7, 31)) == datetime.date(2026, 1, 31)
    quarter = make_period("quarter", 2026, 2)
    assert quarter.buckets(1) == [1 << 3, 1 << 4, 1 << 5] and quarter.buckets(3) == [0b111000]
    assert quarter.buckets(12) == []  # a yearly rule is not due inside a quarter
    assert make_period("year", 2026).buckets(3) == [0b111, 0b111000, 0b111000000, 0b111000000000]
    assert (quarter.start, quarter.end) == (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))


def test_every_action_has_a_chinese_label():
    assert audit_labels.label_for("life.checkin.recorded") == "扫码签到"
    assert all(audit_labels.label_for(code) != code for code in services.ACTION_LABELS)
