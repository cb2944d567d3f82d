"""一屏掌控 in Debian's Chromium on a 375 px phone: sign in, the county's screen, drill down two levels by
clicking, open an exception list, back up through the breadcrumbs; and the wall screen on a large display.
Screenshots go to var/screenshots/dashboard-*.png for a human look."""

import re

import pytest

from qiangji.dashboard.tests.test_exceptions import troubles
from qiangji.testing.browser import BROWSER_MARKS, PHONE, fits_the_phone, phone_context, shot, sign_in

pytestmark = BROWSER_MARKS


@pytest.mark.django_db(transaction=True)
def test_drill_down_on_a_phone_and_back_through_the_breadcrumbs(chromium, live_server, world):
    from qiangji.dashboard.rollups.engine import rebuild

    troubles(world)
    rebuild()
    base = live_server.url
    page = phone_context(chromium, PHONE).new_page()
    sign_in(page, base, "xian", then="/dashboard/")
    page.wait_for_url(re.compile(rf"/dashboard/org/{world.county.pk}/$"))
    page.wait_for_selector("#trend-chart canvas")  # ECharts drew the trend from the local file
    assert "某县委" in page.inner_text("h1") and "完整度" in page.inner_text(".figures")
    fits_the_phone(page)
    shot(page, "dashboard-county-375")

    page.click(f"a.drill:text('{world.street.name}')")
    page.wait_for_url(re.compile(rf"/dashboard/org/{world.street.pk}/$"))
    page.click(f"a.drill:text('{world.community.name}')")
    page.wait_for_url(re.compile(rf"/dashboard/org/{world.community.pk}/$"))
    assert world.branch.name in page.inner_text(".children-table")
    fits_the_phone(page)

    page.click("a.exception[data-kind=dues_arrears_6m]")
    page.wait_for_url(re.compile(r"/exceptions/dues_arrears_6m/$"))
    assert "李四" in page.inner_text(".exception-table")
    fits_the_phone(page)
    shot(page, "dashboard-exceptions-375")

    page.click(f".breadcrumbs a:text('{world.county.name}')")
    page.wait_for_url(re.compile(rf"/dashboard/org/{world.county.pk}/$"))
    crumbs = page.inner_text(".breadcrumbs")
    assert world.city.name not in crumbs  # never above the user's own node


@pytest.mark.django_db(transaction=True)
def test_the_wall_screen_is_dark_and_big(chromium, live_server, world):
    from qiangji.dashboard.rollups.engine import rebuild

    troubles(world)
    rebuild()
    page = phone_context(chromium, {"width": 1920, "height": 1080}).new_page()
    sign_in(page, live_server.url, "sheng", then=f"/dashboard/org/{world.province.pk}/?wall=1")
    page.wait_for_selector("#trend-chart canvas")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.figure .num')).fontSize)")
    assert background == "rgb(11, 18, 32)" and size >= 40
    assert page.is_hidden(".topbar")
    shot(page, "dashboard-wall-1920")
    # What the 60 s timer does: fetch the fragment and swap the screen; the chart is drawn again.
    page.evaluate("document.getElementById('trend-chart').dataset.old = '1'")
    page.evaluate(
        "htmx.ajax('GET', document.getElementById('screen').getAttribute('hx-get'), "
        "{target: '#screen', swap: 'outerHTML'})"
    )
    page.wait_for_function("!document.getElementById('trend-chart').dataset.old")
    page.wait_for_selector("#trend-chart canvas")
    assert page.get_attribute("#screen", "hx-trigger") == "every 60s"
