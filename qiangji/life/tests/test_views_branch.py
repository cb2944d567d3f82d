"""The branch calendar and to-do, and the year plan (pushed themes inherited, never dropped silently)."""

import datetime

import pytest
from django.urls import reverse

from qiangji.core.models import AuditEntry
from qiangji.life import services
from qiangji.life.models import PlanItem, YearPlan
from qiangji.life.tests.test_views_common import frozen as _frozen  # noqa: F401
from qiangji.life.tests.test_views_common import media as _media  # noqa: F401
from qiangji.life.tests.test_views_common import mtype, push, text, theme_day

pytestmark = pytest.mark.django_db


def calendar_url(world, month=""):
    url = reverse("life:calendar", kwargs={"org_pk": world.branch.pk})
    return f"{url}?month={month}" if month else url


class TestCalendar:
    def test_secretary_sees_what_is_due_and_the_pushed_theme(self, world, client_as):
        push(world)
        theme_day(world)
        body = text(client_as(world.users["zhibu"]).get(calendar_url(world)))
        assert "2026年3月" in body and "本月待办" in body
        assert "支部委员会会议" in body and "主题党日" in body  # required types from the rule table
        assert "学习贯彻党的二十大精神" in body and "集中学习一小时" in body and "规定动作" in body
        assert 'class="day today' in body or "today" in body
        assert reverse("life:meeting-new", kwargs={"org_pk": world.branch.pk}) in body

    def test_member_reads_own_branch_without_buttons(self, world, client_as):
        body = text(client_as(world.users["dangyuan"]).get(calendar_url(world)))
        assert "本月待办" in body and "安排会议" not in body

    def test_other_months_and_a_bad_month(self, world, client_as):
        client = client_as(world.users["zhibu"])
        assert "2026年5月" in text(client.get(calendar_url(world, "2026-05")))
        assert "2026年3月" in text(client.get(calendar_url(world, "2026-13")))
        assert "2026年3月" in text(client.get(calendar_url(world, "abc")))

    @pytest.mark.parametrize("role", ["foreign", "nobody"])
    def test_outside_the_subtree_is_a_404(self, world, client_as, role):
        assert client_as(world.users[role]).get(calendar_url(world)).status_code == 404

    def test_a_committee_is_not_a_branch(self, world, client_as):
        url = reverse("life:calendar", kwargs={"org_pk": world.community.pk})
        assert client_as(world.users["jiedao"]).get(url).status_code == 404

    def test_query_count_is_bounded(self, world, client_as, django_assert_max_num_queries):
        push(world)
        for day in range(1, 20):
            theme_day(world, planned_on=datetime.date(2026, 3, day))
        client = client_as(world.users["zhibu"])
        with django_assert_max_num_queries(40):
            assert client.get(calendar_url(world)).status_code == 200


class TestPlan:
    def test_plan_inherits_pushed_themes_and_a_pushed_item_needs_a_reason(self, world, client_as):
        push(world, month=3)
        push(world, month=4, title="四月主题")
        client = client_as(world.users["zhibu"])
        response = client.post(reverse("life:plan-make", kwargs={"org_pk": world.branch.pk}), {"year": 2026})
        plan = YearPlan.objects.get()
        assert response.status_code == 302 and plan.items.filter(theme__isnull=False).count() == 2
        body = text(client.get(reverse("life:yearplan-detail", kwargs={"pk": plan.pk})))
        assert "四月主题" in body and "上级推送" in body
        item = plan.items.get(theme__month=4)
        drop = reverse("life:plan-item-drop", kwargs={"pk": item.pk})
        refused = client.post(drop, {"reason": ""}, follow=True)
        assert "取消须写明理由" in text(refused)
        item.refresh_from_db()
        assert not item.is_dropped and not AuditEntry.objects.filter(action="life.plan_item.dropped").exists()
        client.post(drop, {"reason": "与换届选举冲突，改在5月"})
        item.refresh_from_db()
        assert item.is_dropped and item.dropped_reason.startswith("与换届")

    def test_add_item_bad_input_and_a_second_plan(self, world, client_as):
        client = client_as(world.users["zhibu"])
        client.post(reverse("life:plan-make", kwargs={"org_pk": world.branch.pk}), {"year": 2026})
        plan = YearPlan.objects.get()
        url = reverse("life:yearplan-detail", kwargs={"pk": plan.pk})
        response = client.post(url, {"meeting_type": mtype("lecture").pk, "planned_on": "2027-01-05"})
        assert response.status_code == 400 and "计划日期须在2026年内" in text(response)
        assert not PlanItem.objects.exists()
        client.post(
            url, {"meeting_type": mtype("lecture").pk, "planned_on": "2026-06-05", "title": "七一党课"}
        )
        assert PlanItem.objects.get().title == "七一党课"
        again = client.post(reverse("life:plan-make", kwargs={"org_pk": world.branch.pk}), {"year": 2026})
        assert again.status_code == 400 and "年度计划已经存在" in text(again)

    def test_a_planned_item_is_on_the_calendar_and_can_be_scheduled(self, world, client_as):
        plan = services.make_plan(actor=world.users["zhibu"], organisation=world.branch, year=2026)
        item = services.add_plan_item(
            actor=world.users["zhibu"],
            plan=plan,
            meeting_type=mtype("group"),
            planned_on=datetime.date(2026, 3, 27),
            title="三月党小组会",
        )
        client = client_as(world.users["zhibu"])
        assert "三月党小组会" in text(client.get(calendar_url(world)))
        new = reverse("life:meeting-new", kwargs={"org_pk": world.branch.pk}) + f"?plan_item={item.pk}"
        client.post(new, {"meeting_type": mtype("group").pk, "planned_on": "2026-03-27"})
        assert item.meetings.count() == 1

    def test_foreign_plan_item_cannot_be_dropped(self, world, client_as):
        from qiangji.life.tests.scope_cases import foreign_life

        item = foreign_life(world)["plan_item"]
        response = client_as(world.users["xian"]).post(
            reverse("life:plan-item-drop", kwargs={"pk": item.pk}), {"reason": "x"}
        )
        item.refresh_from_db()
        assert response.status_code == 404 and not item.is_dropped


def test_home_sends_a_secretary_to_the_calendar_and_lists_orgs_for_a_committee(world, client_as):
    response = client_as(world.users["zhibu"]).get(reverse("life:home"))
    assert response.status_code == 302 and response["Location"] == calendar_url(world)
    body = text(client_as(world.users["jiedao"]).get(reverse("life:home")))
    assert world.street.name in body and reverse("life:committee", kwargs={"org_pk": world.street.pk}) in body
