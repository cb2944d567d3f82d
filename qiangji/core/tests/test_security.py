"""Level-3 controls of the web layer (docs/security.md): password policy and expiry, idle timeout, one
session per account, TOTP for department roles, CSP and headers, 503 on a database outage, the schema
for signed-in users only."""

import datetime
import json
import time
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qiangji.core import audit, security

pytestmark = pytest.mark.django_db
PASSWORD = "pw-test-123456"


class TestPasswordPolicy:
    @pytest.mark.parametrize("password", ["abcdefghijk", "abcdefgh123", "ABCDEFGH123"])
    def test_two_classes_are_refused(self, password):
        with pytest.raises(ValidationError, match="至少 3 类"):
            security.ComplexityValidator().validate(password)

    @pytest.mark.parametrize("password", ["abcdefgh12!", "Abcdefgh123", "ABC-def-ghij"])
    def test_three_classes_pass(self, password):
        security.ComplexityValidator().validate(password)

    def test_the_validator_is_configured(self):
        from django.contrib.auth.password_validation import validate_password

        with pytest.raises(ValidationError):
            validate_password("qiangjiqiangji2")

    def test_an_expired_password_sends_to_the_password_page_until_changed(self, world, client, settings):
        settings.QIANGJI_PASSWORD_MAX_AGE_DAYS = 90
        user = world.users["zhibu"]
        type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - datetime.timedelta(days=91))
        user.refresh_from_db()
        client.force_login(user)
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"] == reverse("password-change")
        assert client.get(reverse("password-change")).status_code == 200  # the page itself is open
        with transaction.atomic():
            audit.record(actor=user, action="core.password.changed", target=user)  # as the service does
        assert client.get(reverse("home")).status_code == 200

    def test_the_day_before_expiry_is_fine_and_zero_turns_it_off(self, world, client, settings):
        settings.QIANGJI_PASSWORD_MAX_AGE_DAYS = 90
        user = world.users["zhibu"]
        type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - datetime.timedelta(days=89))
        user.refresh_from_db()
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200
        type(user).objects.filter(pk=user.pk).update(
            date_joined=timezone.now() - datetime.timedelta(days=400)
        )
        settings.QIANGJI_PASSWORD_MAX_AGE_DAYS = 0
        other = Client()
        other.force_login(user)
        assert other.get(reverse("home")).status_code == 200


class TestSessions:
    def test_idle_timeout_signs_out(self, world, client, settings):
        settings.QIANGJI_SESSION_IDLE_MINUTES = 30
        client.force_login(world.users["zhibu"])
        assert client.get(reverse("home")).status_code == 200
        session = client.session
        session["qiangji_last_seen"] = time.time() - 31 * 60
        session.save()
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert client.get(reverse("home")).status_code == 302  # signed out for good

    def test_29_minutes_idle_is_fine(self, world, client, settings):
        settings.QIANGJI_SESSION_IDLE_MINUTES = 30
        client.force_login(world.users["zhibu"])
        client.get(reverse("home"))
        session = client.session
        session["qiangji_last_seen"] = time.time() - 29 * 60
        session.save()
        assert client.get(reverse("home")).status_code == 200

    def test_single_session_signs_out_the_older_one(self, world, settings):
        settings.QIANGJI_SINGLE_SESSION = True
        first, second = Client(), Client()
        first.force_login(world.users["zhibu"])
        assert first.get(reverse("home")).status_code == 200
        second.force_login(world.users["zhibu"])
        assert second.get(reverse("home")).status_code == 200
        response = first.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_without_the_setting_two_sessions_live(self, world, settings):
        settings.QIANGJI_SINGLE_SESSION = False
        first, second = Client(), Client()
        first.force_login(world.users["zhibu"])
        second.force_login(world.users["zhibu"])
        assert (
            first.get(reverse("home")).status_code == 200 and second.get(reverse("home")).status_code == 200
        )


