"""Shared pieces of the Playwright browser tests: Debian's Chromium, never a downloaded browser.

Test modules set `pytestmark = BROWSER_MARKS` and use the `chromium` fixture (qiangji/conftest.py);
the tests skip with a reason where /usr/bin/chromium is missing (`apt-get install chromium`).
"""

import contextlib
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread; the fixtures' ORM calls are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 375, "height": 800}

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt-get install chromium)"
    ),
]


@contextlib.contextmanager
def launch_chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def phone_context(browser, viewport=PHONE):
    return browser.new_context(viewport=viewport, locale="zh-CN")


def sign_in(page, base_url, username="zhibu", then=""):
    page.goto(f"{base_url}/login/" + (f"?next={then}" if then else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-test-123456")
    page.click("button.primary")
    page.wait_for_load_state()


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def fits_the_phone(page, width: int = PHONE["width"]) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
