"""Online dues payments: one provider interface, a registry by name, signed-callback verification.

`base.PaymentProvider` is the interface every adapter implements (WeChat Pay, Alipay, UnionPay, …);
`registry.get_provider()` returns the configured one (`QIANGJI_PAYMENT_PROVIDER`, empty = online payment
off), `signatures` has the key loading and signature checks the adapters share, and `fake.FakeProvider`
is the demo's platform (DEBUG or `QIANGJI_DEMO` only).  See docs/adr/0015-online-dues-payments.md.
"""

from qiangji.dues.payments.base import (
    CallbackRejected,
    Checkout,
    Notice,
    NoticeStatus,
    OrderRequest,
    PaymentProvider,
    ProviderError,
)
from qiangji.dues.payments.registry import (
    PROVIDERS,
    configured_name,
    fake_allowed,
    fake_enabled,
    get_provider,
    online_enabled,
    register,
)

__all__ = [
    "PROVIDERS",
    "CallbackRejected",
    "Checkout",
    "Notice",
    "NoticeStatus",
    "OrderRequest",
    "PaymentProvider",
    "ProviderError",
    "configured_name",
    "fake_allowed",
    "fake_enabled",
    "get_provider",
    "online_enabled",
    "register",
]
