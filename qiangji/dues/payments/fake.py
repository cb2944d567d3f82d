"""The fake platform (demo and DEBUG only): no money moves, but its callbacks are real.

It behaves like WeChat Pay APIv3 seen from our side: it signs each callback with its own Ed25519 key
over `timestamp\\nnonce\\nbody\\n` and sends the signature, timestamp, nonce and key serial in headers;
our side verifies it with the public key only, through the same `verify_callback` a real adapter has.
The key is `QIANGJI_PAYMENT_FAKE_KEY` (PEM or a path) or else derived from SECRET_KEY, so every worker
process holds the same key and any of them can verify a callback.  Orders are ours (dues.PaymentOrder);
the fake keeps no state of its own.
"""

import datetime
import hashlib
import json
import secrets
from collections.abc import Mapping

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from qiangji.dues.payments import signatures
from qiangji.dues.payments.base import (
    CallbackRejected,
    Checkout,
    Notice,
    NoticeStatus,
    OrderRequest,
    PaymentProvider,
    to_fen,
)

HEADER_PREFIX = "fakepay-"
SUCCESS, CLOSED = "TRANSACTION.SUCCESS", "TRANSACTION.CLOSED"


def platform_key() -> Ed25519PrivateKey:
    configured = getattr(settings, "QIANGJI_PAYMENT_FAKE_KEY", "")
    if configured:
        key = signatures.load_private_key(configured)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("QIANGJI_PAYMENT_FAKE_KEY 须为 Ed25519 私钥")
        return key
    seed = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"qiangji.dues.fake-payment-platform"
    ).derive(settings.SECRET_KEY.encode())
    return Ed25519PrivateKey.from_private_bytes(seed)


def key_serial(key) -> str:
    return hashlib.sha256(signatures.public_pem(key.public_key()).encode()).hexdigest()[:16].upper()


class FakeProvider(PaymentProvider):
    name = "fake"
    label = "模拟支付（演示用）"

    def __init__(self, key: Ed25519PrivateKey | None = None):
        self._key = key

    @property
    def key(self) -> Ed25519PrivateKey:
        if self._key is None:
            self._key = platform_key()
        return self._key

    # ----- what our side calls (the interface) -------------------------------------------------

    def create_order(self, request: OrderRequest) -> Checkout:
        return Checkout(
            redirect_url=reverse("dues:fake-pay", args=[request.order_no]),
            provider_order_id=f"FAKE-PREPAY-{secrets.token_hex(6).upper()}",
        )

    def verify_callback(self, *, body: bytes, headers: Mapping[str, str]) -> Notice:
        headers = {name.lower(): value for name, value in headers.items()}
        try:
            timestamp, nonce, signature, serial = (
                headers[HEADER_PREFIX + part] for part in ("timestamp", "nonce", "signature", "serial")
            )
        except KeyError:
            raise CallbackRejected("缺少签名信息") from None
        if serial != key_serial(self.key):
            raise CallbackRejected("签名密钥序列号不符")
        signatures.verify(self.key.public_key(), signatures.signed_message(timestamp, nonce, body), signature)
        signatures.check_timestamp(timestamp)
        return parse(body)

    def query_order(self, order_no: str) -> Notice:
        # The fake keeps no books of its own: an order is paid once its signed callback was accepted, so
        # asked about any order it answers "not paid yet" (a settled order is never asked about).
        return Notice(order_no=order_no, amount_fen=0, status=NoticeStatus.PENDING)

    # ----- what the platform does (the demo's checkout page) -----------------------------------

    def callback(
        self,
        *,
        order_no: str,
        amount,
        paid: bool = True,
        transaction_id: str = "",
        timestamp: int | None = None,
        key: Ed25519PrivateKey | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers the platform POSTs to our notify URL, signed as a platform signs."""
        now = timezone.now()
        body = json.dumps(
            {
                "id": secrets.token_hex(8),
                "create_time": now.isoformat(),
                "event_type": SUCCESS if paid else CLOSED,
                "resource": {
                    "out_trade_no": order_no,
                    "transaction_id": transaction_id or f"FAKE{secrets.token_hex(8).upper()}",
                    "trade_state": "SUCCESS" if paid else "CLOSED",
                    "success_time": now.isoformat() if paid else None,
                    "amount": {"total": to_fen(amount), "currency": "CNY"},
                },
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        signer = key or self.key
        stamp, nonce = str(timestamp if timestamp is not None else int(now.timestamp())), signatures.nonce()
        return body, {
            "Fakepay-Timestamp": stamp,
            "Fakepay-Nonce": nonce,
            "Fakepay-Serial": key_serial(self.key),
            "Fakepay-Signature": signatures.sign(signer, signatures.signed_message(stamp, nonce, body)),
        }


def parse(body: bytes) -> Notice:
    try:
        data = json.loads(body)
        resource = data["resource"]
        state = resource["trade_state"]
        amount = resource["amount"]
        fen = amount["total"]
        if not isinstance(fen, int) or isinstance(fen, bool):
            raise TypeError
        paid_at = resource.get("success_time")
        return Notice(
            order_no=str(resource["out_trade_no"]),
            amount_fen=fen,
            currency=str(amount.get("currency", "")),
            status=NoticeStatus.PAID if state == "SUCCESS" else NoticeStatus.FAILED,
            provider_order_id=str(resource.get("transaction_id", ""))[:64],
            paid_at=datetime.datetime.fromisoformat(paid_at) if paid_at else None,
            raw=data,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise CallbackRejected("通知内容格式错误") from None
