"""REST API /api/v1/members/: scope, masked output, write-only identifiers, Chinese 400s."""

import datetime

import pytest
from django.urls import reverse

from qiangji.core.models import AuditEntry
from qiangji.members import services
from qiangji.members.models import Member
from qiangji.members.tests.factories import form_data, member_values
from qiangji.testing import add_member

pytestmark = pytest.mark.django_db
LIST = "/api/v1/members/"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(services.base, "today", lambda: datetime.date(2026, 6, 15))


def detail(member):
    return f"/api/v1/members/{member.pk}/"


def names(response):
    return sorted(row["name"] for row in response.json()["results"])


def test_route_names():
    assert reverse("member-list") == LIST
    assert reverse("member-detail", args=[1]) == "/api/v1/members/1/"


class TestRead:
    def test_list_is_scoped_and_masked(self, world, client_as):
        response = client_as(world.users["zhibu"]).get(LIST)
        assert response.status_code == 200
        assert names(response) == ["单雄信", "李四", "王五", "赵六"]
        row = next(r for r in response.json()["results"] if r["name"] == "李四")
        assert row["id_number_masked"].endswith(world.member.id_suffix) and "id_number" not in row
        assert world.member.id_number not in response.content.decode()
        assert "13800138000" not in response.content.decode()

    def test_filters_org_and_search(self, world, client_as):
        client = client_as(world.users["xian"])
        assert names(client.get(LIST, {"search": "shan"})) == ["单雄信"]
        assert names(client.get(LIST, {"org": world.branch2.pk})) == []
        assert names(client.get(LIST, {"search": world.member.id_suffix}))[:1] != []
        response = client.get(LIST, {"org": world.foreign_branch.pk})
        assert response.status_code == 400 and "党组织" in response.json()["detail"]

    def test_member_role_sees_only_self(self, world, client_as):
        client = client_as(world.users["dangyuan"])
        assert names(client.get(LIST)) == ["李四"]
        other = Member.objects.get(name="王五")
        assert client.get(detail(other)).status_code == 404

    @pytest.mark.parametrize("user", ["foreign", "nobody"])
    def test_foreign_detail_is_404(self, world, client_as, user):
        response = client_as(world.users[user]).get(detail(world.member))
        assert response.status_code == 404 and response.json()["code"] == "not_found"

    def test_anonymous_is_401_or_403(self, world, client):
        assert client.get(LIST).status_code in (401, 403)

    def test_query_count(self, world, client_as, django_assert_max_num_queries):
        for index in range(40):
            add_member(world.branch, f"党员{index}")
        client = client_as(world.users["sheng"])
        with django_assert_max_num_queries(8):
            response = client.get(LIST, {"org": world.branch.pk})
        assert response.json()["count"] == 44


class TestCreate:
    def post(self, client, world, **overrides):
        data = form_data(overrides.pop("org", world.branch), **overrides)
        return client.post(LIST, data, content_type="application/json")

    def test_creates_and_returns_masked(self, world, client_as):
        response = self.post(client_as(world.users["zhibu"]), world)
        assert response.status_code == 201, response.json()
        body = response.json()
        member = Member.objects.get(pk=body["id"])
        assert member.id_number not in response.content.decode()
        assert body["phone_masked"].endswith("5678") and body["political_status"] == "01"
        assert AuditEntry.objects.filter(action="members.member.created", target_id=str(member.pk)).exists()

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"id_number": "110105199005011231"}, "公民身份证号：校验位不正确（GB 11643），请核对"),
            (
                {"birth_date": datetime.date(1990, 5, 2)},
                "出生日期：1990-05-02 与公民身份证号中的 1990-05-01 不一致",
            ),
            (
                {"joined_on": datetime.date(2026, 6, 16)},
                "加入党组织日期：2026-06-16 不能晚于今天（2026-06-15）",
            ),
            ({"org": 999999}, "所在党支部不存在或不在您的管理范围内"),
            ({"birth_date": "1990-13-01"}, "出生日期："),
            ({"category": "member"}, "人员类别：代码“member”不在代码表中"),
        ],
    )
    def test_bad_input_gives_400_naming_the_field(self, world, client_as, overrides, message):
        before = Member.objects.count(), AuditEntry.objects.count()
        response = self.post(client_as(world.users["zhibu"]), world, **overrides)
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid" and body["detail"].startswith(message)
        assert (Member.objects.count(), AuditEntry.objects.count()) == before

    def test_branch_outside_scope_does_not_leak(self, world, client_as):
        response = self.post(client_as(world.users["zhibu"]), world, org=world.foreign_branch)
        assert response.status_code == 400
        assert response.json()["detail"] == "所在党支部不存在或不在您的管理范围内"

    def test_missing_branch(self, world, client_as):
        data = form_data(world.branch)
        del data["organisation"]
        response = client_as(world.users["zhibu"]).post(LIST, data, content_type="application/json")
        assert response.status_code == 400 and response.json()["detail"] == "所在党支部：必填"

    def test_duplicate_id(self, world, client_as):
        response = self.post(
            client_as(world.users["zhibu"]),
            world,
            id_number=world.member.id_number,
            birth=world.member.birth_date,
        )
        assert response.status_code == 400
        assert response.json()["detail"].startswith("公民身份证号已存在于“幸福社区第一党支部”")
        foreign = self.post(
            client_as(world.users["zhibu"]),
            world,
            id_number=world.foreign_member.id_number,
            birth=world.foreign_member.birth_date,
        )
        assert "另一县" not in foreign.json()["detail"]


