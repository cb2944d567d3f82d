import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


@pytest.fixture(autouse=True)
def signing_key(settings):
    """A fresh Ed25519 key per test (never the one in var/)."""
    seed = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    settings.QIANGJI_CERT_SIGNING_KEY = base64.b64encode(seed).decode()
    return settings.QIANGJI_CERT_SIGNING_KEY
