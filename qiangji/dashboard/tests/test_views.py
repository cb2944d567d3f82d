"""The screen as every role: own node, drill-down, breadcrumbs that stop at the user's node, the wall mode,
worst N, a foreign subtree (404), and a page that reads only the rollups."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qiangji.dashboard.tests.test_exceptions import troubles

pytestmark = pytest.mark.django_db

# Base tables the screen must not read (it reads rollups): members, cases, meetings, dues, flows.
BASE_TABLES = (
    "members_member",
    "recruitment_case",
    "life_meeting",
    "life_attendance",
    "dues_payment",
    "dues_duesaccount",
    "mobility_mobileflow",
    "orgs_committee",
)


def rebuild():
    from qiangji.dashboard.rollups.engine import rebuild as run

    run()


@pytest.fixture
def built(world):
    data = troubles(world)
    rebuild()
    return data


def node_url(org, **query) -> str:
    url = reverse("dashboard:node", kwargs={"pk": org.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize(
    "role, node",
    [
        ("sheng", "province"),
        ("xian", "county"),
        ("jiedao", "street"),
        ("zhibu", "branch"),
        ("admin", "province"),
    ],
)
def test_home_goes_to_the_users_own_node(world, client_as, role, node):
    response = client_as(world.users[role]).get(reverse("dashboard:home"))
    assert response.status_code == 302 and response["Location"] == node_url(getattr(world, node))


@pytest.mark.parametrize("role", ["dangyuan", "nobody"])
def test_a_member_or_a_user_without_a_grant_is_refused(world, client_as, role):
    client = client_as(world.users[role])
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 404
    assert client.get(node_url(world.branch)).status_code == 404  # not even the member's own branch


def test_anonymous_is_sent_to_sign_in(world, client):
    for url in (reverse("dashboard:home"), node_url(world.county)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role, node", [("sheng", "province"), ("xian", "county"), ("jiedao", "street"), ("zhibu", "branch")]
)
def test_every_staff_role_sees_its_node_with_figures_and_exceptions(world, built, client_as, role, node):
    org = getattr(world, node)
    response = client_as(world.users[role]).get(node_url(org))
    assert response.status_code == 200
    text = response.content.decode()
    assert org.name in text and "核心指标" in text and "完整度" in text and "更新于" in text
    assert 'id="trend-chart"' in text and "vendor/echarts-5.6.0.min.js" in text
    for code in ("dev_overdue", "life_missing", "term_overdue", "dues_arrears_6m", "mobile_unaccounted"):
        assert reverse("dashboard:exceptions", kwargs={"pk": org.pk, "kind": code}) in text


@pytest.mark.parametrize("role", ["xian", "jiedao", "zhibu"])
def test_a_foreign_node_is_a_404(world, built, client_as, role):
    client = client_as(world.users[role])
    for org in (world.foreign_county, world.foreign_branch, world.province):
        assert client.get(node_url(org)).status_code == 404


def test_the_province_may_open_the_foreign_county(world, built, client_as):
    assert client_as(world.users["sheng"]).get(node_url(world.foreign_county)).status_code == 200


def test_children_link_to_their_own_screens(world, built, client_as):
    response = client_as(world.users["xian"]).get(node_url(world.community))
    text = response.content.decode()
    for child in (world.branch, world.branch2):
        assert f'href="{node_url(child)}"' in text
    assert "各指标排名靠后的下级党组织" in text


def test_breadcrumbs_stop_at_the_users_own_node(world, built, client_as):
    text = client_as(world.users["xian"]).get(node_url(world.branch)).content.decode()
    crumbs = text.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    for org in (world.county, world.street, world.community):
        assert f'href="{node_url(org)}"' in crumbs
    assert world.city.name not in crumbs and world.province.name not in crumbs
    assert world.branch.name in crumbs


def test_the_province_sees_the_whole_line(world, built, client_as):
    text = client_as(world.users["sheng"]).get(node_url(world.branch)).content.decode()
    crumbs = text.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{node_url(world.province)}"' in crumbs and f'href="{node_url(world.city)}"' in crumbs


def test_worst_n_is_5_10_or_20(world, built, client_as):
    client = client_as(world.users["xian"])
    assert '<option value="10" selected>' in client.get(node_url(world.county, n=10)).content.decode()
    assert '<option value="5" selected>' in client.get(node_url(world.county, n=7)).content.decode()
    assert '<option value="5" selected>' in client.get(node_url(world.county, n="x")).content.decode()


def test_wall_mode_is_dark_and_refreshes_every_60_seconds(world, built, client_as):
    client = client_as(world.users["xian"])
    text = client.get(node_url(world.county, wall=1)).content.decode()
    assert 'class="dashboard wall"' in text and 'hx-trigger="every 60s"' in text
    assert f'hx-get="{node_url(world.county)}?wall=1&amp;n=5"' in text
    fragment = client.get(node_url(world.county, wall=1), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section id="screen"') and "<html" not in fragment
    assert 'id="trend-data"' in fragment


def test_the_screen_reads_rollups_only(world, built, client_as):
    client = client_as(world.users["sheng"])
    client.get(node_url(world.province))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(node_url(world.province)).status_code == 200
    # The user's scope looks up their own member record (every page does): not an aggregation.
    read = [q["sql"] for q in queries.captured_queries if '"members_member"."user_id" =' not in q["sql"]]
    pattern = re.compile(r'(?:FROM|JOIN)\s+"?(' + "|".join(BASE_TABLES) + r')"?[\s)]')
    touched = sorted({m for sql in read for m in pattern.findall(sql)})
    assert not touched, f"the screen read base tables: {touched}"
    assert len(queries.captured_queries) <= 15


def test_worst_children_on_the_screen_are_the_selectors_own(world, built):
    from qiangji.dashboard import selectors
    from qiangji.dashboard.figures import indicators, worst_rows

    for org in (world.county, world.community, world.city):
        kids = selectors.children(org)
        for indicator in indicators():
            for n in (1, 5):
                expected = [
                    (r["org_id"], r["value"]) for r in selectors.worst_children(org, indicator.code, n)
                ]
                assert [(r["org_id"], r["value"]) for r in worst_rows(kids, indicator, n)] == expected


def test_query_count_does_not_grow_with_children(world, built, client_as, django_assert_max_num_queries):
    from qiangji.testing import add_org

    client = client_as(world.users["jiedao"])
    client.get(node_url(world.community))
    with CaptureQueriesContext(connection) as before:
        client.get(node_url(world.community))
    for number in range(5):
        add_org(world.community, f"新建第{number}党支部", "branch", "community")
    rebuild()
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(node_url(world.community)).status_code == 200


def test_exception_list_agrees_with_the_count_on_the_screen(world, built, client_as):
    from qiangji.dashboard import selectors

    counts = selectors.node_summary(world.county)["exception_counts"]
    client = client_as(world.users["xian"])
    for code, count in counts.items():
        response = client.get(reverse("dashboard:exceptions", kwargs={"pk": world.county.pk, "kind": code}))
        assert response.status_code == 200
        assert response.context["total"] == count, code
        assert len(response.context["rows"]) == min(count, 50), code
    assert (
        counts["dues_arrears_6m"] == 1 and counts["term_overdue"] == 1 and counts["mobile_unaccounted"] == 1
    )
    assert counts["dev_overdue"] >= 2


def test_the_exception_page_links_each_record_and_goes_back(world, built, client_as):
    url = reverse("dashboard:exceptions", kwargs={"pk": world.county.pk, "kind": "dues_arrears_6m"})
    text = client_as(world.users["xian"]).get(url).content.decode()
    assert f'href="/dues/members/{world.member.pk}/"' in text and "李四" in text
    assert f'href="{node_url(world.county)}"' in text  # breadcrumbs back to the screen
    assert "外县欠费" not in text


def test_an_unknown_kind_is_a_404(world, client_as):
    url = reverse("dashboard:exceptions", kwargs={"pk": world.county.pk, "kind": "nope"})
    assert client_as(world.users["xian"]).get(url).status_code == 404


def test_exception_pages_past_the_end_show_the_last_page(world, built, client_as):
    url = reverse("dashboard:exceptions", kwargs={"pk": world.county.pk, "kind": "dev_overdue"})
    response = client_as(world.users["xian"]).get(url + "?page=99")
    assert response.status_code == 200 and response.context["page"].number == 1 and response.context["rows"]


def test_nav_shows_the_dashboard_to_staff_only(world, client_as):
    assert 'href="/dashboard/"' in client_as(world.users["xian"]).get(reverse("home")).content.decode()
    assert (
        'href="/dashboard/"' not in client_as(world.users["dangyuan"]).get(reverse("home")).content.decode()
    )


def test_every_node_lists_as_many_records_as_it_counts(world, built):
    """At every level, province to branch (and the foreign county), list total = screen count."""
    from qiangji.dashboard import exceptions, selectors

    user, day = world.users["sheng"], built["today"]
    nodes = (
        world.province,
        world.city,
        world.county,
        world.street,
        world.community,
        world.branch,
        world.branch2,
        world.foreign_county,
        world.foreign_branch,
    )
    for org in nodes:
        counts = selectors.node_summary(org)["exception_counts"]
        assert set(counts) == set(exceptions.KINDS)
        for code, count in counts.items():
            assert exceptions.count(code, user, org, day) == count, (org.name, code)
    assert selectors.node_summary(world.province)["exception_counts"]["term_overdue"] == 2


def test_a_user_bound_to_two_nodes_chooses_between_them(world, client_as):
    from qiangji.core.choices import Role
    from qiangji.orgs.models import Grant
    from qiangji.testing import add_user

    user = add_user("liangdi", world.county, Role.COUNTY)
    Grant.objects.create(
        user=user, organisation=world.foreign_county, org_path=world.foreign_county.path, role=Role.COUNTY
    )
    response = client_as(user).get(reverse("dashboard:home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert f'href="{node_url(world.county)}"' in text and f'href="{node_url(world.foreign_county)}"' in text


def test_figures_are_shown_as_people_read_them():
    import datetime

    from django.utils import timezone

    from qiangji.dashboard.figures import display, quality
    from qiangji.dashboard.indicators import BY_CODE

    assert display(62.24, BY_CODE["life_compliance"]) == "62.2%"
    assert display(None, BY_CODE["life_compliance"]) == "—"
    assert display(20000, BY_CODE["members"]) == "20,000人"
    month = datetime.date(2026, 11, 1)
    stamp = datetime.datetime(2026, 11, 28, 8, 5, tzinfo=timezone.get_current_timezone())
    note = quality({"completeness": 0.987, "updated_at": stamp, "period": datetime.date(2026, 10, 1)}, month)
    assert note.startswith("完整度 99%") and "2026年10月" in note and "更新于 11-28" in note
    assert quality({"completeness": None, "updated_at": None, "period": month}, month) == "尚未汇总"
    assert quality(None) == "暂无数据"
