"""The API's error contract (issue #13): every error answer under /api/ is JSON in the one shape
{code, detail, fields}, never Django's HTML page; limit/offset and integer filters are bounded and
answer 400 with the parameter named, never 500.

The 422/429/500 cases go through views registered only in this module's urlconf (the `urls` marker
below): no such URL exists in production.
"""

import logging

import pytest
from django.http import HttpResponse
from django.urls import get_resolver, include, path, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework import exceptions
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from qiangji.core.filters import INT64_MAX, INT64_MIN, FilterBackend, guard
from qiangji.core.pagination import MAX_LIMIT, MAX_OFFSET
from qiangji.testing import add_member

pytestmark = [pytest.mark.django_db, pytest.mark.urls("qiangji.core.tests.test_api_contract")]
PASSWORD = "pw-test-123456"
HUGE = str(INT64_MAX + 1)  # 9223372036854775808
TINY = str(INT64_MIN - 1)


class _Unprocessable(exceptions.APIException):
    status_code = 422
    default_code = "rule_violation"
    default_detail = "违反发展党员工作规则"


class _Boom(APIView):
    """Test-only: each kind of failure a view can have."""

    authentication_classes = ()
    permission_classes = ()

    def get(self, request, kind):
        if kind == "throttled":
            raise exceptions.Throttled(wait=7)
        if kind == "rule":
            raise _Unprocessable("该支部正式党员不足3人，不能表决")
        if kind == "rule-response":  # as recruitment builds its 422 itself, without "fields"
            return Response(
                {"code": "rule_violation", "rule": "fzdy-2026:step07", "detail": "未满一年"}, status=422
            )
        if kind == "forbidden":
            raise exceptions.PermissionDenied()
        raise RuntimeError("a bug in a view")


def _plain_django_view(request):
    raise ZeroDivisionError("a bug outside DRF")


def _html_error_view(request):
    return HttpResponse("<h1>Bad gateway</h1>", status=502)


urlpatterns = [
    path("api/v1/_test/boom/<str:kind>/", _Boom.as_view()),
    path("api/v1/_test/plain/", _plain_django_view),
    path("api/v1/_test/html/", _html_error_view),
    path("_test/plain/", _plain_django_view),
    path("", include("qiangji.urls")),
]


def assert_error_shape(response, status: int, code: str | None = None, field: str | None = None) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert {"code", "detail", "fields"} <= set(body), body
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["detail"], str) and any(ord(ch) > 127 for ch in body["detail"]), body  # Chinese
    assert isinstance(body["fields"], dict)
    for name, messages in body["fields"].items():
        assert isinstance(name, str) and isinstance(messages, list) and messages
        assert all(isinstance(message, str) and message for message in messages), body
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert field in body["fields"], body
    else:
        assert body["fields"] == {} or status == 400, body
    return body


@pytest.fixture
def county(world):
    token = Token.objects.create(user=world.users["xian"])
    return APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def lenient():
    """A client that gets the 500 answer instead of the view's exception re-raised."""
    return APIClient(raise_request_exception=False)


