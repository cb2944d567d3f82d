"""Browser tests of issue #12 in Debian's Chromium, at 375×812 and 1920×1080: compliance on the 3rd of a
month shows the previous (complete) month; a plain member sees no management screen; the county board's
total equals the dashboard's figure.

"Today" is fixed by patching `django.utils.timezone.localdate` (what `core.dates.today` reads): the live
server runs in this process, so its requests see the same day.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from qiangji.testing.browser import BROWSER_MARKS, fits_the_phone, phone_context, shot, sign_in

pytestmark = BROWSER_MARKS
D = datetime.date
VIEWPORTS = [{"width": 375, "height": 812}, {"width": 1920, "height": 1080}]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["375", "1920"])
def test_compliance_on_the_3rd_shows_the_previous_month(chromium, live_server, world, viewport, monkeypatch):
    from qiangji.life import services
    from qiangji.life.models import MeetingType

    with freeze_time("2026-11-10 10:00:00+08:00"):  # the branch held November's theme day
        meeting = services.schedule_meeting(
            actor=world.users["jiedao"],
            organisation=world.branch,
            meeting_type=MeetingType.objects.get(code="theme_day"),
            planned_on=D(2026, 11, 10),
        )
        services.record_held(actor=world.users["jiedao"], meeting=meeting, held_on=D(2026, 11, 10))
    real = timezone.localdate
    monkeypatch.setattr(
        "django.utils.timezone.localdate",
        lambda value=None, timezone=None: D(2026, 12, 3) if value is None else real(value, timezone),
    )
    page = phone_context(chromium, viewport).new_page()
    sign_in(page, live_server.url, "jiedao")
    page.goto(live_server.url + reverse("life:compliance", kwargs={"org_pk": world.street.pk}))
    heading = page.locator("h2[data-period]")
    assert heading.get_attribute("data-period") == "2026年11月"
    assert "进行中" not in heading.inner_text()
    main = page.inner_text("main")
    assert "本期尚未结束" not in main
    if viewport["width"] == 375:
        fits_the_phone(page, 375)
    shot(page, f"compliance-3rd-{viewport['width']}")
    # The running month, asked for, is labelled and fails nobody.
    page.goto(
        live_server.url
        + reverse("life:compliance", kwargs={"org_pk": world.street.pk})
        + "?period=month&year=2026&number=12"
    )
    assert "进行中" in page.locator("h2[data-period]").inner_text()
    assert "本期尚未结束" in page.inner_text("main")


MANAGEMENT = ["orgs:tree", "recruitment:board", "recruitment:due", "dashboard:home", "mobility:transfer-list"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["375", "1920"])
def test_a_member_sees_no_management_screen(chromium, live_server, world, viewport):
    page = phone_context(chromium, viewport).new_page()
    sign_in(page, live_server.url, "dangyuan")
    body = page.content()
    assert "我的管辖范围" not in page.inner_text("body")
    assert f'href="{reverse("members:mine")}"' in body and f'href="{reverse("dues:mine")}"' in body
    for name in [*MANAGEMENT, "api-docs"]:
        assert f'href="{reverse(name)}"' not in body, name  # no link to a management screen
    for name in MANAGEMENT:  # and the screens themselves refuse
        response = page.goto(live_server.url + reverse(name))
        assert response.status in (403, 404), (name, response.status)
    page.goto(live_server.url + reverse("members:mine"))
    assert re.search(r"/members/\d+/$", page.url) and "李四" in page.inner_text("main")
    shot(page, f"member-home-{viewport['width']}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["375", "1920"])
def test_the_county_board_total_equals_the_dashboard(chromium, live_server, world, viewport, monkeypatch):
    from qiangji.dashboard.rollups import engine
    from qiangji.recruitment.selectors import cases as board
    from qiangji.recruitment.tests.ui_factories import make_case

    monkeypatch.setattr(board, "BOARD_PAGE", 2)  # fewer cards than cases: the total must not be the cards
    for index in range(5):
        make_case(world.branch, name=f"申请人丁{index}", applied_on=D(2026, 1, 5 + index))
    make_case(world.branch2, step=4, name="积极分子戊", applied_on=D(2025, 3, 1))
    engine.rebuild()
    page = phone_context(chromium, viewport).new_page()
    sign_in(page, live_server.url, "xian")
    page.goto(live_server.url + reverse("dashboard:node", kwargs={"pk": world.county.pk}))
    figure = page.locator('.figure[data-code="dev_pipeline"] .num').inner_text()
    dashboard_total = int(re.sub(r"\D", "", figure))
    page.goto(live_server.url + reverse("recruitment:board") + f"?org={world.county.pk}")
    said = re.search(r"共 (\d+) 人在培养中", page.inner_text("main"))
    assert said and int(said.group(1)) == dashboard_total == 6
    shot(page, f"board-county-{viewport['width']}")
