"""Compliance pages: the subtree table for a period, the chart data, the lapse list, a member's life page."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from freezegun import freeze_time

from qiangji.life import services
from qiangji.life.tests.test_views_common import frozen as _frozen  # noqa: F401
from qiangji.life.tests.test_views_common import media as _media  # noqa: F401
from qiangji.life.tests.test_views_common import mtype, text, theme_day
from qiangji.testing import add_member

pytestmark = pytest.mark.django_db


def held_theme_day(world, day=datetime.date(2026, 3, 15), present=1):
    meeting = theme_day(world, planned_on=day)
    members = list(world.branch.members.order_by("pk"))
    for member in members[:present]:
        services.record_attendance(
            actor=world.users["zhibu"], meeting=meeting, member=member, status="present"
        )
    return services.record_held(actor=world.users["zhibu"], meeting=meeting, held_on=day)


def compliance_url(org, **query):
    url = reverse("life:compliance", kwargs={"org_pk": org.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


class TestCompliance:
    def test_committee_sees_which_branches_held_the_theme_day(self, world, client_as):
        held_theme_day(world, present=3)
        with freeze_time("2026-04-03 10:00:00+08:00"):  # the default is the last complete month: March
            body = text(client_as(world.users["jiedao"]).get(compliance_url(world.street)))
        assert "2026年3月" in body and world.branch.name in body and world.branch2.name in body
        assert "75%" in body  # 3 of 4 present
        table = body.split('class="table compliance-table"')[1]
        second = table.split(world.branch2.name)[1].split("</tr>")[0]
        assert "主题党日" in second and "cell-missing" in second  # branch 2 held nothing
        series = json.loads(re.search(r'id="compliance-series"[^>]*>(.*?)</script>', body, re.S).group(1))
        theme = next(s for s in series["series"] if s["name"] == "主题党日")
        assert series["months"][2] == "3月" and theme["data"][2] == 1

    def test_only_missing_quarter_and_year(self, world, client_as):
        held_theme_day(world)
        client = client_as(world.users["jiedao"])
        body = text(
            client.get(compliance_url(world.street, period="quarter", year=2026, number=1, missing="on"))
        )
        assert "2026年第1季度" in body and world.branch2.name in body
        assert "2026年" in text(client.get(compliance_url(world.street, period="year", year=2026)))

    def test_a_bad_period_names_the_field_and_falls_back(self, world, client_as):
        response = client_as(world.users["jiedao"]).get(
            compliance_url(world.street, period="quarter", number=7)
        )
        body = text(response)
        assert response.status_code == 200 and "序号须在1至4之间" in body
        assert "2026年2月" in body  # falls back to the last complete month (today is 20 March)
        body = text(client_as(world.users["jiedao"]).get(compliance_url(world.street, year="abc")))
        assert "年度：格式不正确" in body

    def test_a_branch_member_and_the_foreign_county_are_refused(self, world, client_as):
        assert client_as(world.users["dangyuan"]).get(compliance_url(world.branch)).status_code == 404
        assert client_as(world.users["foreign"]).get(compliance_url(world.street)).status_code == 404

    def test_query_count_does_not_grow_with_branches(self, world, client_as, django_assert_max_num_queries):
        from qiangji.testing import add_org

        for index in range(20):
            add_org(world.community, f"新支部{index}", "branch", "community")
        client = client_as(world.users["xian"])
        # Constant: rule look-ups and a few set-wise statements (on PostgreSQL each runs in a savepoint).
        with django_assert_max_num_queries(36):
            response = client.get(compliance_url(world.county))
        assert text(response).count("新支部") >= 20
        assert text(client.get(compliance_url(world.county, page=9))).count("新支部") >= 20  # past the end

    def test_exemptions_are_listed(self, world, client_as):
        services.grant_exemption(
            actor=world.users["jiedao"],
            organisation=world.branch2,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            reason="党支部正在撤销",
        )
        body = text(client_as(world.users["jiedao"]).get(compliance_url(world.street)))
        assert "党支部正在撤销" in body and "cell-exempt" in body


class TestLapse:
    def test_lapse_list_and_the_members_page(self, world, client_as):
        from qiangji.members.models import Member

        Member.objects.update(created_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
        held_theme_day(world, day=datetime.date(2026, 3, 15), present=1)  # 李四 attended
        client = client_as(world.users["jiedao"])
        body = text(client.get(reverse("life:lapsed", kwargs={"org_pk": world.street.pk})))
        assert "王五" in body and "李四" not in body and "2025-09-20" in body
        member = Member.objects.get(name="王五")
        page = text(client.get(reverse("life:member-life", kwargs={"pk": member.pk})))
        assert "已连续6个月未参加组织生活" in page
        mine = text(
            client_as(world.users["dangyuan"]).get(
                reverse("life:member-life", kwargs={"pk": world.member.pk})
            )
        )
        assert "已连续6个月" not in mine and "2026-03-15" in mine

    def test_a_member_cannot_read_the_list_or_another_member(self, world, client_as):
        client = client_as(world.users["dangyuan"])
        assert client.get(reverse("life:lapsed", kwargs={"org_pk": world.branch.pk})).status_code == 404
        other = add_member(world.branch, "周七")
        assert client.get(reverse("life:member-life", kwargs={"pk": other.pk})).status_code == 404

    def test_lapse_list_query_count(self, world, client_as, django_assert_max_num_queries):
        for index in range(30):
            add_member(world.branch, f"党员{index}")
        client = client_as(world.users["jiedao"])
        with django_assert_max_num_queries(12):
            assert client.get(reverse("life:lapsed", kwargs={"org_pk": world.street.pk})).status_code == 200


def test_meeting_types_are_data(world):
    assert mtype("theme_day").period_months == 1 and mtype("review").period_months == 12