class TestErrorShape:
    token_url = "/api/v1/auth/token/"

    def test_400_invalid_names_the_field(self, world):
        response = APIClient().post(self.token_url, {"username": "xian"}, format="json")
        assert_error_shape(response, 400, "invalid", "password")

    def test_400_parse_error(self, world):
        response = APIClient().post(self.token_url, "{nope", content_type="application/json")
        assert_error_shape(response, 400, "parse_error")

    def test_401(self, world):
        assert_error_shape(APIClient().get("/api/v1/members/"), 401, "not_authenticated")
        response = APIClient(HTTP_AUTHORIZATION="Token not-a-token").get("/api/v1/members/")
        assert_error_shape(response, 401, "not_authenticated")

    def test_403(self, world):
        assert_error_shape(APIClient().get("/api/v1/_test/boom/forbidden/"), 403, "permission_denied")

    def test_404_of_a_record_and_of_an_unknown_address(self, county):
        assert_error_shape(county.get("/api/v1/members/987654321/"), 404, "not_found")
        assert_error_shape(county.get(f"/api/v1/members/{HUGE}/"), 404, "not_found")
        # Django's own 404 (no route at all) is JSON too under /api/.
        assert_error_shape(county.get("/api/v1/no-such-thing/"), 404, "not_found")

    def test_405(self, world):
        response = APIClient().get(self.token_url)
        assert_error_shape(response, 405, "method_not_allowed")
        assert "POST" in response["Allow"]

    def test_415(self, world):
        response = APIClient().post(self.token_url, "<x/>", content_type="text/xml")
        assert_error_shape(response, 415, "unsupported_media_type")

    def test_422(self, world):
        assert_error_shape(APIClient().get("/api/v1/_test/boom/rule/"), 422, "rule_violation")
        body = assert_error_shape(APIClient().get("/api/v1/_test/boom/rule-response/"), 422, "rule_violation")
        assert body["rule"] == "fzdy-2026:step07"  # a view's own keys are kept

    def test_429_throttled_and_locked_out(self, world):
        assert_error_shape(APIClient().get("/api/v1/_test/boom/throttled/"), 429, "throttled")
        client = APIClient()
        for _ in range(5):
            client.post(self.token_url, {"username": "zhibu", "password": "wrong"}, format="json")
        response = client.post(self.token_url, {"username": "zhibu", "password": "wrong"}, format="json")
        assert_error_shape(response, 429, "locked_out")

    @pytest.mark.parametrize("url", ["/api/v1/_test/boom/bug/", "/api/v1/_test/plain/"])
    def test_500_is_json_and_logged_with_the_traceback(self, lenient, caplog, url):
        with caplog.at_level(logging.ERROR, logger="qiangji.api"):
            response = lenient.get(url)
        body = assert_error_shape(response, 500, "server_error")
        assert body == {
            "code": "server_error",
            "detail": "服务器内部错误，请稍后再试（已记录）",
            "fields": {},
        }
        records = [record for record in caplog.records if record.name == "qiangji.api"]
        assert records and records[0].exc_info and url in records[0].getMessage()
        assert "Traceback" in caplog.text

    def test_500_still_reaches_the_test_client_and_error_reporters(self, world):
        with pytest.raises(RuntimeError, match="a bug in a view"):
            APIClient().get("/api/v1/_test/boom/bug/")

    def test_a_non_json_error_page_under_api_becomes_json(self, world):
        assert_error_shape(APIClient().get("/api/v1/_test/html/"), 502, "server_error")

    def test_pages_outside_the_api_keep_django_s_html_500(self, lenient):
        response = lenient.get("/_test/plain/")
        assert response.status_code == 500 and not response["Content-Type"].startswith("application/json")


class TestPagination:
    url = "/api/v1/members/"

    def test_valid_bounds(self, world, county):
        response = county.get(self.url, {"limit": 1})
        assert response.status_code == 200 and len(response.json()["results"]) == 1
        assert response.json()["count"] == 4 and "offset=1" in response.json()["next"]
        assert county.get(self.url, {"limit": MAX_LIMIT}).json()["count"] == 4
        assert len(county.get(self.url, {"offset": 3}).json()["results"]) == 1
        response = county.get(self.url, {"offset": MAX_OFFSET})
        assert response.status_code == 200 and response.json()["results"] == []
        assert (
            len(county.get(self.url, {"limit": "", "offset": ""}).json()["results"]) == 4
        )  # empty = default

    @pytest.mark.parametrize(
        "value", [HUGE, TINY, "0", "-1", str(MAX_LIMIT + 1), "abc", "1.5", "1e3", "١", "1_0"]
    )
    def test_bad_limit_is_400_with_the_field_named(self, county, value):
        assert_error_shape(county.get(self.url, {"limit": value}), 400, "invalid", "limit")

    @pytest.mark.parametrize(
        "value",
        [HUGE, TINY, "-1", str(MAX_OFFSET + 1), "x", "2.0", "9" * 5000],
        ids=["huge", "tiny", "-1", "max+1", "x", "2.0", "5000-digits"],
    )
    def test_bad_offset_is_400_with_the_field_named(self, county, value):
        assert_error_shape(county.get(self.url, {"offset": value}), 400, "invalid", "offset")

    def test_documented_bounds(self):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        parameters = {p["name"]: p["schema"] for p in schema["paths"][self.url]["get"]["parameters"]}
        assert parameters["limit"] == {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}
        assert parameters["offset"] == {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}
        assert "400" in schema["paths"][self.url]["get"]["responses"]


