"""REST API: writes through the services (same Chinese messages), scope, query counts."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from qiangji.core.models import AuditEntry
from qiangji.dues import services
from qiangji.dues.models import Payment, Suggestion
from qiangji.dues.payments.fake import FakeProvider
from qiangji.dues.tests.helpers import give_base, month, pay
from qiangji.testing import add_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]


@pytest.fixture
def _frozen():
    with freeze_time("2026-06-15 10:00:00"):
        yield


def post(client, name, data, **kwargs):
    return client.post(reverse(name, kwargs=kwargs or None), data, content_type="application/json")


class TestWrites:
    def test_base_then_quarterly_payment(self, world, client_as):
        client = client_as(world.users["zhibu"])
        response = post(
            client,
            "dues-base-list",
            {
                "member": world.member.pk,
                "category": "employed",
                "income": "5000.01",
                "effective_month": "2026-04",
            },
        )
        assert response.status_code == 201 and response.json()["monthly_amount"] == "75.00"
        response = post(
            client,
            "dues-payment-list",
            {
                "member": world.member.pk,
                "months": ["2026-04", "2026-05", "2026-06"],
                "amount": "225.00",
                "method": "transfer",
            },
        )
        assert response.status_code == 201 and len(response.json()) == 3
        account = client.get(reverse("dues-account-list"), {"member": world.member.pk}).json()["results"][0]
        assert account["paid_up_to"] == "2026-06-01"

    def test_bad_input_answers_in_chinese_and_saves_nothing(self, world, client_as):
        client = client_as(world.users["zhibu"])
        response = post(
            client,
            "dues-base-list",
            {"member": world.member.pk, "category": "employed", "income": "-1", "effective_month": "2026-04"},
        )
        assert response.status_code == 400 and response.json()["detail"] == "月收入基数：不能为负数"
        give_base(world)
        pay(world, [month(2026, 5)], "40")
        response = post(
            client,
            "dues-payment-list",
            {"member": world.member.pk, "months": ["2026-05"], "amount": "40", "method": "cash"},
        )
        assert response.status_code == 400 and "已交纳" in response.json()["detail"]
        response = post(
            client,
            "dues-payment-list",
            {"member": world.member.pk, "months": ["2026-04"], "amount": "41", "method": "cash"},
        )
        assert "金额不符" in response.json()["detail"] and Payment.objects.count() == 1

    def test_foreign_member_in_body_is_404(self, world, client_as):
        response = post(
            client_as(world.users["zhibu"]),
            "dues-base-list",
            {"member": world.foreign_member.pk, "category": "student", "effective_month": "2026-04"},
        )
        assert (
            response.status_code == 404 and not AuditEntry.objects.filter(action__startswith="dues.").exists()
        )

    def test_voluntary_and_online(self, world, client_as, fake_payments):
        give_base(world)
        client = client_as(world.users["zhibu"])
        response = post(
            client, "dues-payment-voluntary", {"member": world.member.pk, "amount": "1000", "method": "cash"}
        )
        assert response.status_code == 201 and response.json()["to_centre"] is True
        member_client = client_as(world.users["dangyuan"])
        order = post(
            member_client, "dues-online-start", {"member": world.member.pk, "months": ["2026-06"]}
        ).json()
        body, headers = FakeProvider().callback(order_no=order["reference"], amount=order["amount"])
        assert services.receive_callback(provider="fake", body=body, headers=headers).recorded
        response = post(member_client, "dues-online-confirm", {"reference": order["reference"]})
        assert response.status_code == 200 and response.json()["status"] == "paid"
        assert Payment.objects.get(kind="regular").method == "online"

    def test_reduction_and_suggestion_decisions(self, world, client_as):
        give_base(world)
        branch = client_as(world.users["zhibu"])
        reduction = post(
            branch,
            "dues-reduction-list",
            {
                "member": world.member.pk,
                "from_month": "2026-06",
                "to_month": "2026-08",
                "reduced_amount": "1",
                "reason": "大病",
            },
        ).json()
        assert post(branch, "dues-reduction-agree", {}, pk=reduction["id"]).json()["status"] == "agreed"
        street = client_as(world.users["jiedao"])
        response = post(street, "dues-reduction-decide", {"approve": True}, pk=reduction["id"])
        assert response.json()["status"] == "approved"
        with freeze_time("2026-12-01"):
            street = client_as(world.users["jiedao"])  # a fresh session: the old one expired meanwhile
            response = post(street, "dues-suggestion-compute", {})
            assert response.json().get("opened", 0) >= 1, response.json()
            suggestion = Suggestion.objects.filter(member=world.member).first()
            response = post(street, "dues-suggestion-dismiss", {"reason": ""}, pk=suggestion.pk)
            assert response.status_code == 400 and "理由" in response.json()["detail"]
            response = post(street, "dues-suggestion-dismiss", {"reason": "已联系"}, pk=suggestion.pk)
            assert response.json()["status"] == "dismissed"


class TestReads:
    def test_member_sees_only_own_payments(self, world, client_as):
        other = add_member(world.branch, "同支部")
        give_base(world)
        give_base(world, member=other)
        pay(world, [month(2026, 5)], "40")
        pay(world, [month(2026, 5)], "40", member=other)
        rows = client_as(world.users["dangyuan"]).get(reverse("dues-payment-list")).json()["results"]
        assert [row["member"] for row in rows] == [world.member.pk]
        assert client_as(world.users["foreign"]).get(reverse("dues-payment-list")).json()["results"] == []

    def test_lists_have_bounded_queries(self, world, client_as, django_assert_max_num_queries):
        for index in range(20):
            member = add_member(world.branch, f"党员{index}")
            give_base(world, member=member, effective=month(2026, 3))
            pay(world, [month(2026, 3)], "40", member=member)
        client = client_as(world.users["xian"])
        for name, params in (
            ("dues-payment-list", {}),
            ("dues-account-list", {}),
            ("dues-arrears", {}),
            ("dues-rates", {"month": "2026-03"}),
            ("dues-remittance", {}),
            ("dues-base-list", {}),
        ):
            with django_assert_max_num_queries(8):
                response = client.get(reverse(name), params)
            assert response.status_code == 200, name
        rates = client.get(reverse("dues-rates"), {"month": "2026-03"}).json()
        assert rates[0]["organisation_name"] == "城关街道党工委" and rates[0]["rate"] == 100.0
        arrears = client.get(reverse("dues-arrears"), {"month": "2026-05"}).json()
        assert len(arrears) == 20 and arrears[0]["months_owed"] == 2


def test_member_filter_does_not_tell_foreign_ids_apart(world, client_as):
    client = client_as(world.users["zhibu"])
    for member in (world.foreign_member.pk, 999999):
        response = client.get(reverse("dues-payment-list"), {"member": member})
        assert response.status_code == 200 and response.json()["results"] == []
