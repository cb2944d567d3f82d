"""Shared helpers for the dues tests."""

import datetime
from decimal import Decimal

from qiangji.dues import services


def month(year: int, number: int) -> datetime.date:
    return datetime.date(year, number, 1)


JANUARY = datetime.date(2026, 1, 1)


def give_base(world, member=None, *, income="4000", category="employed", effective=JANUARY):
    """A base recorded by the branch secretary (4000 元 → 1 % → 40.00 元 a month)."""
    return services.record_base(
        actor=world.users["zhibu"],
        member=member or world.member,
        category=category,
        income=Decimal(income) if income is not None else None,
        effective_month=effective,
    )


def pay(world, months, amount, member=None, **kwargs):
    return services.record_payment(
        actor=world.users["zhibu"],
        member=member or world.member,
        months_paid=months,
        amount=Decimal(amount),
        method=kwargs.pop("method", "cash"),
        **kwargs,
    )
