"""HTML views: scope for every role, bad input through the form, reveal, HTMX search, query counts."""

import datetime

import pytest
from django.urls import reverse

from qiangji.core.models import AuditEntry
from qiangji.members import services
from qiangji.members.models import Member
from qiangji.members.tests.factories import form_data
from qiangji.testing import add_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(services.base, "today", lambda: datetime.date(2026, 6, 15))


def text(response):
    return response.content.decode()


class TestList:
    def test_lists_scope_with_masked_numbers(self, world, client_as):
        response = client_as(world.users["zhibu"]).get(reverse("members:list"))
        assert response.status_code == 200
        body = text(response)
        assert "李四" in body and "外县党员" not in body
        assert world.member.id_number not in body and "13800138000" not in body
        assert world.member.id_number_masked in body

    def test_filters_and_search(self, world, client_as):
        client = client_as(world.users["xian"])
        body = text(client.get(reverse("members:list"), {"search": "sxx"}))
        assert "单雄信" in body and "李四" not in body
        body = text(client.get(reverse("members:list"), {"org": world.branch2.pk}))
        assert "李四" not in body and "共 0 名党员" in body
        body = text(client.get(reverse("members:list"), {"org": world.foreign_branch.pk}))
        assert "外县党员" not in body and "不在您的管理范围内" in body

    def test_htmx_search_returns_the_results_fragment(self, world, client_as):
        response = client_as(world.users["zhibu"]).get(
            reverse("members:list"), {"search": "shan"}, HTTP_HX_REQUEST="true"
        )
        body = text(response)
        assert "单雄信" in body and "<html" not in body and "王五" not in body

    def test_query_count_does_not_grow_with_rows(self, world, client_as, django_assert_max_num_queries):
        for index in range(30):
            add_member(world.branch, f"党员{index}")
        client = client_as(world.users["sheng"])
        with django_assert_max_num_queries(12):
            response = client.get(reverse("members:list"), {"org": world.branch.pk, "search": "dy"})
        assert response.status_code == 200

    def test_member_role_is_sent_to_own_page(self, world, client_as):
        response = client_as(world.users["dangyuan"]).get(reverse("members:list"), follow=True)
        assert response.redirect_chain[-1][0] == reverse("members:detail", args=[world.member.pk])

    def test_nobody_sees_an_empty_list(self, world, client_as):
        body = text(client_as(world.users["nobody"]).get(reverse("members:list")))
        assert "李四" not in body

    def test_anonymous_is_sent_to_login(self, world, client):
        assert client.get(reverse("members:list")).status_code == 302


class TestDetail:
    @pytest.mark.parametrize("user", ["sheng", "xian", "jiedao", "zhibu", "dangyuan", "admin"])
    def test_visible_roles(self, world, client_as, user):
        response = client_as(world.users[user]).get(reverse("members:detail", args=[world.member.pk]))
        assert response.status_code == 200
        assert world.member.id_number not in text(response)

    @pytest.mark.parametrize("user", ["foreign", "nobody"])
    def test_foreign_roles_get_404(self, world, client_as, user):
        assert (
            client_as(world.users[user]).get(reverse("members:detail", args=[world.member.pk])).status_code
            == 404
        )

    def test_member_sees_only_self(self, world, client_as):
        client = client_as(world.users["dangyuan"])
        other = Member.objects.get(name="王五")
        assert client.get(reverse("members:detail", args=[other.pk])).status_code == 404
        body = text(client.get(reverse("members:detail", args=[world.member.pk])))
        assert "显示完整号码" not in body and "修改信息" not in body

    def test_staff_see_reveal_buttons_and_history(self, world, client_as):
        body = text(client_as(world.users["zhibu"]).get(reverse("members:detail", args=[world.member.pk])))
        assert "显示完整号码" in body and reverse("members:reveal-id", args=[world.member.pk]) in body


class TestReveal:
    def test_post_returns_fragment_and_audits(self, world, client_as):
        client = client_as(world.users["zhibu"])
        response = client.post(reverse("members:reveal-id", args=[world.member.pk]))
        assert response.status_code == 200 and world.member.id_number in text(response)
        response = client.post(reverse("members:reveal-phone", args=[world.member.pk]))
        assert "13800138000" in text(response)
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"members.id_number.revealed", "members.phone.revealed"} <= actions

    def test_get_is_not_allowed(self, world, client_as):
        response = client_as(world.users["zhibu"]).get(reverse("members:reveal-id", args=[world.member.pk]))
        assert response.status_code == 405

    @pytest.mark.parametrize("user", ["foreign", "dangyuan", "nobody"])
    def test_refused_with_404_and_no_audit(self, world, client_as, user):
        client = client_as(world.users[user])
        for name in ("members:reveal-id", "members:reveal-phone"):
            assert client.post(reverse(name, args=[world.member.pk])).status_code == 404
        assert not AuditEntry.objects.filter(action__endswith=".revealed").exists()