class TestUpdate:
    def test_patch_updates_and_reencrypts(self, world, client_as):
        response = client_as(world.users["zhibu"]).patch(
            detail(world.member), {"phone": "13711112222"}, content_type="application/json"
        )
        assert response.status_code == 200, response.json()
        world.member.refresh_from_db()
        assert world.member.phone == "13711112222"
        assert response.json()["phone_masked"].endswith("2222")

    def test_put_with_unchanged_branch_and_status(self, world, client_as):
        body = client_as(world.users["zhibu"]).get(detail(world.member)).json()
        body.update(address="新地址")
        response = client_as(world.users["zhibu"]).put(
            detail(world.member), body, content_type="application/json"
        )
        assert response.status_code == 200, response.json()
        assert response.json()["address"] == "新地址"

    def test_patch_bad_value_saves_nothing(self, world, client_as):
        response = client_as(world.users["zhibu"]).patch(
            detail(world.member), {"confirmed_on": "2030-01-01"}, content_type="application/json"
        )
        assert response.status_code == 400 and response.json()["detail"].startswith("转为正式党员日期：")
        world.member.refresh_from_db()
        assert world.member.confirmed_on == datetime.date(2011, 7, 1)

    @pytest.mark.parametrize("user", ["foreign", "nobody", "dangyuan"])
    def test_out_of_scope_update_is_404(self, world, client_as, user):
        response = client_as(world.users[user]).patch(
            detail(world.member), {"address": "x"}, content_type="application/json"
        )
        assert response.status_code == 404
        world.member.refresh_from_db()
        assert world.member.address == ""

    def test_delete_is_not_offered(self, world, client_as):
        assert client_as(world.users["zhibu"]).delete(detail(world.member)).status_code == 405


def test_schema_documents_members_errors(world, client_as):
    response = client_as(world.users["admin"]).get("/api/schema/", {"format": "json"})
    schema = response.json()
    operation = schema["paths"]["/api/v1/members/"]["post"]
    assert {"201", "400", "401", "403", "404"} <= set(operation["responses"])


def test_completeness_summary_uses_the_filters_and_scope(world, client_as):
    services.create_member(
        actor=world.users["zhibu"],
        organisation=world.branch,
        values=member_values(),
    )
    client = client_as(world.users["xian"])
    body = client.get(f"{LIST}completeness/", {"org": world.branch.pk}).json()
    assert body["members"] == 5
    assert body["average"] == round((4 * 0 + 100) / 5)
    assert {"key": "education", "label": "学历", "count": 4} in body["missing"]
    assert client.get(f"{LIST}completeness/", {"org": world.foreign_branch.pk}).status_code == 400
    assert client_as(world.users["foreign"]).get(f"{LIST}completeness/").json()["members"] == 1
