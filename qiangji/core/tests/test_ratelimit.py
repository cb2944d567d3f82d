"""Rate limits (qiangji.core.ratelimit): the counter, its message, and the API's 429 in the error shape."""

import json
import threading
from unittest import mock

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from qiangji.core import ratelimit
from qiangji.core.ratelimit import RateLimited, check, parse_rate

PASSWORD = "pw-test-123456"


class TestParseRate:
    @pytest.mark.parametrize(
        ("rate", "parsed"),
        [("10/m", (10, 60)), ("5/30s", (5, 30)), ("100/h", (100, 3600)), ("1/day", (1, 86400))],
    )
    def test_rates(self, rate, parsed):
        assert parse_rate(rate) == parsed

    @pytest.mark.parametrize("rate", ["", "10", "x/m", "10/fortnight", "0/m", "-1/m"])
    def test_bad_rates(self, rate):
        with pytest.raises(ValueError):
            parse_rate(rate)


class TestCheck:
    def test_the_limit_and_one_more(self):
        for _ in range(3):
            check("t", "alice", rate="3/m")
        with pytest.raises(RateLimited) as caught:
            check("t", "alice", rate="3/m")
        assert 1 <= caught.value.retry_after <= 60
        assert caught.value.message == f"操作过于频繁，请 {caught.value.retry_after} 秒后再试"

    def test_keys_and_scopes_are_counted_apart(self):
        check("t", "alice", rate="1/m")
        check("t", "bob", rate="1/m")
        check("other", "alice", rate="1/m")
        with pytest.raises(RateLimited):
            check("t", "alice", rate="1/m")

    def test_a_new_window_starts_again(self):
        with mock.patch("qiangji.core.ratelimit.time.time", return_value=1_000_000.0):
            check("t", "k", rate="1/m")
            with pytest.raises(RateLimited) as caught:
                check("t", "k", rate="1/m")
            assert caught.value.retry_after == 60 - (1_000_000 % 60)
        with mock.patch("qiangji.core.ratelimit.time.time", return_value=1_000_060.0):
            check("t", "k", rate="1/m")

    def test_counting_is_atomic_under_threads(self):
        refused = []

        def attempt():
            try:
                check("t", "shared", rate="20/m")
            except RateLimited:
                refused.append(1)

        threads = [threading.Thread(target=attempt) for _ in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(refused) == 30

    def test_a_cache_outage_does_not_refuse(self):
        with mock.patch.object(cache, "add", side_effect=ConnectionError("redis down")):
            for _ in range(5):
                check("t", "k", rate="1/m")

    def test_reset(self):
        check("t", "k", rate="1/m")
        ratelimit.reset("t", "k", rate="1/m")
        check("t", "k", rate="1/m")


@pytest.mark.django_db
class TestApiThrottles:
    def test_anonymous_requests_are_limited_per_ip_with_the_error_shape(self, world, settings):
        settings.QIANGJI_RATE_LIMITS = {"anon": "2/m", "write": "100/m"}
        client = APIClient()
        body = {"username": "nobody-here", "password": "wrong-password"}
        for _ in range(2):
            assert client.post("/api/v1/auth/token/", body, format="json").status_code == 400
        response = client.post("/api/v1/auth/token/", body, format="json")
        assert response.status_code == 429
        data = response.json()
        assert data["code"] == "throttled" and data["fields"] == {}
        assert data["detail"].startswith("操作过于频繁，请 ") and data["detail"].endswith(" 秒后再试")
        assert 1 <= int(response["Retry-After"]) <= 60
        # another address has its own budget
        other = client.post("/api/v1/auth/token/", body, format="json", REMOTE_ADDR="10.0.0.9")
        assert other.status_code == 400

    def test_writes_are_limited_per_user_reads_are_not(self, world, settings):
        settings.QIANGJI_RATE_LIMITS = {"write": "2/m", "anon": "100/m"}
        client = APIClient()
        client.force_authenticate(world.users["zhibu"])
        url = f"/api/v1/members/{world.member.pk}/"
        assert client.patch(url, {}, format="json").status_code == 200
        assert client.patch(url, {}, format="json").status_code == 200
        refused = client.patch(url, {"name": "改名"}, format="json")
        assert refused.status_code == 429 and refused.json()["code"] == "throttled"
        world.member.refresh_from_db()
        assert world.member.name != "改名"  # refused before the view ran: nothing written
        for _ in range(5):
            assert client.get(url).status_code == 200
        # another user writes on
        other = APIClient()
        other.force_authenticate(world.users["xian"])
        assert other.patch(url, {}, format="json").status_code == 200

    def test_a_scope_without_a_rate_is_not_limited(self, world, settings):
        settings.QIANGJI_RATE_LIMITS = {"write": "", "anon": ""}
        client = APIClient()
        client.force_authenticate(world.users["zhibu"])
        url = f"/api/v1/members/{world.member.pk}/"
        for _ in range(5):
            assert client.patch(url, {}, format="json").status_code == 200

    def test_every_write_operation_documents_429(self):
        from drf_spectacular.generators import SchemaGenerator

        schema = SchemaGenerator().get_schema(request=None, public=True)
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                if method in ("post", "put", "patch", "delete"):
                    assert "429" in operation["responses"], f"{method.upper()} {path}"


class TestLimitView:
    def test_a_django_view_answers_429_in_chinese(self, rf):
        from django.contrib.auth.models import AnonymousUser
        from django.http import HttpResponse

        @ratelimit.limit_view("demo", rate="1/m")
        def view(request):
            return HttpResponse("ok")

        request = rf.post("/somewhere/")
        request.user = AnonymousUser()
        assert view(request).status_code == 200
        refused = view(request)
        assert refused.status_code == 429 and "操作过于频繁" in refused.content.decode()
        api_request = rf.post("/api/v1/x/")
        api_request.user = AnonymousUser()
        api_refused = view(api_request)  # same address, same budget: JSON under /api/
        assert api_refused.status_code == 429
        assert api_refused["Content-Type"].startswith("application/json")
        assert json.loads(api_refused.content)["code"] == "throttled"