def _filtered_lists():
    """(url, parameter) for every list whose filter set has a bounded (integer or id) filter."""
    found = []
    for pattern_path, view in _api_views():
        cls = getattr(view, "cls", None)
        actions = getattr(view, "actions", None) or {}
        if cls is None or actions.get("get") != "list" or getattr(cls, "filterset_class", None) is None:
            continue
        if FilterBackend not in cls.filter_backends:
            continue
        filterset = guard(
            cls.filterset_class(data={}, queryset=cls.filterset_class._meta.model.objects.none())
        )
        for name, field in filterset.form.fields.items():
            if type(field).__name__.startswith("BoundedField"):
                found.append((pattern_path, name))
    return found


def _api_views(resolver=None, prefix=""):
    resolver = resolver or get_resolver("qiangji.urls")
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _api_views(pattern, route)
        elif route.startswith("^api/v1/") or route.startswith("api/v1/"):
            yield (
                "/" + route.replace("^", "").replace("$", "").replace("\\.(?P<format>[a-z0-9]+)/?", ""),
                pattern.callback,
            )


def test_every_filtered_list_is_covered():
    urls = {url for url, _name in _filtered_lists()}
    # The dues lists (`?member=`) and the member list (`?org=`) were the ones the fuzz found.
    assert {"/api/v1/members/", "/api/v1/dues/bases/", "/api/v1/dues/payments/"} <= urls, urls


@pytest.mark.parametrize(("url", "name"), _filtered_lists())
@pytest.mark.parametrize("value", [HUGE, TINY, "1" * 400], ids=["huge", "tiny", "400-digits"])
def test_huge_integer_filters_are_400_with_the_field_named(world, county, url, name, value):
    assert_error_shape(county.get(url, {name: value}), 400, "invalid", name)


@pytest.mark.parametrize(("url", "name"), _filtered_lists())
def test_integer_filters_in_range_still_filter(world, county, url, name):
    response = county.get(url, {name: INT64_MAX})
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 400:  # a choice of rows: no such row (never an overflow)
        assert name in response.json()["fields"]
    else:
        assert response.json()["count"] == 0


def test_member_list_filters_as_before(world, county):
    add_member(world.branch2, "钱七")
    response = county.get("/api/v1/members/", {"org": world.branch2.pk})
    assert response.status_code == 200 and [row["name"] for row in response.json()["results"]] == ["钱七"]
    assert county.get("/api/v1/members/", {"status": "full"}).json()["count"] == 5


def test_empty_enum_is_refused_on_the_api(world, county):
    assert_error_shape(county.get("/api/v1/members/", {"status": ""}), 400, "invalid", "status")
    assert_error_shape(county.get("/api/v1/members/", {"sex": ""}), 400, "invalid", "sex")
    assert county.get("/api/v1/members/", {"sex": "1"}).status_code == 200


def test_dues_member_filter(world, county):
    response = county.get("/api/v1/dues/bases/", {"member": HUGE})
    assert_error_shape(response, 400, "invalid", "member")
    assert county.get("/api/v1/dues/bases/", {"member": world.member.pk}).status_code == 200


def test_unknown_api_url_reverse_sanity():
    assert reverse("api-token") == "/api/v1/auth/token/"
