"""An English page with no Chinese outside data (issue #12, build 11), in Debian's Chromium.

The language is chosen with the switch (the language cookie; Chinese stays the default whatever the browser
says). The shell, the navigation and the notification centre then read in English: the only Chinese left is
the switch's own "中文" (a language named in its own script) and data (organisation and person names).
"""

import re

import pytest

from qiangji.testing.browser import BROWSER_MARKS, shot, sign_in

pytestmark = BROWSER_MARKS
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def chinese_outside_data(text: str, data: list[str]) -> list[str]:
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return sorted(set(CJK.findall(text)) - {"中文"})


@pytest.mark.django_db(transaction=True)
def test_notification_centre_in_english(chromium, live_server, world):
    from django.conf import settings

    from qiangji.core.models import Notification

    Notification.objects.create(recipient=world.users["xian"], kind="digest", title="本周待办")  # data
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="en-US")
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page = context.new_page()
    sign_in(page, live_server.url, "xian", then="/notifications/")
    data = ["本周待办", "某县委", "某市委", "某省委", "城关街道党工委", "幸福社区党委", "xian"]
    text = page.inner_text("body")
    assert "Notifications" in text and "Mark all as read" in text
    assert chinese_outside_data(text, data) == []
    shot(page, "english-notifications-1920")
    page.goto(f"{live_server.url}/notifications/?unread=1")
    assert chinese_outside_data(page.inner_text("body"), data) == []
    context.close()


def test_the_check_sees_untranslated_text():
    assert chinese_outside_data("Notifications 通知 中文 某县委", ["某县委"]) == ["通知"]