class TestCreateForm:
    def post(self, client, world, **overrides):
        return client.post(
            reverse("members:create"), form_data(overrides.pop("org", world.branch), **overrides)
        )

    def test_creates_and_redirects(self, world, client_as):
        response = self.post(client_as(world.users["zhibu"]), world)
        member = Member.objects.get(name="曾小明")
        assert response.status_code == 302 and response.url == reverse("members:detail", args=[member.pk])

    @pytest.mark.parametrize(
        ("overrides", "field_message"),
        [
            ({"id_number": "110105199005011231"}, "公民身份证号：校验位不正确"),
            ({"birth_date": datetime.date(1990, 5, 2)}, "出生日期：1990-05-02 与公民身份证号"),
            ({"joined_on": datetime.date(2026, 6, 16)}, "加入党组织日期：2026-06-16 不能晚于今天"),
            ({"org": 999999}, "所在党支部不存在或不在您的管理范围内"),
            ({"phone": "12"}, "联系电话：格式不正确"),
            ({"name": ""}, "姓名：必填"),
        ],
    )
    def test_bad_input_is_refused_with_the_field_named(self, world, client_as, overrides, field_message):
        response = self.post(client_as(world.users["zhibu"]), world, **overrides)
        assert response.status_code == 200
        assert field_message in text(response)
        assert not Member.objects.filter(name="曾小明").exists()

    def test_branch_outside_scope_is_refused(self, world, client_as):
        response = self.post(client_as(world.users["zhibu"]), world, org=world.foreign_branch)
        assert "所在党支部不存在或不在您的管理范围内" in text(response)
        assert not Member.objects.filter(name="曾小明").exists()

    def test_duplicate_id_is_refused(self, world, client_as):
        response = self.post(
            client_as(world.users["zhibu"]),
            world,
            id_number=world.member.id_number,
            birth=world.member.birth_date,
        )
        assert "公民身份证号已存在于" in text(response)

    @pytest.mark.parametrize("user", ["dangyuan", "nobody"])
    def test_roles_without_change_get_404(self, world, client_as, user):
        client = client_as(world.users[user])
        assert client.get(reverse("members:create")).status_code == 404
        assert self.post(client, world).status_code == 404


class TestEditStatusRecord:
    def test_edit_form_never_shows_clear_numbers_and_saves(self, world, client_as):
        client = client_as(world.users["zhibu"])
        url = reverse("members:edit", args=[world.member.pk])
        page = text(client.get(url))
        assert world.member.id_number not in page and "13800138000" not in page
        data = form_data(
            world.branch,
            birth=world.member.birth_date,
            name="李四",
            address="新家",
            joined_on=datetime.date(2010, 7, 1),
            confirmed_on=datetime.date(2011, 7, 1),
        )
        data.update(id_number="", phone="", sex="1")
        response = client.post(url, data)
        assert response.status_code == 302
        world.member.refresh_from_db()
        assert world.member.address == "新家" and world.member.phone == "13800138000"

    def test_edit_refuses_future_date(self, world, client_as):
        client = client_as(world.users["zhibu"])
        data = form_data(world.branch, birth=world.member.birth_date, joined_on=datetime.date(2027, 1, 1))
        data.update(id_number="", phone="")
        response = client.post(reverse("members:edit", args=[world.member.pk]), data)
        assert "加入党组织日期：2027-01-01 不能晚于今天" in text(response)

    def test_status_form(self, world, client_as):
        client = client_as(world.users["zhibu"])
        url = reverse("members:status", args=[world.member.pk])
        response = client.post(url, {"status": "deceased", "effective_on": "2026-06-16", "reason": "病故"})
        assert "不能晚于今天" in text(response)
        response = client.post(url, {"status": "deceased", "effective_on": "2026-06-15", "reason": "病故"})
        assert response.status_code == 302
        world.member.refresh_from_db()
        assert world.member.status == "deceased"

    def test_record_form(self, world, client_as):
        client = client_as(world.users["zhibu"])
        url = reverse("members:record-add", args=[world.member.pk])
        assert "名称：必填" in text(
            client.post(url, {"kind": "reward", "title": "", "decided_on": "2025-01-01"})
        )
        response = client.post(url, {"kind": "reward", "title": "优秀党员", "decided_on": "2025-01-01"})
        assert response.status_code == 302
        assert "优秀党员" in text(client.get(reverse("members:detail", args=[world.member.pk])))

    @pytest.mark.parametrize("name", ["members:edit", "members:status", "members:record-add"])
    @pytest.mark.parametrize("user", ["foreign", "dangyuan", "nobody"])
    def test_foreign_and_read_only_roles_get_404(self, world, client_as, name, user):
        client = client_as(world.users[user])
        url = reverse(name, args=[world.member.pk])
        assert client.get(url).status_code == 404
        assert (
            client.post(
                url,
                {
                    "status": "left",
                    "effective_on": "2026-01-01",
                    "reason": "x",
                    "kind": "reward",
                    "title": "x",
                    "decided_on": "2025-01-01",
                },
            ).status_code
            == 404
        )
        world.member.refresh_from_db()
        assert world.member.status == "full" and not world.member.rewards_punishments.exists()


