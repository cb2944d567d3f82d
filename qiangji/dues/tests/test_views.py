"""HTML pages: scope per role, one-tap payment, bad input through forms, exports, query counts."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from qiangji.core.models import AuditEntry
from qiangji.dues import services
from qiangji.dues.models import HardshipReduction, Payment, Suggestion
from qiangji.dues.tests.helpers import give_base, month, pay
from qiangji.members.models import Member
from qiangji.testing import add_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]


@pytest.fixture
def _frozen():
    with freeze_time("2026-06-15 10:00:00"):
        yield


def text(response):
    return response.content.decode()


class TestMonthTable:
    def test_branch_sees_its_members_and_pays_in_one_tap(self, world, client_as):
        give_base(world)
        client = client_as(world.users["zhibu"])
        body = text(client.get(reverse("dues:month"), {"month": "2026-06"}))
        assert "李四" in body and "收 40.00 元" in body and "外县党员" not in body
        response = client.post(
            reverse("dues:quick-pay", args=[world.member.pk]), {"month": "2026-06"}, HTTP_HX_REQUEST="true"
        )
        assert "已交" in text(response) and "<html" not in text(response)
        assert Payment.objects.get().amount == 40
        again = client.post(reverse("dues:quick-pay", args=[world.member.pk]), {"month": "2026-06"})
        assert "已交纳，不能重复交纳" in text(again) and Payment.objects.count() == 1

    def test_query_count_does_not_grow(self, world, client_as, django_assert_max_num_queries):
        for index in range(30):
            member = add_member(world.branch, f"党员{index}")
            give_base(world, member=member, income="2500")
        client = client_as(world.users["jiedao"])
        with django_assert_max_num_queries(10):
            response = client.get(reverse("dues:month"), {"org": world.branch.pk, "month": "2026-05"})
        assert response.status_code == 200 and text(response).count("收 12.50 元") == 30

    def test_foreign_org_is_404_and_member_goes_to_own_page(self, world, client_as):
        assert (
            client_as(world.users["zhibu"])
            .get(reverse("dues:month"), {"org": world.foreign_branch.pk})
            .status_code
            == 404
        )
        response = client_as(world.users["dangyuan"]).get(reverse("dues:month"), follow=True)
        assert response.redirect_chain[-1][0] == reverse("dues:member", args=[world.member.pk])


class TestMemberPages:
    def test_member_sees_only_own_dues(self, world, client_as):
        give_base(world)
        pay(world, [month(2026, 1)], "40")
        client = client_as(world.users["dangyuan"])
        body = text(client.get(reverse("dues:member", args=[world.member.pk])))
        assert "2026年1月" in body and "在线交纳" in body and "登记交纳" not in body
        other = Member.objects.filter(organisation=world.branch).exclude(pk=world.member.pk).first()
        assert client.get(reverse("dues:member", args=[other.pk])).status_code == 404
        assert client.get(reverse("dues:pay", args=[world.member.pk])).status_code == 404

    def test_payment_form_bad_input_saves_nothing(self, world, client_as):
        give_base(world)
        client = client_as(world.users["zhibu"])
        url = reverse("dues:pay", args=[world.member.pk])
        response = client.post(
            url, {"months": ["2026-05"], "amount": "30", "method": "cash", "paid_on": "2026-06-15"}
        )
        assert response.status_code == 200 and "金额不符" in text(response)
        response = client.post(
            url, {"months": ["2026-05"], "amount": "40", "method": "cash", "paid_on": "2026-06-15"}
        )
        assert response.status_code == 302 and Payment.objects.count() == 1
        response = client.post(
            url, {"months": ["2026-05"], "amount": "40", "method": "cash", "paid_on": "2026-06-15"}
        )
        assert "已交纳" in text(response) and Payment.objects.count() == 1

    def test_base_form_refuses_negative_income(self, world, client_as):
        client = client_as(world.users["zhibu"])
        response = client.post(
            reverse("dues:base", args=[world.member.pk]),
            {"category": "employed", "income": "-100", "effective_month": "2026-01"},
        )
        assert "月收入基数：不能为负数" in text(response)
        assert not AuditEntry.objects.filter(action__startswith="dues.").exists()

    def test_online_payment_with_fake_provider(self, world, client_as, fake_payments):
        give_base(world)
        client = client_as(world.users["dangyuan"])
        response = client.post(reverse("dues:pay-online", args=[world.member.pk]), {"months": ["2026-06"]})
        assert response.status_code == 302 and "/dues/fake-pay/" in response["Location"]
        assert "40.00" in text(client.get(response["Location"]))
        client.post(response["Location"])
        assert Payment.objects.get().method == "online"


class TestLists:
    def setup_arrears(self, world):
        give_base(world)
        other = add_member(world.branch, "欠费甲")
        give_base(world, member=other, income="3000", effective=month(2025, 10))
        return other

    def test_arrears_page_and_exports(self, world, client_as, django_assert_max_num_queries):
        self.setup_arrears(world)
        client = client_as(world.users["jiedao"])
        with django_assert_max_num_queries(10):
            body = text(client.get(reverse("dues:arrears")))
        assert "欠费甲" in body and "超过6个月" in body
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse("dues:arrears-export"), {"fmt": fmt})
            content = b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code == 200 and content
        csv_text = b"".join(
            client.get(reverse("dues:arrears-export"), {"fmt": "csv"}).streaming_content
        ).decode()
        assert "欠费甲" in csv_text and "李四" in csv_text
        assert client.get(reverse("dues:arrears-export"), {"fmt": "pdf"}).status_code == 404

    def test_rates_and_remittance(self, world, client_as):
        self.setup_arrears(world)
        pay(world, [month(2026, 5)], "40")
        client = client_as(world.users["xian"])
        body = text(client.get(reverse("dues:rates"), {"month": "2026-05"}))
        assert "城关街道党工委" in body and "50.0%" in body
        body = text(client.get(reverse("dues:remittance"), {"from": "2026-06", "to": "2026-06"}))
        assert "城关街道党工委" in body and "40.00" in body


class TestDecisions:
    def test_reduction_two_sign_offs_through_pages(self, world, client_as):
        give_base(world)
        reduction = services.propose_reduction(
            actor=world.users["zhibu"],
            member=world.member,
            from_month=month(2026, 6),
            to_month=month(2026, 12),
            reduced_amount="0.2",
            reason="失业",
        )
        client_as(world.users["zhibu"]).post(reverse("dues:reduction-agree", args=[reduction.pk]))
        response = client_as(world.users["zhibu"]).post(
            reverse("dues:reduction-decide", args=[reduction.pk]), {"decision": "approve"}
        )
        assert "上级党组织" in text(response)
        body = text(client_as(world.users["jiedao"]).get(reverse("dues:reductions")))
        assert "李四" in body and "审批" in body
        client_as(world.users["jiedao"]).post(
            reverse("dues:reduction-decide", args=[reduction.pk]), {"decision": "approve"}
        )
        assert HardshipReduction.objects.get().status == "approved"

    def test_suggestion_compute_and_dismiss(self, world, client_as):
        with freeze_time("2025-11-10"):
            give_base(world, effective=month(2025, 11))
        client = client_as(world.users["jiedao"])
        client.post(reverse("dues:suggestions-compute"))
        assert "连续6个月不交纳党费" in text(client.get(reverse("dues:suggestions")))
        suggestion = Suggestion.objects.get()
        response = client.post(
            reverse("dues:suggestion-decide", args=[suggestion.pk]), {"decision": "dismiss"}
        )
        assert "必须说明理由" in text(response)
        client.post(
            reverse("dues:suggestion-decide", args=[suggestion.pk]),
            {"decision": "dismiss", "reason": "在外务工，已联系，承诺补交"},
        )
        assert Suggestion.objects.get().status == "dismissed"
        assert AuditEntry.objects.filter(action="dues.suggestion.dismissed").exists()

    def test_branch_cannot_compute_for_foreign_org(self, world, client_as):
        response = client_as(world.users["zhibu"]).post(
            reverse("dues:suggestions-compute") + f"?org={world.foreign_branch.pk}"
        )
        assert response.status_code == 404


def test_month_helpers():
    from qiangji.dues import months

    assert months.count(month(2025, 11), month(2026, 2)) == 4
    assert months.quarter_end(datetime.date(2026, 5, 9)) == month(2026, 6)
    assert months.parse("2026-13") is None and months.parse("2026-02") == month(2026, 2)


class TestDecisionListsQueries:
    def test_suggestions_and_reductions_pages_bounded(self, world, client_as, django_assert_max_num_queries):
        for index in range(15):
            member = add_member(world.branch, f"失联{index}")
            Member.objects.filter(pk=member.pk).update(
                status="lost_contact", lost_contact_since=month(2025, 1)
            )
            give_base(world, member=member)
            services.propose_reduction(
                actor=world.users["zhibu"],
                member=member,
                from_month=month(2026, 6),
                to_month=month(2026, 7),
                reduced_amount="1",
                reason="困难",
            )
        services.compute_suggestions(actor=None)
        client = client_as(world.users["jiedao"])
        with django_assert_max_num_queries(10):
            body = text(client.get(reverse("dues:suggestions")))
        assert body.count("失去联系满6个月，建议停止党籍") == 15
        with django_assert_max_num_queries(10):
            body = text(client.get(reverse("dues:reductions")))
        assert body.count("支部同意</button>") == 15


def test_command_computes_suggestions(world):
    from django.core.management import call_command

    Member.objects.filter(pk=world.member.pk).update(status="lost_contact", lost_contact_since=month(2025, 1))
    call_command("dues_suggestions")
    assert Suggestion.objects.get().kind == "suspend"
    entry = AuditEntry.objects.get(action="dues.suggestions.computed")
    assert entry.actor_name == "系统" and entry.request_id.startswith("job-")
