"""The providers by name, and the one the settings choose.

`QIANGJI_PAYMENT_PROVIDER` names a registered provider; empty (the default) means online payment is
off: the pages say so and no platform route is mounted.  "fake" moves no money and is refused unless
DEBUG or `QIANGJI_DEMO` is on (here at run time, and by `check --deploy`: dues.checks).
An adapter is one module with a `PaymentProvider` subclass, listed below or `register()`-ed from an
app's `ready()`.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from qiangji.dues.payments.base import PaymentProvider

FAKE = "fake"
PROVIDERS: dict[str, str] = {
    FAKE: "qiangji.dues.payments.fake.FakeProvider",
}


def register(name: str, dotted_path: str) -> None:
    PROVIDERS[name] = dotted_path


def configured_name() -> str:
    return (getattr(settings, "QIANGJI_PAYMENT_PROVIDER", "") or "").strip()


def fake_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "QIANGJI_DEMO", False))


def provider_class(name: str) -> type[PaymentProvider]:
    if name not in PROVIDERS:
        raise ImproperlyConfigured(
            f"QIANGJI_PAYMENT_PROVIDER：未知的支付平台“{name}”（可选：{'、'.join(PROVIDERS)}）"
        )
    return import_string(PROVIDERS[name])


def online_enabled() -> bool:
    name = configured_name()
    return bool(name) and (name != FAKE or fake_allowed())


def fake_enabled() -> bool:
    return configured_name() == FAKE and fake_allowed()


def get_provider() -> PaymentProvider | None:
    """The configured provider, or None when online payment is off (or the fake is not allowed here)."""
    if not online_enabled():
        return None
    return provider_class(configured_name())()
