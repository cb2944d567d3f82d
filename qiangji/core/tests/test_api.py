"""API plumbing: JSON errors in Chinese, the scoped viewset mixin, the token endpoint and its lockout."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from rest_framework import exceptions, serializers, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from qiangji.core.api import ScopedViewSetMixin, exception_handler
from qiangji.core.models import AuditEntry
from qiangji.members.models import Member

pytestmark = pytest.mark.django_db
PASSWORD = "pw-test-123456"
factory = APIRequestFactory()


def handle(exc):
    return exception_handler(exc, {"view": APIView(), "request": None})


class TestErrorShape:
    def test_validation_error_has_code_first_chinese_detail_and_fields(self):
        response = handle(exceptions.ValidationError({"name": ["姓名不能为空"], "sex": ["性别不正确"]}))
        assert response.status_code == 400
        assert response.data == {
            "code": "invalid",
            "detail": "姓名不能为空",
            "fields": {"name": ["姓名不能为空"], "sex": ["性别不正确"]},
        }

    def test_nested_and_list_errors_find_the_first_message(self):
        response = handle(
            exceptions.ValidationError({"rows": [{}, {"id_number": ["第2行：身份证号校验位不正确"]}]})
        )
        assert response.data["detail"] == "第2行：身份证号校验位不正确"
        response = handle(exceptions.ValidationError(["整体不正确"]))
        assert response.data["detail"] == "整体不正确" and "non_field_errors" in response.data["fields"]

    def test_django_validation_error_becomes_400(self):
        response = handle(DjangoValidationError({"joined_on": ["入党日期不能早于出生日期"]}))
        assert response.status_code == 400 and response.data["fields"] == {
            "joined_on": ["入党日期不能早于出生日期"]
        }
        response = handle(
            DjangoValidationError("该支部正式党员不足3人，不能表决（docs/rules.md §1 / fzdy-2026）")
        )
        assert response.data["detail"].startswith("该支部正式党员不足3人")

    def test_not_found(self):
        response = handle(Http404("anything"))
        assert response.status_code == 404
        assert response.data == {"code": "not_found", "detail": "未找到该记录，或您无权查看", "fields": {}}

    def test_permission_denied_keeps_a_specific_chinese_reason(self):
        assert handle(exceptions.PermissionDenied()).data == {
            "code": "permission_denied",
            "detail": "您没有执行该操作的权限",
            "fields": {},
        }
        response = handle(
            exceptions.PermissionDenied("只有基层党委可以审批（《中国共产党发展党员工作细则》第二十四条）")
        )
        assert response.data["detail"] == "只有基层党委可以审批（《中国共产党发展党员工作细则》第二十四条）"

    @pytest.mark.parametrize(
        ("exc", "status", "code"),
        [
            (exceptions.NotAuthenticated(), 401, "not_authenticated"),
            (exceptions.AuthenticationFailed(), 401, "not_authenticated"),
            (exceptions.MethodNotAllowed("DELETE"), 405, "method_not_allowed"),
            (exceptions.UnsupportedMediaType("text/xml"), 415, "unsupported_media_type"),
            (exceptions.Throttled(5), 429, "throttled"),
            (exceptions.ParseError(), 400, "parse_error"),
        ],
    )
    def test_codes_and_chinese_details(self, exc, status, code):
        response = handle(exc)
        assert response.status_code == status and response.data["code"] == code
        assert all(ord(ch) < 128 for ch in response.data["detail"]) is False  # Chinese, not DRF's English

    def test_non_api_exceptions_pass_through(self):
        assert handle(ValueError("boom")) is None


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ["id", "name"]


class MemberViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    queryset = Member.objects.all()
    serializer_class = MemberSerializer


class TestScopedViewSet:
    def call(self, user, action, method="get", pk=None, data=None):
        view = MemberViewSet.as_view({method: action})
        request = getattr(factory, method)("/x/", data or {}, format="json")
        if user is not None:
            force_authenticate(request, user=user)
        return view(request, pk=pk) if pk else view(request)

    @pytest.mark.parametrize("role", ["xian", "jiedao", "zhibu", "dangyuan", "nobody"])
    def test_foreign_object_is_404_and_unchanged(self, world, role):
        user = world.users[role]
        assert self.call(user, "retrieve", pk=world.foreign_member.pk).status_code == 404
        response = self.call(user, "partial_update", "patch", world.foreign_member.pk, {"name": "改名"})
        assert response.status_code == 404 and response.data["code"] == "not_found"
        world.foreign_member.refresh_from_db()
        assert world.foreign_member.name == "外县党员"

    def test_list_is_scoped(self, world):
        names = {row["name"] for row in self.call(world.users["zhibu"], "list").data["results"]}
        assert "李四" in names and "外县党员" not in names

    def test_member_may_read_but_not_write_own_record(self, world):
        user = world.users["dangyuan"]
        assert self.call(user, "retrieve", pk=world.member.pk).status_code == 200
        assert self.call(user, "partial_update", "patch", world.member.pk, {"name": "x"}).status_code == 404

    def test_anonymous_is_401(self, world):
        response = self.call(None, "list")
        assert response.status_code == 401 and response.data["code"] == "not_authenticated"

    def test_unscoped_queryset_fails_closed(self, world):
        from django.contrib.auth import get_user_model
        from django.core.exceptions import ImproperlyConfigured

        class Bad(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
            queryset = get_user_model().objects.all()

        request = factory.get("/x/")
        force_authenticate(request, user=world.users["xian"])
        with pytest.raises(ImproperlyConfigured):
            Bad.as_view({"get": "list"})(request)

    def test_ensure_in_scope(self, world):
        view = MemberViewSet()
        view.request = type("R", (), {"user": world.users["zhibu"], "method": "POST"})()
        view.ensure_in_scope(world.branch.path)
        with pytest.raises(exceptions.NotFound):
            view.ensure_in_scope(world.foreign_branch.path)
        with pytest.raises(exceptions.NotFound):
            view.ensure_in_scope(world.branch2.path)


class TestToken:
    url = "/api/v1/auth/token/"

    def test_url_name(self):
        assert reverse("api-token") == self.url

    def test_good_credentials_give_a_token_and_an_audit_entry(self, world):
        client = APIClient()
        response = client.post(self.url, {"username": "zhibu", "password": PASSWORD}, format="json")
        assert response.status_code == 200
        token = Token.objects.get(user=world.users["zhibu"])
        assert response.json() == {"token": token.key}
        entry = AuditEntry.objects.get(action="core.token.issued")
        assert entry.actor == world.users["zhibu"] and entry.org_path == world.branch.path
        assert token.key not in str(entry.after) and entry.after is None
        again = client.post(self.url, {"username": "zhibu", "password": PASSWORD}, format="json")
        assert again.json() == {"token": token.key}
        assert AuditEntry.objects.filter(action="core.token.issued").count() == 1

    def test_token_authenticates(self, world):
        token = APIClient().post(self.url, {"username": "zhibu", "password": PASSWORD}).json()["token"]
        request = factory.get("/x/", HTTP_AUTHORIZATION=f"Token {token}")
        response = MemberViewSet.as_view({"get": "list"})(request)
        assert response.status_code == 200
        request = factory.get("/x/", HTTP_AUTHORIZATION="Token not-a-token")
        response = MemberViewSet.as_view({"get": "list"})(request)
        assert response.status_code == 401 and response.data["detail"] == "认证令牌无效。"  # DRF, translated

    def test_bad_credentials_are_400_in_chinese(self, world):
        response = APIClient().post(self.url, {"username": "zhibu", "password": "wrong"}, format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid" and "用户名或密码不正确" in response.json()["detail"]
        assert not Token.objects.exists()

    def test_missing_fields_name_the_field(self, world):
        response = APIClient().post(self.url, {"username": "zhibu"}, format="json")
        assert response.status_code == 400 and set(response.json()["fields"]) == {"password"}
        assert response.json()["detail"] == "该字段是必填项。"

    def test_bad_json_is_a_parse_error(self, world):
        response = APIClient().post(self.url, "{nope", content_type="application/json")
        assert response.status_code == 400 and response.json()["code"] == "parse_error"

    def test_get_is_405_json(self, world):
        response = APIClient().get(self.url)
        assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"

    def test_lockout_applies_to_the_api(self, world):
        client = APIClient()
        for _ in range(4):
            assert client.post(self.url, {"username": "xian", "password": "wrong"}).status_code == 400
        response = client.post(self.url, {"username": "xian", "password": "wrong"})
        assert response.status_code == 429
        assert response.json()["code"] == "locked_out" and "锁定" in response.json()["detail"]
        response = client.post(self.url, {"username": "xian", "password": PASSWORD})
        assert response.status_code == 429 and not Token.objects.exists()

    def test_a_bad_token_header_does_not_block_getting_a_token(self, world):
        client = APIClient(HTTP_AUTHORIZATION="Token stale")
        assert client.post(self.url, {"username": "zhibu", "password": PASSWORD}).status_code == 200


class TestAuditApi:
    url = "/api/v1/audit/"

    def record(self, world, *, actor="zhibu", org=None, target=None, action="members.member.updated"):
        from django.db import transaction

        from qiangji.core import audit

        with transaction.atomic():
            return audit.record(
                actor=world.users[actor],
                action=action,
                target=target or world.member,
                org=org or world.branch,
                before={"name": "李四"},
                after={"name": "李四四"},
            )

    def test_lists_my_subtree_with_labels(self, world, client_as):
        mine = self.record(world)
        self.record(world, actor="foreign", org=world.foreign_branch, target=world.foreign_member)
        data = client_as(world.users["xian"]).get(self.url).json()
        assert [row["id"] for row in data["results"]] == [mine.pk]
        assert data["results"][0]["action_label"] == "修改党员档案"
        assert data["results"][0]["after"] == {"name": "李四四"}

    def test_filters_are_shared_with_the_page(self, world, client_as):
        self.record(world)
        org_entry = self.record(
            world, actor="jiedao", org=world.street, target=world.street, action="orgs.organisation.updated"
        )
        client = client_as(world.users["xian"])
        assert [r["id"] for r in client.get(self.url, {"action": "orgs."}).json()["results"]] == [
            org_entry.pk
        ]
        response = client.get(self.url, {"organisation": world.foreign_branch.code})
        assert response.status_code == 400 and "organisation" in response.json()["fields"]

    @pytest.mark.parametrize("role", ["xian", "zhibu", "dangyuan", "nobody"])
    def test_foreign_entry_is_404(self, world, client_as, role):
        entry = self.record(world, actor="foreign", org=world.foreign_branch, target=world.foreign_member)
        response = client_as(world.users[role]).get(f"{self.url}{entry.pk}/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"

    def test_read_only(self, world, client_as):
        entry = self.record(world)
        client = client_as(world.users["xian"])
        assert client.delete(f"{self.url}{entry.pk}/").status_code == 405
        assert (
            client.patch(
                f"{self.url}{entry.pk}/", {"action": "x"}, content_type="application/json"
            ).status_code
            == 405
        )
        assert AuditEntry.objects.get(pk=entry.pk).action == "members.member.updated"

    def test_query_count_is_pinned(self, world, client_as, django_assert_max_num_queries):
        for _ in range(20):
            self.record(world)
        client = client_as(world.users["xian"])
        with django_assert_max_num_queries(8):
            assert len(client.get(self.url).json()["results"]) == 20
