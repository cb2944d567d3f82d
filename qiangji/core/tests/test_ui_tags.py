"""The shell's template helpers (core/templatetags/ui.py) and components render what they promise."""

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse

from qiangji.core.templatetags import ui


def render(source: str, request=None, **context) -> str:
    return Template("{% load ui %}" + source).render(Context({"request": request, **context}))


def test_nav_sections_group_in_order_and_mark_the_open_one():
    entries = [
        {"key": "home", "section": "work", "active": False},
        {"key": "members", "section": "work", "active": True},
        {"key": "dashboard", "section": "oversee", "active": False},
        {"key": "audit", "section": "system", "active": False},
    ]
    groups = ui.nav_sections(entries)
    assert [(g["key"], str(g["label"]), len(g["entries"]), g["active"]) for g in groups] == [
        ("work", "工作", 2, True),
        ("oversee", "监督", 1, False),
        ("system", "系统", 1, False),
    ]
    assert ui.active_entry(entries)["key"] == "members"
    assert ui.active_entry([{"key": "home", "active": True}]) is None  # the home page is the crumb's root


def test_chart_rows_share_of_the_largest_from_pairs_dicts_and_objects():
    assert [(r["label"], r["share"]) for r in ui.chart_rows([("正式党员", 30), ("预备党员", 6)])] == [
        ("正式党员", 100.0),
        ("预备党员", 20.0),
    ]
    rows = ui.chart_rows(
        [{"label": "申请人", "total": 0}, {"label": "积极分子", "total": None}], "label", "total"
    )
    assert [(r["share"], r["text"]) for r in rows] == [(0, 0), (0, "—")]  # nothing to divide by, no error
    assert ui.chart_rows([]) == []


def test_page_sizes_mark_the_current_and_keep_an_unusual_one_within_bounds():
    assert [s["value"] for s in ui.page_sizes(25) if s["selected"]] == [25]
    assert 30 in [s["value"] for s in ui.page_sizes("30")]
    assert 100000 not in [s["value"] for s in ui.page_sizes(100000)]
    assert [s["value"] for s in ui.page_sizes("x")] == list(ui.PAGE_SIZES)


def test_query_helpers_keep_filters_and_drop_export_and_page():
    request = RequestFactory().get("/members/?status=full&status=probationary&page=3&export=xlsx&sort=name")
    query = render("{% querystring_with 'page' 4 %}", request)
    assert "page=4" in query and "export" not in query and query.count("status=") == 2
    hidden = render("{% hidden_query_fields 'per_page' %}", request)
    assert hidden.count('name="status"') == 2 and 'name="sort" value="name"' in hidden
    assert "page" not in hidden.replace("per_page", "") and "export" not in hidden


def test_export_buttons_link_to_the_current_list_with_the_format():
    request = RequestFactory().get("/members/?status=full&page=2")
    html = Template('{% include "core/components/export_buttons.html" %}').render(
        RequestContext(request, {"export_formats": [("xlsx", "Excel"), ("csv", "CSV")]})
    )
    assert 'href="?status=full&amp;export=xlsx"' in html and 'data-export="csv"' in html
    assert "导出 Excel" in html
    assert "export-btn" not in Template('{% include "core/components/export_buttons.html" %}').render(
        Context({})
    )


def test_empty_state_says_what_to_do_next():
    html = render('{% empty_state "暂无会议" "先安排本月的主题党日。" "/life/" "安排会议" %}')
    assert (
        "暂无会议" in html
        and "先安排本月的主题党日。" in html
        and 'href="/life/"' in html
        and "安排会议" in html
    )


def test_icon_is_decorative_unless_labelled():
    assert 'aria-hidden="true"' in ui.icon("home") and "#ti-home" in ui.icon("home")
    labelled = ui.icon("bell", 20, "通知")
    assert 'role="img"' in labelled and 'aria-label="通知"' in labelled


def test_subtree_chart_data_numbers_only():
    class Ind:
        code, label, unit, group, better = "dues_rate", "党费收缴率", "%", "党费", "high"

    data = ui.subtree_chart_data([{"name": "甲支部", "url": "/x/", "raw": ["93.5", None, "n/a"]}], [Ind()])
    assert data["children"][0]["raw"] == [93.5, None, None]
    assert data["indicators"][0]["code"] == "dues_rate"


@pytest.mark.django_db
def test_the_shell_renders_its_parts_for_a_manager_and_hides_the_switcher_from_a_member(client, world):
    client.force_login(world.users["xian"])
    html = client.get(reverse("members:list")).content.decode()
    for part in (
        'class="sidebar navbox"',
        'class="scope-switcher"',
        "data-default-crumbs",
        'id="toasts"',
        'hx-indicator="#qj-loading"',
        "修改密码",
        'class="mainnav"',
        "data-label=",
    ):
        assert part in html, part
    assert html.count('<details class="nav-section"') >= 2
    client.force_login(world.users["dangyuan"])
    html = client.get(reverse("home")).content.decode()
    assert 'class="scope-switcher"' not in html and 'class="sidebar navbox"' in html


@pytest.mark.django_db
def test_organisation_page_charts_the_member_categories(client, world):
    client.force_login(world.users["xian"])
    html = client.get(reverse("orgs:detail", kwargs={"pk": world.county.pk})).content.decode()
    assert 'class="qj-chart bars"' in html and "正式党员" in html and 'class="viewing"' in html
