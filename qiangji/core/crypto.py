"""Field encryption for personal data (ID numbers, phones): AES-256-GCM with a key from
QIANGJI_DATA_KEY, plus a keyed blind index (HMAC-SHA256) for exact lookups and duplicates.

Ciphertexts are versioned (`v1:`) so that the key or algorithm can be rotated later.
"""

import base64
import functools
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_PREFIX = "v1:"


@functools.cache
def _keys(secret: str) -> tuple[AESGCM, bytes]:
    root = hashlib.sha256(secret.encode()).digest()
    enc = hmac.new(root, b"qiangji-encryption", hashlib.sha256).digest()
    idx = hmac.new(root, b"qiangji-blind-index", hashlib.sha256).digest()
    return AESGCM(enc), idx


def encrypt(plaintext: str) -> str:
    if plaintext in (None, ""):
        return ""
    aead, _ = _keys(settings.DATA_KEY)
    nonce = os.urandom(12)
    sealed = aead.encrypt(nonce, plaintext.encode(), None)
    return _PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    if not token.startswith(_PREFIX):
        raise ValueError("unknown ciphertext version")
    raw = base64.b64decode(token[len(_PREFIX) :])
    aead, _ = _keys(settings.DATA_KEY)
    return aead.decrypt(raw[:12], raw[12:], None).decode()


def blind_index(plaintext: str) -> str:
    """Deterministic keyed hash: equal inputs match, the value itself reveals nothing."""
    if not plaintext:
        return ""
    _, key = _keys(settings.DATA_KEY)
    return hmac.new(key, plaintext.upper().encode(), hashlib.sha256).hexdigest()[:40]


def mask_id_number(number: str) -> str:
    if not number:
        return ""
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    if len(phone) <= 4:
        return "*" * len(phone)
    keep = 3 if len(phone) == 11 else max(0, len(phone) - 8)
    return phone[:keep] + "*" * (len(phone) - keep - 4) + phone[-4:]
