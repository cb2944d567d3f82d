"""The provider interface: open an order, verify a signed callback, query an order.

An adapter never writes to the database and never trusts the browser: it turns the platform's
messages into a `Notice` only after checking the platform's signature, and the dues services decide
what a notice does to an order (amount, existence, idempotency).  Amounts travel in fen (分, integers),
as every Chinese payment platform sends them.
"""

import abc
import datetime
import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


class ProviderError(Exception):
    """The platform could not be reached or refused a request (message in Chinese, for the user)."""


class CallbackRejected(Exception):
    """A callback that must change nothing: bad or missing signature, stale timestamp, malformed body."""


class NoticeStatus(enum.StrEnum):
    PAID = "paid"
    FAILED = "failed"  # closed, revoked or failed at the platform
    PENDING = "pending"  # not paid yet (query only)


@dataclass(frozen=True)
class OrderRequest:
    """What the platform needs to open an order: our order number, the sum, where to call back."""

    order_no: str
    amount: Decimal
    description: str
    notify_url: str
    return_url: str
    expires_at: datetime.datetime


@dataclass(frozen=True)
class Checkout:
    """Where the member pays: a page to redirect to, and/or QR content (WeChat's code_url)."""

    redirect_url: str = ""
    qr_code: str = ""
    provider_order_id: str = ""  # the platform's id when it gives one at creation (prepay id)


@dataclass(frozen=True)
class Notice:
    """A platform's statement about one order, already signature-checked by the adapter."""

    order_no: str
    amount_fen: int
    status: NoticeStatus
    provider_order_id: str = ""
    paid_at: datetime.datetime | None = None
    currency: str = "CNY"
    raw: Mapping = field(default_factory=dict)

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_fen) / 100


@dataclass(frozen=True)
class Acknowledgement:
    """The HTTP answer the platform expects to a callback (WeChat: JSON code, Alipay: the word success)."""

    status: int
    content_type: str
    body: bytes


def to_fen(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).to_integral_value())


class PaymentProvider(abc.ABC):
    """One payment platform.  Subclasses set `name` (the registry key) and `label` (shown to people)."""

    name = ""
    label = ""
    # Settings the adapter cannot work without; the system check names the missing ones.
    required_settings: tuple[str, ...] = ()

    @abc.abstractmethod
    def create_order(self, request: OrderRequest) -> Checkout:
        """Open the order at the platform (raise ProviderError when it refuses)."""

    @abc.abstractmethod
    def verify_callback(self, *, body: bytes, headers: Mapping[str, str]) -> Notice:
        """Check the platform's signature over the raw body (headers lower-cased) and parse it.

        Raise CallbackRejected for anything not signed by the platform's key.  Do not look at the
        database: the dues service checks the order, the amount and whether it was already settled."""

    @abc.abstractmethod
    def query_order(self, order_no: str) -> Notice:
        """Ask the platform about an order; the answer's signature is checked like a callback's."""

    def acknowledge(self, *, ok: bool, message: str = "") -> Acknowledgement:
        """The answer to a callback; platforms retry until they get a success."""
        body = {"code": "SUCCESS"} if ok else {"code": "FAIL", "message": message}
        return Acknowledgement(
            200 if ok else 400, "application/json", json.dumps(body, ensure_ascii=False).encode()
        )