def test_mine_redirects_member_to_own_record(world, client_as):
    response = client_as(world.users["dangyuan"]).get(reverse("members:mine"))
    assert response.url == reverse("members:detail", args=[world.member.pk])
    assert client_as(world.users["nobody"]).get(reverse("members:mine")).status_code == 404


def test_detail_shows_audit_history(world, client_as):
    services.update_member(actor=world.users["zhibu"], member=world.member, values={"address": "新家"})
    body = text(client_as(world.users["zhibu"]).get(reverse("members:detail", args=[world.member.pk])))
    assert "修改党员档案" in body


def test_list_links_to_export_with_the_same_query(world, client_as):
    from django.urls import NoReverseMatch

    try:
        export = reverse("imports:members-export")
    except NoReverseMatch:
        pytest.skip("export not installed")
    body = text(client_as(world.users["zhibu"]).get(reverse("members:list"), {"search": "sxx", "page": "2"}))
    assert f'href="{export}?search=sxx"' in body and "导出 xlsx / csv" in body


def test_position_form(world, client_as):
    client = client_as(world.users["zhibu"])
    url = reverse("members:position-add", args=[world.member.pk])
    assert "职务：必填" in text(client.post(url, {"title": "", "started_on": "2020-01-01"}))
    response = client.post(url, {"title": "组织委员", "started_on": "2020-01-01"})
    assert response.status_code == 302
    body = text(client.get(reverse("members:detail", args=[world.member.pk])))
    assert "组织委员" in body and "至今" in body
    assert (
        client_as(world.users["foreign"]).post(url, {"title": "x", "started_on": "2020-01-01"}).status_code
        == 404
    )


def test_edit_with_corrected_id_takes_birth_date_and_sex_from_it(world, client_as):
    from qiangji.testing import make_id_number

    client = client_as(world.users["zhibu"])
    url = reverse("members:edit", args=[world.member.pk])
    page = client.get(url)
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()}
    data.pop("is_mobile", None)
    new_id = make_id_number(datetime.date(1986, 4, 2), "2")
    data.update(id_number=new_id, phone="")
    response = client.post(url, data)
    assert response.status_code == 302, text(response)
    world.member.refresh_from_db()
    assert (world.member.birth_date, world.member.sex) == (datetime.date(1986, 4, 2), "2")


def test_pagination_keeps_the_filters_and_cells_carry_labels_for_cards(world, client_as):
    for index in range(30):
        add_member(world.branch, f"党员{index}")
    body = text(client_as(world.users["zhibu"]).get(reverse("members:list"), {"search": "dy"}))
    assert 'data-label="姓名"' in body and "下一页" in body
    assert "search=dy" in body and "page=2" in body


def test_detail_query_count_does_not_grow_with_records(world, client_as, django_assert_max_num_queries):
    actor = world.users["zhibu"]
    for year in range(2015, 2025):
        services.add_reward_punishment(
            actor=actor,
            member=world.member,
            kind="reward",
            title=f"{year}年优秀",
            decided_on=datetime.date(year, 7, 1),
        )
        services.add_position(
            actor=actor, member=world.member, title=f"职务{year}", started_on=datetime.date(year, 1, 1)
        )
    client = client_as(actor)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("members:detail", args=[world.member.pk]))
    assert response.status_code == 200 and "2024年优秀" in text(response)
