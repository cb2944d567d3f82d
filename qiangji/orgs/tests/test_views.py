import datetime

import pytest
from django.urls import reverse

from qiangji.core.models import AuditEntry
from qiangji.members.models import Member
from qiangji.orgs import services
from qiangji.orgs.models import Committee, Organisation

pytestmark = pytest.mark.django_db


def test_tree_and_lazy_children(world, client_as):
    client = client_as(world.users["jiedao"])
    page = client.get(reverse("orgs:tree"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "城关街道党工委" in html and "某县委" not in html
    assert reverse("orgs:children", args=[world.street.pk]) in html
    part = client.get(reverse("orgs:children", args=[world.community.pk]), HTTP_HX_REQUEST="true")
    assert "幸福社区第一党支部" in part.content.decode() and "<html" not in part.content.decode()


def test_anonymous_redirected_to_login(world, client):
    response = client.get(reverse("orgs:detail", args=[world.branch.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_detail_page_shows_everything(world, client_as):
    services.elect_committee(
        actor=world.users["xian"],
        org=world.branch,
        elected_on=datetime.date(2021, 3, 1),
        seats=[{"name": "书记甲", "post": "secretary"}],
    )
    Member.objects.filter(organisation=world.branch).update(completeness=60)
    client = client_as(world.users["xian"])
    html = client.get(reverse("orgs:detail", args=[world.branch.pk])).content.decode()
    assert "幸福社区党委" in html  # breadcrumbs
    assert "书记：书记甲" in html
    assert "2026-03-01" in html  # term end (community branch, 5 years)
    assert "平均信息完整度" in html and "60" in html
    assert f"/members/?org={world.branch.pk}" in html
    assert "换届选举" in html  # audit history lists the election
    assert reverse("orgs:move", args=[world.branch.pk]) in html


def test_detail_shows_structure_warnings(world, client_as):
    html = (
        client_as(world.users["xian"]).get(reverse("orgs:detail", args=[world.branch2.pk])).content.decode()
    )
    assert "正式党员0人" in html and "书记职务空缺" in html


def test_detail_branch_user_has_no_manage_buttons(world, client_as):
    html = (
        client_as(world.users["zhibu"]).get(reverse("orgs:detail", args=[world.branch.pk])).content.decode()
    )
    assert reverse("orgs:edit", args=[world.branch.pk]) in html
    assert reverse("orgs:move", args=[world.branch.pk]) not in html


def test_member_sees_own_branch_read_only(world, client_as):
    client = client_as(world.users["dangyuan"])
    html = client.get(reverse("orgs:detail", args=[world.branch.pk])).content.decode()
    assert reverse("orgs:edit", args=[world.branch.pk]) not in html
    assert client.get(reverse("orgs:edit", args=[world.branch.pk])).status_code == 404


@pytest.mark.parametrize(
    "name", ["detail", "children", "edit", "move", "merge", "dissolve", "elect", "create-child"]
)
def test_foreign_org_is_404_for_every_page(world, client_as, name):
    client = client_as(world.users["xian"])
    url = reverse(f"orgs:{name}", args=[world.foreign_branch.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"name": "改名", "kind": "branch", "on": "2025-01-01", "reason": "x"}).status_code
        == 404
    )
    assert Organisation.objects.get(pk=world.foreign_branch.pk).name == "另一县某村党支部"
    assert not AuditEntry.objects.exists()


def test_list_filters_with_pinned_queries(world, client_as, django_assert_max_num_queries):
    client = client_as(world.users["xian"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("orgs:list"), {"ancestor": world.community.pk, "kind": "branch"})
    html = response.content.decode()
    assert "幸福社区第一党支部" in html and "幸福社区第二党支部" in html and "幸福社区党委</a>" not in html
    html = client.get(reverse("orgs:list"), {"search": "第二"}).content.decode()
    assert "幸福社区第二党支部" in html and "幸福社区第一党支部" not in html
    html = client.get(reverse("orgs:list"), {"ancestor": world.foreign_county.pk}).content.decode()
    assert "另一县某村党支部" not in html


def test_create_child_through_form(world, client_as):
    client = client_as(world.users["jiedao"])
    url = reverse("orgs:create-child", args=[world.community.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "幸福社区第三党支部",
            "kind": "branch",
            "category": "community",
            "unit_relation": "same_as_parent",
        },
    )
    org = Organisation.objects.get(name="幸福社区第三党支部")
    assert response.status_code == 302 and response["Location"] == reverse("orgs:detail", args=[org.pk])
    assert AuditEntry.objects.filter(action="orgs.organisation.created", target_id=str(org.pk)).exists()


def test_create_child_bad_input_shows_chinese_field_errors(world, client_as):
    client = client_as(world.users["jiedao"])
    before = Organisation.objects.count()
    response = client.post(
        reverse("orgs:create-child", args=[world.community.pk]),
        {
            "name": "",
            "kind": "branch",
            "category": "community",
            "unit_relation": "same_as_parent",
            "division_code": "12",
            "code": world.branch.code,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors
    response = client.post(
        reverse("orgs:create-child", args=[world.community.pk]),
        {
            "name": "X",
            "kind": "branch",
            "category": "community",
            "unit_relation": "same_as_parent",
            "division_code": "12",
            "code": world.branch.code,
        },
    )
    form = response.context["form"]
    assert "行政区划代码" in str(form.errors["division_code"]) and "code" in form.errors
    assert Organisation.objects.count() == before


def test_create_child_under_branch_refused_on_form(world, client_as):
    response = client_as(world.users["xian"]).post(
        reverse("orgs:create-child", args=[world.branch.pk]),
        {"name": "X", "kind": "branch", "category": "community", "unit_relation": "same_as_parent"},
    )
    assert response.status_code == 200 and "党支部下不能设立下级党组织" in response.content.decode()


def test_edit_through_form(world, client_as):
    client = client_as(world.users["zhibu"])
    url = reverse("orgs:edit", args=[world.branch.pk])
    form = client.get(url).context["form"]
    data = {
        name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields
    }
    data.update(name="第一支部（更名）")
    assert client.post(url, data).status_code == 302
    assert Organisation.objects.get(pk=world.branch.pk).name == "第一支部（更名）"
    entry = AuditEntry.objects.get(action="orgs.organisation.updated")
    assert entry.after == {"name": "第一支部（更名）"}


def test_move_through_form(world, client_as):
    client = client_as(world.users["xian"])
    url = reverse("orgs:move", args=[world.branch.pk])
    response = client.post(url, {"new_parent": world.foreign_county.pk})
    assert response.status_code == 200 and "不在您的管理范围内" in response.content.decode()
    response = client.post(url, {"new_parent_text": "另一县委"})  # typed: not among the choices either
    assert response.status_code == 200 and "不在您的管理范围内" in response.content.decode()
    response = client.post(url, {"new_parent_text": "城关街道党工委"})  # typed by name, not picked
    assert response.status_code == 302
    branch = Organisation.objects.get(pk=world.branch.pk)
    assert branch.get_parent().pk == world.street.pk
    assert Member.objects.get(pk=world.member.pk).org_path == branch.path


def test_move_to_descendant_shows_error(world, client_as):
    response = client_as(world.users["xian"]).post(
        reverse("orgs:move", args=[world.street.pk]), {"new_parent": world.community.pk}
    )
    assert "自身或其下级" in response.content.decode()


def test_dissolve_and_merge_through_forms(world, client_as):
    client = client_as(world.users["jiedao"])
    response = client.post(
        reverse("orgs:dissolve", args=[world.branch.pk]), {"on": "2025-01-01", "reason": "撤并"}
    )
    assert response.status_code == 200 and "名党员在册" in response.content.decode()
    response = client.post(
        reverse("orgs:merge", args=[world.branch.pk]), {"target_text": "xfsqdedzb", "on": "2025-01-01"}
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=world.branch.pk).merged_into_id == world.branch2.pk
    response = client.post(reverse("orgs:dissolve", args=[world.branch2.pk]), {"on": "", "reason": ""})
    assert response.status_code == 200 and "on" in response.context["form"].errors


def test_elect_through_form(world, client_as):
    client = client_as(world.users["zhibu"])
    url = reverse("orgs:elect", args=[world.branch.pk])
    page = client.get(url)
    assert page.status_code == 200 and "李四" in page.content.decode()
    data = {
        "elected_on": "2024-05-01",
        "seats-TOTAL_FORMS": "7",
        "seats-INITIAL_FORMS": "0",
        "seats-0-member": str(world.member.pk),
        "seats-0-post": "secretary",
        "seats-1-name": "乙",
        "seats-1-post": "organisation",
    }
    assert client.post(url, data).status_code == 302
    committee = Committee.objects.get(organisation=world.branch)
    assert committee.term_ends_on == datetime.date(2029, 5, 1)
    assert sorted(committee.seats.values_list("name", flat=True)) == ["乙", "李四"]


def test_elect_without_secretary_shows_error(world, client_as):
    data = {
        "elected_on": "2024-05-01",
        "seats-TOTAL_FORMS": "7",
        "seats-INITIAL_FORMS": "0",
        "seats-0-name": "乙",
        "seats-0-post": "organisation",
    }
    response = client_as(world.users["zhibu"]).post(reverse("orgs:elect", args=[world.branch.pk]), data)
    assert response.status_code == 200 and "一名书记" in response.content.decode()
    assert not Committee.objects.exists()


def test_township_cannot_restructure_itself(world, client_as):
    client = client_as(world.users["jiedao"])
    html = client.get(reverse("orgs:detail", args=[world.street.pk])).content.decode()
    assert reverse("orgs:move", args=[world.street.pk]) not in html
    assert reverse("orgs:create-child", args=[world.street.pk]) in html
    for name in ("move", "merge", "dissolve"):
        assert client.get(reverse(f"orgs:{name}", args=[world.street.pk])).status_code == 404
    html = client.get(reverse("orgs:detail", args=[world.community.pk])).content.decode()
    assert reverse("orgs:move", args=[world.community.pk]) in html


def test_grants_page_grant_and_revoke(world, client_as):
    from qiangji.orgs.models import Grant

    client = client_as(world.users["jiedao"])
    url = reverse("orgs:grants", args=[world.branch.pk])
    assert "zhibu" in client.get(url).content.decode()
    response = client.post(url, {"username": "nobody", "role": "branch"})
    assert response.status_code == 302
    grant = Grant.objects.get(user=world.users["nobody"])
    assert grant.organisation_id == world.branch.pk
    response = client.post(url, {"username": "ghost", "role": "branch"})
    assert "未找到该用户名" in response.content.decode()
    revoke = reverse("orgs:grant-revoke", args=[grant.pk])
    assert client.get(revoke).status_code == 405
    assert client.post(revoke).status_code == 302
    assert not Grant.objects.filter(pk=grant.pk).exists()
    assert AuditEntry.objects.filter(action="orgs.grant.revoked").exists()


def test_grants_page_needs_manage_tree(world, client_as):
    assert (
        client_as(world.users["zhibu"]).get(reverse("orgs:grants", args=[world.branch.pk])).status_code == 404
    )


@pytest.mark.parametrize(
    "name", ["edit", "move", "merge", "dissolve", "elect", "create-child", "grants", "children"]
)
def test_anonymous_write_pages_redirect_to_login(world, client, name):
    url = reverse(f"orgs:{name}", args=[world.branch.pk])
    assert client.get(url).status_code == 302
    assert client.post(url, {"name": "改名"}).status_code == 302
    assert Organisation.objects.get(pk=world.branch.pk).name == "幸福社区第一党支部"


def test_detail_history_lists_audit_entries(world, client_as):
    services.update_organisation(actor=world.users["xian"], org=world.branch, address="幸福路1号")
    html = client_as(world.users["xian"]).get(reverse("orgs:detail", args=[world.branch.pk])).content.decode()
    assert "变更历史" in html and "修改党组织" in html and "幸福路1号" in html
    # A branch secretary may audit their branch too; a member may not see the history.
    member_html = client_as(world.users["dangyuan"]).get(reverse("orgs:detail", args=[world.branch.pk]))
    assert "修改党组织" not in member_html.content.decode()


def test_detail_query_count_is_bounded(world, client_as, django_assert_max_num_queries):
    services.elect_committee(
        actor=world.users["xian"],
        org=world.community,
        elected_on=datetime.date(2023, 1, 1),
        seats=[{"name": "甲", "post": "secretary"}],
    )
    client = client_as(world.users["xian"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("orgs:detail", args=[world.community.pk])).status_code == 200
