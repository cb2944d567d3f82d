"""The whole story in Debian's Chromium: a committee pushes a theme; a branch secretary on a 375×800 phone
schedules and records the theme day with attendance; a member checks in through the QR URL; the committee
sees compliance.  Screenshots go to var/screenshots/life-*.png for a human look.

Never downloads a browser: it drives /usr/bin/chromium and skips when that is missing.
"""

import re

import pytest
from django.urls import reverse

from qiangji.testing.browser import BROWSER_MARKS, PHONE, fits_the_phone, phone_context, sign_in
from qiangji.testing.browser import shot as shared_shot

pytestmark = BROWSER_MARKS


@pytest.fixture
def browser(chromium):
    return chromium


def new_page(browser, viewport=PHONE):
    return phone_context(browser, viewport).new_page()


def shot(page, name):
    return shared_shot(page, f"life-{name}")


# A transactional test (the live server needs one): qiangji/conftest.py puts the seeded rule tables
# back after an earlier test's flush.
@pytest.mark.django_db(transaction=True)
def test_theme_day_from_push_to_compliance(browser, live_server, world):
    from qiangji.life import services

    base, today = live_server.url, services.today()
    # 1. The street committee pushes this month's theme (desktop).
    committee = new_page(browser, {"width": 1280, "height": 900})
    sign_in(committee, base, "jiedao")
    committee.goto(base + reverse("life:theme-push", kwargs={"org_pk": world.street.pk}))
    committee.fill("input[name=title]", "学习贯彻党的二十大精神")
    committee.fill("textarea[name=required_items]", "集中学习一小时\n重温入党誓词")
    committee.click("button.primary")
    committee.wait_for_url(re.compile(r"/life/themes/\d+/$"))
    assert "重温入党誓词" in committee.inner_text("main")

    # 2. The branch secretary, on a phone, sees it in the month's to-do and schedules the theme day.
    phone = new_page(browser)
    sign_in(phone, base, "zhibu")
    phone.goto(base + reverse("life:home"))
    assert "学习贯彻党的二十大精神" in phone.inner_text("#todo")
    fits_the_phone(phone)
    shot(phone, "calendar-375")
    phone.click("text=安排会议")
    phone.select_option("select[name=meeting_type]", label="主题党日")
    phone.fill("input[name=planned_on]", today.isoformat())
    phone.fill("input[name=place]", "党员活动室")
    phone.click("button.primary")
    phone.wait_for_url(re.compile(r"/life/meetings/\d+/$"))
    meeting_url = phone.url
    phone.click("#qr button")  # HTMX swaps in the QR card
    phone.wait_for_selector("#qr svg.segno")
    checkin_url = phone.inner_text("#qr .token-url").strip()
    fits_the_phone(phone)
    shot(phone, "meeting-qr-375")

    # 3. A member scans the QR: login first, then back to the check-in page, one tap.
    member = new_page(browser)
    member.goto(checkin_url)
    assert "/login/" in member.url
    member.fill("input[name=username]", "dangyuan")
    member.fill("input[name=password]", "pw-test-123456")
    member.click("button.primary")
    member.wait_for_url(checkin_url)
    member.click("text=确认签到")
    member.wait_for_selector(".checkin-result h1")
    assert member.inner_text(".checkin-result h1") == "签到成功"
    fits_the_phone(member)
    shot(member, "checkin-375")
    member.goto(checkin_url)
    assert member.inner_text(".checkin-result h1") == "已签到"

    # 4. The secretary marks the others by hand (one tap each), records the meeting and the checklist.
    phone.goto(meeting_url + "attendance/")
    assert "已扫码" in phone.inner_text(".roster")
    for name, state in (("王五", "请假"), ("赵六", "出席"), ("单雄信", "缺席")):
        row = phone.locator(".roster > li", has_text=name)
        row.locator("label", has_text=state).click()
        row = phone.locator(".roster > li", has_text=name)
        row.locator(".saved").wait_for()
    fits_the_phone(phone)
    shot(phone, "attendance-375")
    phone.goto(meeting_url + "record/")
    phone.fill("input[name=held_on]", today.isoformat())
    phone.fill("input[name=host]", "李四")
    phone.fill("textarea[name=minutes]", "集中学习党的二十大报告，重温入党誓词。")
    fits_the_phone(phone)
    shot(phone, "record-375")
    phone.click(".sticky-actions button")
    phone.wait_for_url(meeting_url)
    for form in phone.locator("#checklist form").all():
        form.locator("input[name$=evidence]").fill("已完成")
        form.locator("button").click()
        phone.wait_for_load_state()
    phone.click("text=报送上级审核")
    phone.wait_for_load_state()
    assert "已报送" in phone.inner_text("h1")
    fits_the_phone(phone)
    shot(phone, "meeting-375")

    # 5. The committee reviews and sees compliance for its subtree, with the chart.
    committee.goto(meeting_url)
    committee.click("text=审核通过")
    committee.wait_for_load_state()
    assert "已审核" in committee.inner_text("h1")
    committee.goto(base + reverse("life:compliance", kwargs={"org_pk": world.street.pk}))
    table = committee.inner_text("table.compliance-table")
    assert world.branch.name in table and world.branch2.name in table
    committee.wait_for_selector("#compliance-chart canvas")
    shot(committee, "compliance-1280")
    committee.goto(base + reverse("life:calendar", kwargs={"org_pk": world.branch.pk}))
    assert committee.locator(".calendar .day.today").is_visible()  # the month grid on a desk
    shot(committee, "calendar-1280")
    phone.goto(base + reverse("life:compliance", kwargs={"org_pk": world.branch.pk}))
    fits_the_phone(phone)
    shot(phone, "compliance-375")
