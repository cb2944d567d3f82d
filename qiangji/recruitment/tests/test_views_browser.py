"""Recruitment pages in Chromium at 375 px: board, case page and a step form fit the phone's width."""

import datetime

import pytest

from qiangji.core import dates
from qiangji.testing.browser import BROWSER_MARKS, SCREENSHOTS, phone_context

pytestmark = BROWSER_MARKS


@pytest.fixture
def page(chromium):
    context = phone_context(chromium)
    yield context.new_page()
    context.close()


@pytest.mark.django_db(transaction=True)
def test_phone_width(page, live_server):
    from qiangji.recruitment.tests.ui_factories import make_case
    from qiangji.testing import build_world

    world = build_world()
    today = dates.today()
    case = make_case(world.branch, name="王小明", applied_on=today - datetime.timedelta(days=40))
    make_case(
        world.branch,
        name="李预备",
        step=16,
        admitted_on=today - datetime.timedelta(days=100),
        probation_ends_on=today + datetime.timedelta(days=265),
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "zhibu")
    page.fill("input[name=password]", "pw-test-123456")
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in (
        ("board", "/recruitment/"),
        ("case", f"/recruitment/cases/{case.pk}/"),
        ("step", f"/recruitment/cases/{case.pk}/step/"),
        ("due", "/recruitment/due/"),
    ):
        page.goto(live_server.url + path)
        page.screenshot(path=str(SCREENSHOTS / f"recruitment-{name}-375.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 380, f"{path} is {width}px wide at 375px"
        assert "王小明" in page.content()
