"""Set-wise reads: lapse and lost contact at their boundaries, suggestions, arrears, rates, remittance."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from qiangji.core.models import AuditEntry
from qiangji.dues import selectors, services
from qiangji.dues.models import DuesAccount, Suggestion
from qiangji.dues.tests.helpers import give_base, month, pay
from qiangji.members.models import Member
from qiangji.testing import add_member

pytestmark = pytest.mark.django_db
D = datetime.date


def paid_through_november(world):
    """Dues paid up to November 2025: the first unpaid month starts on 1 December 2025."""
    with freeze_time("2025-12-10"):
        give_base(world, effective=month(2025, 11))
        pay(world, [month(2025, 11)], "40")


class TestLapse:
    def test_five_months_thirty_days_is_not_yet_six(self, world):
        paid_through_november(world)
        # 1 Dec 2025 + 5 months = 1 May; + 30 days = 31 May 2026
        assert (world.member.pk, "lapse_dues") not in selectors.flagged_members("", D(2026, 5, 31))
        flagged = selectors.flagged_members("", D(2026, 6, 1))
        assert flagged[(world.member.pk, "lapse_dues")] == D(2025, 12, 1)

    def test_never_paid_counts_from_start(self, world):
        with freeze_time("2025-12-10"):
            give_base(world, effective=month(2025, 12))
        assert not selectors.flagged_members("", D(2026, 5, 31))
        assert selectors.flagged_members("", D(2026, 6, 1))[(world.member.pk, "lapse_dues")] == D(2025, 12, 1)

    def test_lost_contact_boundary(self, world):
        Member.objects.filter(pk=world.member.pk).update(
            status="lost_contact", lost_contact_since=D(2025, 12, 1), status_since=D(2025, 12, 1)
        )
        assert (world.member.pk, "suspend") not in selectors.flagged_members("", D(2026, 5, 31))
        assert (world.member.pk, "suspend") in selectors.flagged_members("", D(2026, 6, 1))

    def test_month_end_matches_the_registry_rule(self, world):
        Member.objects.filter(pk=world.member.pk).update(
            status="lost_contact", lost_contact_since=D(2025, 8, 31), status_since=D(2025, 8, 31)
        )
        assert (world.member.pk, "suspend") in selectors.flagged_members("", D(2026, 2, 28))
        assert (world.member.pk, "suspend") not in selectors.flagged_members("", D(2026, 2, 27))

    def test_removal_two_years_after_suspension(self, world):
        Member.objects.filter(pk=world.member.pk).update(status="suspended", status_since=D(2024, 6, 1))
        assert (world.member.pk, "remove") not in selectors.flagged_members("", D(2026, 5, 31))
        assert (world.member.pk, "remove") in selectors.flagged_members("", D(2026, 6, 1))


class TestSuggestions:
    def test_compute_is_idempotent_and_audited(self, world):
        paid_through_november(world)
        with freeze_time("2026-06-01"):
            result = services.compute_suggestions(actor=world.users["jiedao"], root_path=world.street.path)
            again = services.compute_suggestions(actor=world.users["jiedao"], root_path=world.street.path)
        assert result["opened"] == 1 and again["opened"] == 0
        assert Suggestion.objects.get().since == D(2025, 12, 1)
        assert AuditEntry.objects.filter(action="dues.suggestions.computed").count() == 2

    def test_payment_retires_open_suggestion(self, world):
        paid_through_november(world)
        with freeze_time("2026-06-02"):
            services.compute_suggestions(actor=None)
            pay(world, [month(2025, 12)], "40")
            result = services.compute_suggestions(actor=None)
        assert result["retired"] == 1 and Suggestion.objects.get().status == "obsolete"

    def test_accept_records_status_through_registry(self, world):
        Member.objects.filter(pk=world.member.pk).update(
            status="lost_contact", lost_contact_since=D(2025, 12, 1), status_since=D(2025, 12, 1)
        )
        with freeze_time("2026-06-02"):
            services.compute_suggestions(actor=None)
            suggestion = Suggestion.objects.get()
            with pytest.raises(ValidationError, match="上级党组织"):
                services.accept_suggestion(actor=world.users["zhibu"], suggestion=suggestion)
            services.accept_suggestion(actor=world.users["jiedao"], suggestion=suggestion)
        world.member.refresh_from_db()
        assert world.member.status == "suspended" and world.member.membership_status == "suspended"
        suggestion.refresh_from_db()
        assert suggestion.status == "accepted" and suggestion.status_event.status == "suspended"
        entry = AuditEntry.objects.get(action="dues.suggestion.accepted")
        assert entry.after["new_status"] == "suspended" and entry.before["status"] == "open"
        assert AuditEntry.objects.filter(action="members.status.recorded").exists()

    def test_dismiss_needs_reason_and_is_not_reopened(self, world):
        paid_through_november(world)
        with freeze_time("2026-06-02"):
            services.compute_suggestions(actor=None)
            suggestion = Suggestion.objects.get()
            with pytest.raises(ValidationError, match="必须说明理由"):
                services.dismiss_suggestion(actor=world.users["jiedao"], suggestion=suggestion, reason=" ")
            services.dismiss_suggestion(
                actor=world.users["jiedao"], suggestion=suggestion, reason="援外医疗，已联系"
            )
            assert services.compute_suggestions(actor=None)["opened"] == 0
            with pytest.raises(ValidationError, match="已处理"):
                services.dismiss_suggestion(actor=world.users["jiedao"], suggestion=suggestion, reason="再次")
        world.member.refresh_from_db()
        assert world.member.status == "full"
        assert (
            AuditEntry.objects.get(action="dues.suggestion.dismissed").after["reason"] == "援外医疗，已联系"
        )


class TestLists:
    def test_arrears_and_rates(self, world, django_assert_max_num_queries):
        with freeze_time("2026-06-15"):
            give_base(world)
            pay(world, [month(2026, m) for m in range(1, 6)], "200")
            others = list(Member.objects.filter(organisation=world.branch).exclude(pk=world.member.pk))
            for other in others:
                give_base(world, member=other, income="3000")
            pay(world, [month(2026, 1)], "15", member=others[0])
            accounts = DuesAccount.objects.visible_to(world.users["zhibu"])
            with django_assert_max_num_queries(1):
                rows = list(selectors.arrears(accounts, month(2026, 5)))
            assert {row.member_id for row in rows} == {other.pk for other in others}
            first = next(row for row in rows if row.member_id == others[0].pk)
            assert selectors.arrears_row(first, month(2026, 5), D(2026, 6, 15)).months_owed == 4
            with django_assert_max_num_queries(3):
                rates = selectors.collection_rates(world.community, month(2026, 1))
        assert len(rates) == 1 and rates[0]["org"] == world.branch
        assert rates[0]["due_members"] == 4 and rates[0]["paid_members"] == 2 and rates[0]["rate"] == 50.0
        assert rates[0]["due_amount"] == Decimal("85.00") and rates[0]["paid_amount"] == Decimal("55.00")

    def test_remittance_rolls_up_by_prefix(self, world, django_assert_max_num_queries):
        foreign = add_member(world.foreign_branch, "外县甲")
        with freeze_time("2026-06-15"):
            give_base(world)
            pay(world, [month(2026, 5)], "1040", extra=True)
            services.record_base(
                actor=world.users["foreign"],
                member=foreign,
                category="student",
                income=None,
                effective_month=month(2026, 5),
            )
            services.record_payment(
                actor=world.users["foreign"],
                member=foreign,
                months_paid=[month(2026, 5)],
                amount="0.20",
                method="cash",
            )
        with django_assert_max_num_queries(2):
            rows = selectors.remittance(world.county, month(2026, 1), month(2026, 6))
        assert len(rows) == 1 and rows[0]["org"] == world.street
        assert rows[0]["regular"] == Decimal("40") and rows[0]["voluntary"] == Decimal("1000")
        assert rows[0]["centre"] == Decimal("1000") and rows[0]["total"] == Decimal("1040")
        city = selectors.remittance(world.city, month(2026, 1), month(2026, 6))
        assert {row["org"].name for row in city} == {"某县委", "另一县委"}


class TestLifeLapse:
    def test_six_months_without_organisational_life_is_a_suggestion(self, world):
        pytest.importorskip("qiangji.life.selectors.lapse")
        from qiangji.life.models import MemberLife

        MemberLife.objects.create(
            member=world.member, org_path=world.member.org_path, last_attended_on=D(2025, 12, 1)
        )
        assert (world.member.pk, "lapse_life") not in selectors.flagged_members("", D(2026, 5, 31))
        flagged = selectors.flagged_members("", D(2026, 6, 1))
        assert flagged[(world.member.pk, "lapse_life")] == D(2025, 12, 1)


def test_amount_due_takes_an_approved_reduction(world):
    with freeze_time("2026-06-15"):
        give_base(world)
        reduction = services.propose_reduction(
            actor=world.users["zhibu"],
            member=world.member,
            from_month=month(2026, 5),
            to_month=month(2026, 6),
            reduced_amount="0",
            reason="重病",
        )
        services.agree_reduction(actor=world.users["zhibu"], reduction=reduction)
        assert selectors.collection_rates(world.branch, month(2026, 5))[0]["due_amount"] == Decimal("40")
        services.decide_reduction(actor=world.users["jiedao"], reduction=reduction, approve=True)
        assert selectors.collection_rates(world.branch, month(2026, 5))[0]["due_amount"] == Decimal("0")
        assert selectors.collection_rates(world.branch, month(2026, 4))[0]["due_amount"] == Decimal("40")
