"""The issue's "done means" in a real browser (Debian's Chromium) on a phone and on a desktop: a resident
submits a request on the phone (SMS code from the console backend), it climbs twice because the limits
lapse (the sweep is run with a later `at`), a department claims and answers it, the resident confirms and
rates it from the link, and every tier sees the whole history."""

import datetime

import pytest
from django.utils import timezone

from qiangji.core import sms
from qiangji.testing.browser import BROWSER_MARKS, fits_the_phone, shot, sign_in

pytestmark = BROWSER_MARKS
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1920, "height": 1080}}
PHONE = "13912340000"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_resident_request_climbs_twice_department_solves_resident_rates(
    chromium, live_server, desk, world, screen
):
    from qiangji.service import services
    from qiangji.service.models import Request

    viewport = VIEWPORTS[screen]
    context = chromium.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    url = live_server.url

    # 1. the resident, no account
    page.goto(f"{url}/service/new/")
    page.select_option("select[name=audience]", "resident")
    page.select_option("select[name=category]", "emergency")
    page.select_option("select[name=place]", str(desk["place"].pk))
    page.fill("textarea[name=description]", "楼道里有烟味<script>alert(1)</script>")
    page.fill("input[name=phone]", PHONE)
    page.click("button[name=send_code]")
    page.wait_for_selector("text=验证码已发送")
    code = sms.ConsoleBackend.outbox[-1][1].split("验证码是 ")[1][:6]
    page.fill("input[name=code]", code)
    page.click("button.primary")
    page.wait_for_selector("#request-number")
    number = page.locator("#request-number").inner_text().strip()
    if screen == "phone":
        fits_the_phone(page, viewport["width"])
    shot(page, f"service-submitted-{screen}")
    req = Request.objects.get(number=number)
    assert req.tier == "compound" and req.description.endswith("<script>alert(1)</script>")

    # 2. two lapsed limits: the sweep at +2h01 and +4h02 climbs it twice
    start = timezone.now()
    assert services.escalate_lapsed(at=start + datetime.timedelta(hours=2, minutes=1)) == 1
    assert services.escalate_lapsed(at=start + datetime.timedelta(hours=4, minutes=2)) == 1
    req.refresh_from_db()
    assert req.tier == "street" and req.escalations == 2
    services.whistle(actor=world.users["jiedao"], request=req, reason="需住建部门处理")  # street → district

    # 3. the department claims it from the pool and answers
    sign_in(page, url, "zhujian")
    page.goto(f"{url}/service/requests/{req.pk}/claim/")
    page.select_option("select[name=department]", str(desk["dept"].pk))
    page.click("button.primary")
    page.wait_for_url(f"{url}/service/requests/{req.pk}/")
    page.goto(f"{url}/service/requests/{req.pk}/answer/")
    page.fill("textarea[name=text]", "已排查燃气管道并修复")
    page.click("button.primary")
    page.wait_for_url(f"{url}/service/requests/{req.pk}/")
    assert "已答复" in page.content()
    page.context.clear_cookies()

    # 4. the resident confirms from the link in the SMS
    link = next(text for _phone, text in reversed(sms.ConsoleBackend.outbox) if "/service/t/" in text)
    path = link[link.index("/service/t/") :].strip()
    page.goto(url + path)
    page.check("input[name=outcome][value=solved]")
    page.check("input[name=rating][value=satisfied]")
    page.fill("textarea[name=comment]", "很快")
    page.click("#confirm-form button.primary")
    page.wait_for_selector("text=感谢您的评价")
    body = page.content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    if screen == "phone":
        fits_the_phone(page, viewport["width"])
    shot(page, f"service-track-{screen}")
    req.refresh_from_db()
    assert req.status == "closed" and req.outcome == "solved" and req.rating == "satisfied"

    # 5. every tier sees the whole history
    for who in ("zhibu", "shequ", "jiedao", "zhujian", "xian"):
        page.context.clear_cookies()
        sign_in(page, url, who)
        page.goto(f"{url}/service/requests/{req.pk}/")
        text = page.locator("main").inner_text()
        assert "自动上报至幸福社区党委" in text, who
        assert "自动上报至城关街道党工委" in text, who
        assert "需住建部门处理" in text and "县住建局党组认领" in text and "已解决，满意" in text, who
        if screen == "phone":
            fits_the_phone(page, viewport["width"])
    shot(page, f"service-history-{screen}")
    context.close()
