import datetime

import pytest

from qiangji.life import services
from qiangji.life.models import Meeting, MonthlyTheme
from qiangji.life.tests.factories import schedule

pytestmark = pytest.mark.django_db


def test_pushed_themes_are_visible_below_and_above_but_not_to_foreign(world):
    theme = services.push_theme(
        actor=world.users["jiedao"],
        organisation=world.street,
        year=2026,
        month=5,
        title="主题",
        items=[{"title": "学习"}],
    )
    for name in ("zhibu", "jiedao", "xian", "sheng"):
        assert list(MonthlyTheme.objects.visible_to(world.users[name])) == [theme], name
    for name in ("foreign", "nobody"):
        assert not MonthlyTheme.objects.visible_to(world.users[name]).exists(), name
    # seeing a pushed theme does not allow changing it
    assert not MonthlyTheme.objects.visible_to(world.users["zhibu"], "change").exists()


def test_member_sees_own_branch_meetings_only(world):
    mine = schedule(world)
    other = services.schedule_meeting(
        actor=world.users["jiedao"],
        organisation=world.branch2,
        meeting_type=mine.meeting_type,
        planned_on=datetime.date(2026, 3, 1),
    )
    assert list(Meeting.objects.visible_to(world.users["dangyuan"])) == [mine]
    assert not Meeting.objects.visible_to(world.users["dangyuan"], "change").exists()
    assert set(Meeting.objects.visible_to(world.users["jiedao"])) == {mine, other}
    assert mine.attendance_rate is None and mine.is_editable and str(mine) == "支部党员大会"
