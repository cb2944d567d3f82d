"""The online-payment provider interface.  No real provider ships: `FakeProvider` serves tests and the demo.

A real provider (a bank or payment platform) implements `PaymentProvider` and is named in the
setting `QIANGJI_DUES_PAYMENT_PROVIDER` (a dotted path).  The platform never trusts the browser: a
payment is recorded only after `status()` asked the provider, and a reference is recorded once.
"""

import abc
import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_PROVIDER = "qiangji.dues.providers.FakeProvider"


@dataclass(frozen=True)
class Order:
    reference: str
    amount: Decimal
    pay_url: str


@dataclass(frozen=True)
class OrderStatus:
    reference: str
    paid: bool
    amount: Decimal | None = None
    paid_on: datetime.date | None = None
    metadata: dict = field(default_factory=dict)


class PaymentProvider(abc.ABC):
    code = ""

    @abc.abstractmethod
    def create_order(self, *, amount: Decimal, description: str, metadata: dict) -> Order:
        """Open an order at the provider; the member pays at `pay_url`."""

    @abc.abstractmethod
    def status(self, reference: str) -> OrderStatus | None:
        """Ask the provider whether the order is paid; None for an unknown reference."""


class FakeProvider(PaymentProvider):
    """In-process provider: orders live in a class-level dict; `settle()` plays the member paying."""

    code = "fake"
    orders: dict[str, dict] = {}

    def create_order(self, *, amount, description, metadata):
        reference = f"FAKE-{uuid.uuid4().hex[:16].upper()}"
        self.orders[reference] = {"amount": amount, "paid_on": None, "metadata": dict(metadata)}
        return Order(reference=reference, amount=amount, pay_url=f"/dues/fake-pay/{reference}/")

    def status(self, reference):
        order = self.orders.get(reference)
        if order is None:
            return None
        return OrderStatus(reference=reference, paid=order["paid_on"] is not None, amount=order["amount"],
                           paid_on=order["paid_on"], metadata=order["metadata"])

    @classmethod
    def settle(cls, reference: str, paid_on: datetime.date, amount: Decimal | None = None) -> None:
        order = cls.orders[reference]
        order["paid_on"] = paid_on
        if amount is not None:
            order["amount"] = amount


def get_provider() -> PaymentProvider:
    return import_string(getattr(settings, "QIANGJI_DUES_PAYMENT_PROVIDER", DEFAULT_PROVIDER))()
