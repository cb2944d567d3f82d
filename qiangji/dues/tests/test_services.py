"""Dues services: bases, payments, voluntary, reductions, online — every bad input saves nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from freezegun import freeze_time

from qiangji.core.models import AuditEntry
from qiangji.dues import selectors, services
from qiangji.dues.models import DuesBase, HardshipReduction, Payment
from qiangji.dues.payments.fake import FakeProvider
from qiangji.dues.tests.helpers import give_base, month, pay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]


@pytest.fixture
def _frozen():
    with freeze_time("2026-06-15 10:00:00"):
        yield


def refused(call, field, text):
    before = (Payment.objects.count(), DuesBase.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as error:
        call()
    assert text in " ".join(error.value.message_dict[field])
    assert (Payment.objects.count(), DuesBase.objects.count(), AuditEntry.objects.count()) == before


class TestBase:
    def test_records_amount_and_audit(self, world):
        base = give_base(world, income="3000.01")
        assert base.monthly_amount == Decimal("30.00") and base.rule.rate_percent == Decimal("1")
        entry = AuditEntry.objects.get(action="dues.base.recorded")
        assert entry.after["monthly_amount"] == "30.00" and entry.after["income"] == "3000.01"
        assert entry.target_id == str(world.member.pk) and entry.org_path == world.branch.path
        assert selectors.paid_up_to(world.member) is None

    def test_same_month_replaces_with_before_and_after(self, world):
        give_base(world, income="3000")
        give_base(world, income="6000")
        assert DuesBase.objects.get().monthly_amount == Decimal("90.00")
        entry = AuditEntry.objects.filter(action="dues.base.recorded").first()
        assert entry.before["monthly_amount"] == "15.00" and entry.after["monthly_amount"] == "90.00"

    def test_bad_bases(self, world):
        refused(lambda: give_base(world, income="-5"), "income", "不能为负数")
        refused(lambda: give_base(world, income="50000000"), "income", "年收入")
        refused(lambda: give_base(world, effective=month(2010, 6)), "effective_month", "早于起交月份")
        refused(lambda: give_base(world, effective=month(2026, 9)), "effective_month", "下个月")
        refused(lambda: give_base(world, income=None), "income", "必须填写")

    def test_retro_change_over_paid_months_is_refused(self, world):
        give_base(world)
        pay(world, [month(2026, 1)], "40")
        refused(
            lambda: give_base(world, effective=month(2026, 1), income="9000"),
            "effective_month",
            "已有交纳记录",
        )

    def test_foreign_and_member_role_get_404(self, world):
        for user in ("foreign", "dangyuan", "nobody"):
            with pytest.raises(Http404):
                services.record_base(
                    actor=world.users[user],
                    member=world.member,
                    category="student",
                    income=None,
                    effective_month=month(2026, 1),
                )
        assert not DuesBase.objects.exists()


class TestPayment:
    def test_quarterly_payment_moves_paid_up_to(self, world):
        give_base(world)
        rows = pay(world, [month(2026, 1), month(2026, 2), month(2026, 3)], "120.00")
        assert len(rows) == 3 and {row.batch for row in rows} == {rows[0].batch}
        assert all(row.is_makeup for row in rows)
        assert selectors.paid_up_to(world.member) == month(2026, 3)
        entry = AuditEntry.objects.get(action="dues.payment.recorded")
        assert (
            entry.after["months"] == ["2026-01", "2026-02", "2026-03"] and entry.after["amount"] == "120.00"
        )

    def test_prepay_to_quarter_end_but_not_beyond(self, world):
        give_base(world, effective=month(2026, 6))
        pay(world, [month(2026, 6)], "40")
        assert selectors.paid_up_to(world.member) == month(2026, 6)
        refused(lambda: pay(world, [month(2026, 7)], "40"), "months", "超出本季度")

    def test_gap_stops_paid_up_to(self, world):
        give_base(world)
        pay(world, [month(2026, 1), month(2026, 3)], "80")
        assert selectors.paid_up_to(world.member) == month(2026, 1)

    def test_month_already_paid(self, world):
        give_base(world)
        pay(world, [month(2026, 2)], "40")
        refused(
            lambda: pay(world, [month(2026, 2), month(2026, 3)], "80"), "months", "2026年02月的党费已交纳"
        )
        assert Payment.objects.count() == 1

    def test_amount_must_match_unless_extra(self, world):
        give_base(world)
        refused(lambda: pay(world, [month(2026, 2)], "39.99"), "amount", "应交 40.00 元，实交 39.99 元")
        refused(lambda: pay(world, [month(2026, 2)], "50"), "amount", "自愿多交")
        rows = pay(world, [month(2026, 2)], "1040", extra=True)
        voluntary = rows[-1]
        assert voluntary.kind == "voluntary" and voluntary.amount == Decimal("1000") and voluntary.to_centre

    def test_bad_months_and_amounts(self, world):
        give_base(world)
        refused(lambda: pay(world, [month(2010, 6)], "40"), "months", "早于起交月份")
        refused(lambda: pay(world, [month(2025, 12)], "40"), "months", "尚未登记党费基数")
        refused(lambda: pay(world, [], "40"), "months", "至少选择")
        refused(lambda: pay(world, [month(2026, 1)], "-40"), "amount", "必须大于0")
        refused(lambda: pay(world, [month(2026, 1)], "40", method="online"), "method", "在线支付")
        refused(
            lambda: pay(world, [month(2026, 1)], "40", paid_on=datetime.date(2026, 6, 16)),
            "paid_on",
            "晚于今天",
        )

    def test_suspended_member_pays_nothing(self, world):
        give_base(world)
        from qiangji.members.models import Member

        Member.objects.filter(pk=world.member.pk).update(status="suspended")
        refused(lambda: pay(world, [month(2026, 5)], "40"), "member", "不交纳党费")

    def test_makeup_limit_six_months_then_override_is_flagged(self, world):
        give_base(world, effective=month(2025, 10))
        pay(world, [month(2025, 12)], "40")  # 6 months back from June: allowed
        refused(lambda: pay(world, [month(2025, 11)], "40"), "months", "补交一般不超过6个月")
        rows = pay(world, [month(2025, 11)], "40", override_reason="长期住院，支部大会同意补交")
        assert rows[0].old_arrears and "住院" in rows[0].override_reason
        assert AuditEntry.objects.filter(action="dues.payment.recorded").first().after["old_arrears"] is True

    def test_voluntary_threshold(self, world):
        small = services.record_voluntary(
            actor=world.users["zhibu"], member=world.member, amount="999.99", method="transfer"
        )
        large = services.record_voluntary(
            actor=world.users["zhibu"], member=world.member, amount="1000", method="cash"
        )
        assert not small.to_centre and large.to_centre
        assert AuditEntry.objects.filter(action="dues.voluntary.recorded").first().after["to_centre"] is True


class TestReduction:
    def propose(self, world):
        give_base(world)
        return services.propose_reduction(
            actor=world.users["zhibu"],
            member=world.member,
            from_month=month(2026, 4),
            to_month=month(2026, 9),
            reduced_amount="0",
            reason="重病住院",
        )

    def test_two_sign_offs_then_amount_applies(self, world):
        reduction = self.propose(world)
        refused(lambda: pay(world, [month(2026, 4)], "0"), "amount", "应交 40.00 元")
        with pytest.raises(ValidationError, match="须先经支部同意"):
            services.decide_reduction(actor=world.users["jiedao"], reduction=reduction, approve=True)
        services.agree_reduction(actor=world.users["zhibu"], reduction=reduction)
        with pytest.raises(ValidationError, match="上级党组织"):
            services.decide_reduction(actor=world.users["zhibu"], reduction=reduction, approve=True)
        services.decide_reduction(actor=world.users["jiedao"], reduction=reduction, approve=True)
        assert HardshipReduction.objects.get().status == "approved"
        pay(world, [month(2026, 4)], "0")
        pay(world, [month(2026, 3)], "40")
        actions = list(
            AuditEntry.objects.filter(action__startswith="dues.reduction").values_list("action", flat=True)
        )
        assert sorted(actions) == [
            "dues.reduction.agreed",
            "dues.reduction.approved",
            "dues.reduction.proposed",
        ]

    def test_same_person_cannot_sign_twice(self, world):
        reduction = self.propose(world)
        services.agree_reduction(actor=world.users["jiedao"], reduction=reduction)
        with pytest.raises(ValidationError, match="两个不同的人"):
            services.decide_reduction(actor=world.users["jiedao"], reduction=reduction, approve=True)

    def test_rejection_needs_reason(self, world):
        reduction = self.propose(world)
        services.agree_reduction(actor=world.users["zhibu"], reduction=reduction)
        with pytest.raises(ValidationError):
            services.decide_reduction(actor=world.users["xian"], reduction=reduction, approve=False)
        services.decide_reduction(
            actor=world.users["xian"], reduction=reduction, approve=False, note="材料不全"
        )
        assert HardshipReduction.objects.get().status == "rejected"

    def test_bad_reduction(self, world):
        give_base(world)
        with pytest.raises(ValidationError, match="应低于正常标准"):
            services.propose_reduction(
                actor=world.users["zhibu"],
                member=world.member,
                from_month=month(2026, 4),
                to_month=month(2026, 5),
                reduced_amount="40",
                reason="困难",
            )
        with pytest.raises(Http404):
            services.agree_reduction(actor=world.users["foreign"], reduction=self.propose(world))


class TestOnline:
    def test_paid_order_is_recorded_once(self, world, fake_payments):
        give_base(world)
        order = services.start_online_payment(
            actor=world.users["dangyuan"], member=world.member, months_paid=[month(2026, 5), month(2026, 6)]
        )
        assert order.amount == Decimal("80.00")
        with pytest.raises(ValidationError, match="尚未支付"):
            services.confirm_online_payment(actor=world.users["dangyuan"], reference=order.reference)
        body, headers = FakeProvider().callback(order_no=order.order_no, amount=order.amount)
        outcome = services.receive_callback(provider="fake", body=body, headers=headers)
        assert outcome.ok and outcome.recorded
        assert sorted(Payment.objects.values_list("method", flat=True)) == ["online", "online"]
        assert (
            services.confirm_online_payment(actor=world.users["dangyuan"], reference=order.reference).status
            == "paid"
        )
        assert Payment.objects.count() == 2  # recorded once
        with pytest.raises(ValidationError, match="没有该订单"):
            services.confirm_online_payment(actor=world.users["dangyuan"], reference="FAKE-NOPE")

    def test_other_member_cannot_pay_through_someone_else(self, world, fake_payments):
        with pytest.raises(Http404):
            services.start_online_payment(
                actor=world.users["dangyuan"], member=world.foreign_member, months_paid=[month(2026, 6)]
            )


def test_demo_command_writes_through_services(world):
    from django.core.management import call_command

    call_command("dues_demo", members=3, seed=2)
    assert DuesBase.objects.count() == 3
    assert AuditEntry.objects.filter(action="dues.base.recorded").count() == 3