class TestSecondFactor:
    def test_department_roles_need_totp_when_on(self, world, client, settings):
        from django_otp.oath import TOTP
        from django_otp.plugins.otp_totp.models import TOTPDevice

        settings.QIANGJI_OTP_REQUIRED = True
        client.force_login(world.users["xian"])
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("otp-verify"))
        setup = client.get(reverse("otp-verify"), follow=True)
        assert "设置动态验证码" in setup.content.decode() and "data:image/svg+xml" in setup.content.decode()
        device = TOTPDevice.objects.get(user=world.users["xian"])
        assert "不正确" in client.post(reverse("otp-setup"), {"token": "000000"}).content.decode()
        device.refresh_from_db()
        device.throttle_reset()  # the wrong code above starts django-otp's back-off (1 s)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        response = client.post(reverse("otp-setup"), {"token": str(totp.token()).zfill(6), "next": "/"})
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200
        # a new sign-in asks for the code again
        again = Client()
        again.force_login(world.users["xian"])
        assert again.get(reverse("home"))["Location"].startswith(reverse("otp-verify"))

    @pytest.mark.parametrize("role", ["jiedao", "zhibu", "dangyuan"])
    def test_other_roles_sign_in_without(self, world, client, settings, role):
        settings.QIANGJI_OTP_REQUIRED = True
        client.force_login(world.users[role])
        assert client.get(reverse("home")).status_code == 200

    def test_off_by_default_in_the_demo_settings(self, world, client):
        client.force_login(world.users["xian"])
        assert client.get(reverse("home")).status_code == 200


class TestHeaders:
    def test_csp_with_a_fresh_nonce_and_secure_headers(self, world, client):
        client.force_login(world.users["zhibu"])
        first, second = client.get(reverse("home")), client.get(reverse("home"))
        csp = first["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "'nonce-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert csp != second["Content-Security-Policy"]  # a nonce per response
        assert first["X-Frame-Options"] == "DENY" and first["X-Content-Type-Options"] == "nosniff"
        assert first["Referrer-Policy"] == "same-origin" and "camera=(self)" in first["Permissions-Policy"]

    def test_the_inline_script_of_the_base_page_is_allowed_by_hash(self, world, client):
        import re

        client.force_login(world.users["zhibu"])
        response = client.get(reverse("home"))
        inline = re.findall(
            r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>",
            response.content.decode(),
            re.S,
        )
        csp = response["Content-Security-Policy"]
        for script in inline:
            assert security._sha256(script) in csp or "nonce=" in response.content.decode(), script

    def test_uploaded_files_never_run_as_pages(self, client, settings):
        response = client.get(settings.MEDIA_URL + "x.html")
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"

    def test_the_schema_needs_sign_in(self, world, client):
        assert client.get("/api/schema/").status_code in (401, 403)
        client.force_login(world.users["zhibu"])
        assert client.get("/api/schema/", {"format": "json"}).status_code == 200


class TestDatabaseOutage:
    def test_a_view_failing_on_the_database_answers_503_in_chinese(self, world, client):
        client.force_login(world.users["zhibu"])
        with mock.patch(
            "qiangji.core.views.HomeView.get", side_effect=OperationalError("server closed the connection")
        ):
            response = client.get(reverse("home"))
        assert response.status_code == 503 and "数据库暂时无法连接" in response.content.decode()
        assert response["Retry-After"] == "10"
        assert client.get(reverse("home")).status_code == 200  # recovers without a restart

    def test_the_api_answers_503_json(self, world, client):
        client.force_login(world.users["zhibu"])
        with mock.patch("qiangji.members.api.views.MemberViewSet.list", side_effect=OperationalError("gone")):
            response = client.get("/api/v1/members/")
        assert response.status_code == 503
        body = json.loads(response.content)
        assert body["code"] == "service_unavailable" and body["fields"] == {} and "数据库" in body["detail"]

    def test_a_middleware_failing_on_the_database_answers_503(self, world, client, settings):
        client.force_login(world.users["zhibu"])
        session = client.session
        session.pop("qiangji_password_checked", None)  # checked at sign-in; due again an hour later
        session.save()
        with mock.patch("qiangji.core.security.password_expired", side_effect=OperationalError("gone")):
            response = client.get(reverse("home"))
        assert response.status_code == 503


class TestDeployCheck:
    def test_warns_until_the_level3_settings_are_on(self, settings):
        from qiangji.core.security import check_deploy

        settings.QIANGJI_OTP_REQUIRED = False
        assert {"qiangji.W101", "qiangji.W103"} <= {w.id for w in check_deploy()}
        settings.QIANGJI_OTP_REQUIRED = True
        settings.SESSION_COOKIE_SECURE = True
        settings.QIANGJI_FIELD_CIPHER, settings.QIANGJI_BLIND_INDEX = "sm4-gcm", "hmac-sm3"
        settings.QIANGJI_BACKUP_KEY = "another"
        assert check_deploy() == []
