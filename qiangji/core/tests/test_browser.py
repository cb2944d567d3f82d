"""The real page in Debian's Chromium at phone width (375 px): sign in, home counts, the nav menu.

Never downloads a browser: it drives /usr/bin/chromium (`apt-get install chromium fonts-noto-cjk`)
and skips when that is missing. Screenshots go to var/screenshots/ for a human look.
"""

import pytest

from qiangji.testing.browser import BROWSER_MARKS, SCREENSHOTS, phone_context, sign_in

pytestmark = BROWSER_MARKS


@pytest.fixture
def page(chromium):
    context = phone_context(chromium)
    yield context.new_page()
    context.close()


def _record_change(world):
    from django.db import transaction

    from qiangji.core import audit

    with transaction.atomic():
        audit.record(
            actor=world.users["zhibu"],
            action="members.member.updated",
            target=world.member,
            org=world.branch,
            before={"address": ""},
            after={"address": "幸福路1号"},
        )


@pytest.mark.django_db(transaction=True)
def test_branch_secretary_on_a_phone(page, live_server, world):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/login/")
    page.screenshot(path=str(SCREENSHOTS / "login-375.png"), full_page=True)
    sign_in(page, live_server.url)

    assert page.locator("h1").first.inner_text() == "我的管辖范围"
    counts = page.locator(".counts .num").all_inner_texts()
    assert counts[2] == "4"  # 李四, 王五, 赵六, 单雄信 on the roll in the branch
    # Nothing overflows the phone's width: tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SCREENSHOTS / "home-375.png"), full_page=True)

    _record_change(world)
    # The nav is folded away on a phone and opens without JavaScript frameworks.
    audit_link = page.locator(".mainnav a", has_text="审计日志")
    assert not audit_link.is_visible()
    page.click("label.nav-button")
    assert audit_link.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "menu-375.png"), full_page=True)
    audit_link.click()
    page.wait_for_url(f"{live_server.url}/audit/")
    assert page.locator("h1").first.inner_text() == "审计日志"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert "修改党员档案" in page.locator("table.table").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "audit-375.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/")
    page.screenshot(path=str(SCREENSHOTS / "home-1280.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_language_switch_in_the_browser(page, live_server, world):
    sign_in(page, live_server.url, "xian")
    page.click(".langswitch button")
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text() == "My scope"
    page.click(".langswitch button")
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text() == "我的管辖范围"
