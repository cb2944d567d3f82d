"""QR check-in: the code on the meeting page, the phone page it opens, idempotence, guests and refusals."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from qiangji.life import services
from qiangji.life.models import Attendance, CheckInCode
from qiangji.life.tests.test_views_common import TODAY, text, theme_day
from qiangji.life.tests.test_views_common import frozen as _frozen  # noqa: F401
from qiangji.life.tests.test_views_common import media as _media  # noqa: F401
from qiangji.testing import add_member, add_user

pytestmark = pytest.mark.django_db


def code_for(world, meeting, minutes=None):
    return services.issue_checkin_code(actor=world.users["zhibu"], meeting=meeting, minutes=minutes)


def checkin_url(code):
    return reverse("life:checkin", kwargs={"token": code.token})


class TestCode:
    def test_the_meeting_page_shows_an_inline_svg_qr_with_the_checkin_url(self, world, client_as):
        meeting = theme_day(world)
        client = client_as(world.users["zhibu"])
        page = text(client.get(reverse("life:meeting-detail", kwargs={"pk": meeting.pk})))
        assert "生成签到二维码" in page and 'class="segno"' not in page
        response = client.post(
            reverse("life:checkin-code", kwargs={"pk": meeting.pk}), HTTP_HX_REQUEST="true"
        )
        code = CheckInCode.objects.get()
        body = text(response)
        assert (
            "<svg" in body and 'class="segno"' in body and checkin_url(code) in body and "<html" not in body
        )
        assert "还剩约 180 分钟" in body

    def test_refresh_issues_a_new_code_and_bad_minutes_are_refused(self, world, client_as):
        meeting = theme_day(world)
        client = client_as(world.users["zhibu"])
        url = reverse("life:checkin-code", kwargs={"pk": meeting.pk})
        client.post(url)
        client.post(url, {"minutes": "30"})
        assert CheckInCode.objects.count() == 2
        response = client.post(url, {"minutes": "5000"})
        assert (
            response.status_code == 302 and CheckInCode.objects.count() == 3
        )  # bad value → default lifetime

    def test_the_card_polls_itself_and_shows_the_expiry(self, world, client_as):
        meeting = theme_day(world)
        with freeze_time("2026-03-20 09:00:00+08:00"):
            code_for(world, meeting, minutes=30)
        client = client_as(world.users["zhibu"])
        url = reverse("life:checkin-code", kwargs={"pk": meeting.pk})
        with freeze_time("2026-03-20 09:20:00+08:00"):
            assert "还剩约 10 分钟" in text(client.get(url))
        with freeze_time("2026-03-20 09:30:00+08:00"):
            card = text(client.get(url))
        assert 'hx-trigger="every 60s"' in card and "尚无有效的签到码" in card and "生成签到二维码" in card
        assert client_as(world.users["dangyuan"]).get(url).status_code == 404

    def test_a_member_cannot_issue_codes(self, world, client_as):
        meeting = theme_day(world)
        response = client_as(world.users["dangyuan"]).post(
            reverse("life:checkin-code", kwargs={"pk": meeting.pk})
        )
        assert response.status_code == 404 and not CheckInCode.objects.exists()


class TestCheckIn:
    def test_anonymous_goes_to_login_and_back(self, world, client):
        code = code_for(world, theme_day(world))
        response = client.get(checkin_url(code))
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        assert checkin_url(code) in response["Location"].replace("%2F", "/")

    def test_signs_in_once_then_already(self, world, client_as):
        code = code_for(world, theme_day(world, planned_on=TODAY))
        client = client_as(world.users["dangyuan"])
        page = client.get(checkin_url(code))
        assert page.status_code == 200 and "确认签到" in text(page)
        assert not Attendance.objects.exists()  # GET never checks in
        first = client.post(checkin_url(code))
        assert first.status_code == 200 and "签到成功" in text(first)
        second = client.post(checkin_url(code))
        assert "已签到" in text(second) and Attendance.objects.count() == 1
        again = client.get(checkin_url(code))
        assert "已签到" in text(again)
        row = Attendance.objects.get()
        assert row.member == world.member and row.method == "qr" and not row.is_guest

    def test_an_expired_code_is_refused(self, world, client_as):
        with freeze_time("2026-03-20 09:00:00+08:00"):
            code = code_for(world, theme_day(world), minutes=30)
        with freeze_time("2026-03-20 09:29:59+08:00"):
            assert "确认签到" in text(client_as(world.users["dangyuan"]).get(checkin_url(code)))
        with freeze_time("2026-03-20 09:30:00+08:00"):
            page = client_as(world.users["dangyuan"]).get(checkin_url(code))
            response = client_as(world.users["dangyuan"]).post(checkin_url(code))
        assert page.status_code == 400 and services.EXPIRED in text(page) and "确认签到" not in text(page)
        assert response.status_code == 400 and services.EXPIRED in text(response)
        assert not Attendance.objects.exists()

    def test_a_wrong_token(self, world, client_as):
        client = client_as(world.users["dangyuan"])
        assert client.get(reverse("life:checkin", kwargs={"token": "nope"})).status_code == 404
        response = client.post(reverse("life:checkin", kwargs={"token": "nope"}))
        assert (
            response.status_code == 400 and "签到码无效" in text(response) and not Attendance.objects.exists()
        )

    def test_a_member_of_another_branch_is_a_guest(self, world, client_as):
        code = code_for(world, theme_day(world, planned_on=TODAY))
        user = add_user("guest-member")
        guest = add_member(world.branch2, "列席党员", user=user)
        response = client_as(user).post(checkin_url(code))
        assert "签到成功" in text(response) and "已登记为列席" in text(response)
        row = Attendance.objects.get()
        assert row.member == guest and row.is_guest and row.home_org_path == world.branch2.path

    def test_an_account_without_a_member_record_is_refused(self, world, client_as):
        code = code_for(world, theme_day(world, planned_on=TODAY))
        response = client_as(world.users["xian"]).post(checkin_url(code))
        assert response.status_code == 400 and "没有关联党员档案" in text(response)
        assert not Attendance.objects.exists()

    def test_the_secretary_sees_the_scan_on_the_roster(self, world, client_as):
        meeting = theme_day(world, planned_on=datetime.date(2026, 3, 20))
        code = code_for(world, meeting)
        client_as(world.users["dangyuan"]).post(checkin_url(code))
        body = text(
            client_as(world.users["zhibu"]).get(reverse("life:attendance", kwargs={"pk": meeting.pk}))
        )
        assert "已扫码" in body
