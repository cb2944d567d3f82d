"""Recruitment pages in Chromium at 375 px: board, case page and a step form fit the phone's width."""

import datetime
import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt-get install chromium)"),
]


@pytest.fixture
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
        yield context.new_page()
        context.close()
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_phone_width(page, live_server):
    from qiangji.core.testing import build_world
    from qiangji.recruitment.tests.ui_factories import make_case

    world = build_world()
    today = datetime.date.today()
    case = make_case(world.branch, name="王小明", applied_on=today - datetime.timedelta(days=40))
    make_case(world.branch, name="李预备", step=16, admitted_on=today - datetime.timedelta(days=100),
              probation_ends_on=today + datetime.timedelta(days=265))
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "zhibu")
    page.fill("input[name=password]", "pw-test-123456")
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in (("board", "/recruitment/"), ("case", f"/recruitment/cases/{case.pk}/"),
                       ("step", f"/recruitment/cases/{case.pk}/step/"), ("due", "/recruitment/due/")):
        page.goto(live_server.url + path)
        page.screenshot(path=str(SCREENSHOTS / f"recruitment-{name}-375.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 380, f"{path} is {width}px wide at 375px"
        assert "王小明" in page.content()
