"""Committee pages: push a theme with its checklist, see plans, review list, exemptions."""

import datetime

import pytest
from django.urls import reverse

from qiangji.core.models import AuditEntry
from qiangji.life import services
from qiangji.life.models import ChecklistItem, Meeting, MeetingExemption, MonthlyTheme, PlanItem
from qiangji.life.tests.test_views_common import frozen as _frozen  # noqa: F401
from qiangji.life.tests.test_views_common import media as _media  # noqa: F401
from qiangji.life.tests.test_views_common import mtype, push, text, theme_day

pytestmark = pytest.mark.django_db


def push_url(org):
    return reverse("life:theme-push", kwargs={"org_pk": org.pk})


class TestPushTheme:
    def test_committee_pushes_a_theme_to_its_subtree(self, world, client_as):
        services.make_plan(actor=world.users["zhibu"], organisation=world.branch, year=2026)
        client = client_as(world.users["jiedao"])
        form = text(client.get(push_url(world.street)))
        assert "集中学习一小时" in form  # the usual required activities are prefilled
        response = client.post(
            push_url(world.street),
            {
                "year": 2026,
                "month": 4,
                "title": "四月主题党日",
                "text": "结合清明祭扫",
                "required_items": "集中学习一小时\n- 重温入党誓词\n\n",
                "optional_items": "志愿服务",
            },
        )
        theme = MonthlyTheme.objects.get()
        assert response.status_code == 302 and response["Location"].endswith(f"/life/themes/{theme.pk}/")
        assert [(i.kind, i.title) for i in theme.items.order_by("position")] == [
            ("required", "集中学习一小时"),
            ("required", "重温入党誓词"),
            ("optional", "志愿服务"),
        ]
        assert PlanItem.objects.filter(theme=theme).count() == 1  # the branch's existing plan inherits it
        entry = AuditEntry.objects.get(action="life.theme.pushed")
        assert entry.after["title"] == "四月主题党日"
        # The branch sees it pushed from above.
        branch = text(
            client_as(world.users["zhibu"]).get(reverse("life:monthlytheme-detail", kwargs={"pk": theme.pk}))
        )
        assert "重温入党誓词" in branch and "添加动作" not in branch

    def test_bad_input_saves_nothing(self, world, client_as):
        client = client_as(world.users["jiedao"])
        response = client.post(push_url(world.street), {"year": 2026, "month": 13, "title": ""})
        body = text(response)
        assert response.status_code == 400 and "月份：数值过大" in body and "主题：必填" in body
        response = client.post(push_url(world.street), {"year": 2026, "month": 4, "title": "x"})
        assert "规定动作：至少填写一项" in text(response)
        push(world, month=4)
        response = client.post(
            push_url(world.street), {"year": 2026, "month": 4, "title": "y", "required_items": "学习"}
        )
        assert response.status_code == 400 and "主题已经发布" in text(response)
        assert MonthlyTheme.objects.count() == 1

    @pytest.mark.parametrize("role", ["zhibu", "dangyuan", "foreign", "nobody"])
    def test_who_may_not_push_for_the_street(self, world, client_as, role):
        response = client_as(world.users[role]).post(
            push_url(world.street), {"year": 2026, "month": 4, "title": "x", "required_items": "学习"}
        )
        assert response.status_code == 404 and not MonthlyTheme.objects.exists()

    def test_a_branch_cannot_push(self, world, client_as):
        response = client_as(world.users["zhibu"]).get(push_url(world.branch))
        assert response.status_code == 404

    def test_add_an_item_later(self, world, client_as):
        theme = push(world)
        client = client_as(world.users["jiedao"])
        url = reverse("life:monthlytheme-detail", kwargs={"pk": theme.pk})
        assert client.post(url, {"kind": "required", "title": ""}).status_code == 400
        client.post(url, {"kind": "optional", "title": "走访困难党员"})
        assert ChecklistItem.objects.filter(theme=theme, title="走访困难党员").exists()


class TestCommitteePages:
    def test_committee_page_reviews_and_plans(self, world, client_as):
        push(world)
        meeting = theme_day(world)
        Meeting.objects.filter(pk=meeting.pk).update(status="submitted", held_on=datetime.date(2026, 3, 15))
        services.make_plan(actor=world.users["zhibu"], organisation=world.branch, year=2026)
        client = client_as(world.users["jiedao"])
        page = text(client.get(reverse("life:committee", kwargs={"org_pk": world.street.pk})))
        assert "学习贯彻党的二十大精神" in page and '<span class="badge red">1</span>' in page
        reviews = text(client.get(reverse("life:reviews", kwargs={"org_pk": world.street.pk})))
        assert meeting.title in reviews and world.branch.name in reviews
        plans = text(client.get(reverse("life:plans", kwargs={"org_pk": world.street.pk}), {"year": 2026}))
        assert "2026年度组织生活计划" in plans

    def test_review_list_query_count(self, world, client_as, django_assert_max_num_queries):
        for day in range(1, 16):
            meeting = theme_day(world, planned_on=datetime.date(2026, 3, day))
            Meeting.objects.filter(pk=meeting.pk).update(status="submitted", held_on=meeting.planned_on)
        client = client_as(world.users["jiedao"])
        with django_assert_max_num_queries(12):
            response = client.get(reverse("life:reviews", kwargs={"org_pk": world.street.pk}))
        assert text(response).count("/life/meetings/") >= 15

    def test_a_member_cannot_open_the_committee_page(self, world, client_as):
        url = reverse("life:committee", kwargs={"org_pk": world.street.pk})
        assert client_as(world.users["dangyuan"]).get(url).status_code == 404


class TestExemption:
    def test_grant_and_bad_input(self, world, client_as):
        client = client_as(world.users["jiedao"])
        url = reverse("life:exemption-new", kwargs={"org_pk": world.street.pk})
        response = client.post(
            url,
            {
                "organisation": world.branch2.pk,
                "starts_on": "2026-03-01",
                "ends_on": "2026-02-01",
                "reason": "撤销中",
            },
        )
        assert response.status_code == 400 and "截止日期不能早于起始日期" in text(response)
        response = client.post(
            url,
            {
                "organisation": world.foreign_branch.pk,
                "starts_on": "2026-03-01",
                "ends_on": "2026-12-31",
                "reason": "x",
            },
        )
        assert response.status_code == 400 and "党支部：选项无效" in text(response)
        assert not MeetingExemption.objects.exists()
        client.post(
            url,
            {
                "organisation": world.branch2.pk,
                "meeting_type": mtype("theme_day").pk,
                "starts_on": "2026-03-01",
                "ends_on": "2026-12-31",
                "reason": "党支部正在撤销",
            },
        )
        assert MeetingExemption.objects.get().reason == "党支部正在撤销"
