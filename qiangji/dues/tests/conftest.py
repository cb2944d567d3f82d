"""Fixtures of the dues tests: the fake payment platform switched on, with a key generated here."""

import importlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import clear_url_caches


def remount_urls() -> None:
    """Build the URLconf again: the fake's checkout route is mounted (or not) when dues.urls is imported."""
    import qiangji.dues.urls  # reloaded below, so imported here
    import qiangji.urls

    importlib.reload(qiangji.dues.urls)
    importlib.reload(qiangji.urls)
    clear_url_caches()


@pytest.fixture
def fake_payments(settings):
    """QIANGJI_PAYMENT_PROVIDER=fake in the demo, signing with a locally generated Ed25519 key (yielded)."""
    key = Ed25519PrivateKey.generate()
    before = {
        name: getattr(settings, name, None)
        for name in ("QIANGJI_PAYMENT_PROVIDER", "QIANGJI_DEMO", "QIANGJI_PAYMENT_FAKE_KEY")
    }
    settings.QIANGJI_PAYMENT_PROVIDER, settings.QIANGJI_DEMO = "fake", True
    settings.QIANGJI_PAYMENT_FAKE_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    remount_urls()
    yield key
    for name, value in before.items():
        setattr(settings, name, value)
    remount_urls()
