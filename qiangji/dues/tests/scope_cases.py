"""Scope-walk contract for the dues app: URL kwargs pointing at an object in the FOREIGN subtree.

Lists (`{}`) must not show the foreign markers; objects must answer 404 and change nothing.
"""

import datetime
import uuid
from decimal import Decimal

from qiangji.dues.models import DuesAccount, DuesBase, HardshipReduction, Payment, PaymentOrder, Suggestion
from qiangji.dues.payments import fake_enabled


def foreign_reduction(world):
    return HardshipReduction.objects.create(
        member=world.foreign_member,
        from_month=datetime.date(2026, 1, 1),
        to_month=datetime.date(2026, 6, 1),
        reduced_amount=Decimal("0"),
        reason="外县困难党员",
    )


def foreign_suggestion(world):
    return Suggestion.objects.create(
        member=world.foreign_member,
        kind="lapse_dues",
        since=datetime.date(2025, 1, 1),
        detected_on=datetime.date(2026, 1, 1),
    )


def foreign_order(world):
    return PaymentOrder.objects.create(
        member=world.foreign_member,
        order_no=f"QJF{uuid.uuid4().hex[:12].upper()}",
        months=["2026-01"],
        amount=Decimal("0.20"),
        provider="fake",
        expires_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    ).order_no


def foreign_base(world):
    return DuesBase.objects.create(
        member=world.foreign_member,
        category="student",
        effective_month=datetime.date(2026, 1, 1),
        monthly_amount=Decimal("0.20"),
    )


def foreign_payment(world):
    return Payment.objects.create(
        member=world.foreign_member,
        organisation=world.foreign_branch,
        org_path=world.foreign_branch.path,
        month=datetime.date(2026, 1, 1),
        amount=Decimal("0.20"),
        expected_amount=Decimal("0.20"),
        method="cash",
        paid_on=datetime.date(2026, 1, 5),
        batch=uuid.uuid4(),
    )


def foreign_account(world):
    return DuesAccount.objects.create(member=world.foreign_member, start_month=datetime.date(2026, 1, 1))


def foreign_member(world):
    return {"pk": world.foreign_member.pk}


CASES = {
    "dues:month": lambda world: {},
    "dues:mine": lambda world: {},
    "dues:arrears": lambda world: {},
    "dues:arrears-export": lambda world: {},
    "dues:rates": lambda world: {},
    "dues:remittance": lambda world: {},
    "dues:reductions": lambda world: {},
    "dues:suggestions": lambda world: {},
    "dues:suggestions-compute": lambda world: {},
    "dues:reduction-agree": lambda world: {"pk": foreign_reduction(world).pk},
    "dues:reduction-decide": lambda world: {"pk": foreign_reduction(world).pk},
    "dues:suggestion-decide": lambda world: {"pk": foreign_suggestion(world).pk},
    "dues:member": foreign_member,
    "dues:base": foreign_member,
    "dues:pay": foreign_member,
    "dues:quick-pay": foreign_member,
    "dues:voluntary": foreign_member,
    "dues:reduction-new": foreign_member,
    "dues:pay-online": foreign_member,
    "dues:online-order": lambda world: {"order_no": foreign_order(world)},
    "dues-base-list": lambda world: {},
    "dues-base-detail": lambda world: {"pk": foreign_base(world).pk},
    "dues-payment-list": lambda world: {},
    "dues-payment-voluntary": lambda world: {},  # POST only; a foreign member in the body answers 404
    "dues-payment-detail": lambda world: {"pk": foreign_payment(world).pk},
    "dues-account-list": lambda world: {},
    "dues-account-detail": lambda world: {"pk": foreign_account(world).pk},
    "dues-reduction-list": lambda world: {},
    "dues-reduction-detail": lambda world: {"pk": foreign_reduction(world).pk},
    "dues-reduction-agree": lambda world: {"pk": foreign_reduction(world).pk},
    "dues-reduction-decide": lambda world: {"pk": foreign_reduction(world).pk},
    "dues-suggestion-list": lambda world: {},
    "dues-suggestion-compute": lambda world: {},
    "dues-suggestion-detail": lambda world: {"pk": foreign_suggestion(world).pk},
    "dues-suggestion-accept": lambda world: {"pk": foreign_suggestion(world).pk},
    "dues-suggestion-dismiss": lambda world: {"pk": foreign_suggestion(world).pk},
    "dues-arrears": lambda world: {},
    "dues-rates": lambda world: {},
    "dues-remittance": lambda world: {},
    "dues-online-start": lambda world: {},  # POST only; a foreign member in the body answers 404
    "dues-online-confirm": lambda world: {},  # POST only; the order's member is checked against the scope
}

EXEMPT: dict[str, str] = {}
if fake_enabled():  # the fake platform's checkout is mounted only where the fake is configured and allowed
    CASES["dues:fake-pay"] = lambda world: {"reference": foreign_order(world)}
    EXEMPT["dues:online-notify"] = (
        "the platform's server-to-server callback: no session; anything its signature "
        "does not prove answers 400 (dues/tests/test_payments_provider.py)"
    )
else:
    CASES["dues:online-notify"] = lambda world: {"provider": "fake"}  # no provider configured: 404
