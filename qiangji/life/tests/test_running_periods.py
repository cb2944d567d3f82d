"""Compliance over finished periods (issue #12 item 2): the running month is never a failure, the running
year counts the months that are complete (a theme day held every month so far is compliant in the year,
not "1 of 12"), and the page's default is the last complete month."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from qiangji.life import selectors, services
from qiangji.life.tests.test_views_common import frozen as _frozen  # noqa: F401
from qiangji.life.tests.test_views_common import media as _media  # noqa: F401
from qiangji.life.tests.test_views_common import mtype, text

D = datetime.date
pytestmark = pytest.mark.django_db


def hold_theme_day(world, branch, day):
    with freeze_time(f"{day:%Y-%m-%d} 10:00:00+08:00"):
        meeting = services.schedule_meeting(
            actor=world.users["jiedao"], organisation=branch, meeting_type=mtype("theme_day"), planned_on=day
        )
        return services.record_held(actor=world.users["jiedao"], meeting=meeting, held_on=day)


def theme(summary):
    return next(t for t in summary["types"] if t["code"] == "theme_day")


def test_the_running_year_counts_its_complete_months(world):
    for day in (D(2026, 1, 10), D(2026, 2, 10)):  # branch 1: every complete month of 2026 so far
        hold_theme_day(world, world.branch, day)
    hold_theme_day(world, world.branch2, D(2026, 2, 12))  # branch 2: February only
    today = D(2026, 3, 20)
    year = selectors.make_period("year", 2026, today=today)
    assert year.running and year.months == [1, 2]
    summary = selectors.compliance_summary(world.street, year)
    assert theme(summary)["held_branches"] == 1  # branch 1 held it in January and February
    assert summary["running"] is True
    whole = selectors.compliance_summary(world.street, selectors.make_period("year", 2026))
    assert theme(whole)["held_branches"] == 0  # the calendar year (12 required): what the page said before


def test_the_running_month_is_never_a_failure(world):
    march = selectors.make_period("month", 2026, 3, today=D(2026, 3, 20))
    assert march.running and march.months == []
    summary = selectors.compliance_summary(world.street, march)
    assert summary["missing"] == 0 and theme(summary)["due_branches"] == 0
    february = selectors.make_period("month", 2026, 2, today=D(2026, 3, 20))
    assert not february.running
    assert selectors.compliance_summary(world.street, february)["missing"] == 2  # nothing held in February


def test_the_page_defaults_to_the_last_complete_month_and_labels_a_running_one(world, client_as):
    client = client_as(world.users["jiedao"])
    url = reverse("life:compliance", kwargs={"org_pk": world.street.pk})
    body = text(client.get(url))  # today is 20 March 2026
    assert 'data-period="2026年2月"' in body and "进行中" not in body
    body = text(client.get(url, {"period": "month", "year": 2026, "number": 3}))
    assert "2026年3月（进行中，截至3月20日）" in body and "本期尚未结束" in body
    body = text(client.get(url, {"missing": "on"}))  # a filter alone keeps the default period
    assert 'data-period="2026年2月"' in body
