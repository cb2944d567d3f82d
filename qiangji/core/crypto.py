"""Field encryption for personal data (ID numbers, phones) with a keyed blind index for exact lookups and
duplicates (ADR 0003, ADR 0021).

Algorithms, chosen by setting (new values use the current choice; old values keep decrypting):

- `QIANGJI_FIELD_CIPHER`: `aes-256-gcm` (default) or `sm4-gcm` (GB/T 32907 SM4 in GCM mode, 128-bit key);
- `QIANGJI_BLIND_INDEX`: `hmac-sha256` (default) or `hmac-sm3` (GB/T 32905 SM3 in an HMAC), 40 hex chars.

Keys come from secrets: `DATA_KEY` (current, QIANGJI_DATA_KEY) and `DATA_KEYS_PREVIOUS` (older secrets still
accepted for decryption, QIANGJI_DATA_KEYS_PREVIOUS, comma-separated). Each secret has a key id (8 hex chars
of a labelled SHA-256 of it, revealing nothing). Ciphertexts:

- `v2:<alg>:<kid>:` + base64(nonce 12 bytes + ciphertext + 16-byte tag), alg `a` (AES-256-GCM) or `s` (SM4-GCM);
- `v1:` + base64(...) — the first format (AES-256-GCM, no key id): tried with every known key.

`qiangji rotate_keys` re-encrypts every registered field (`ENCRYPTED_FIELDS`) to the current algorithm and key
and recomputes its blind index, in batches, resumable.
"""

import base64
import functools
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_V1 = "v1:"
_V2 = "v2:"
CIPHERS = {"aes-256-gcm": "a", "sm4-gcm": "s"}
BLIND_INDEXES = ("hmac-sha256", "hmac-sm3")
INDEX_LENGTH = 40

# Every encrypted column, for rotate_keys: model label → [(ciphertext field, its blind-index field or None)].
# A blind index here is `blind_index(<clear text of the field>)`.
ENCRYPTED_FIELDS: dict[str, list[tuple[str, str | None]]] = {
    "members.Member": [
        ("id_number_encrypted", "id_number_hash"),
        ("phone_encrypted", "phone_hash"),
        ("family_contact_phone_encrypted", None),
    ],
    "mobility.MobileFlow": [("contact_phone_encrypted", None)],
    "service.Request": [("phone_encrypted", "phone_hash")],
}


class Key:
    """The keys derived from one secret: AES-256 and SM4-128 encryption keys and the blind-index key."""

    def __init__(self, secret: str):
        root = hashlib.sha256(secret.encode()).digest()
        self.kid = hashlib.sha256(b"qiangji-key-id:" + root).hexdigest()[:8]
        self.aes = AESGCM(hmac.new(root, b"qiangji-encryption", hashlib.sha256).digest())
        self.sm4_key = hmac.new(root, b"qiangji-encryption-sm4", hashlib.sha256).digest()[:16]
        self.index = hmac.new(root, b"qiangji-blind-index", hashlib.sha256).digest()
        self.index_sm3 = hmac.new(root, b"qiangji-blind-index-sm3", hashlib.sha256).digest()


@functools.cache
def _key(secret: str) -> Key:
    return Key(secret)


def current_key() -> Key:
    return _key(settings.DATA_KEY)


def keyring() -> dict[str, Key]:
    """Key id → key: the current one first, then the previous ones."""
    secrets = [settings.DATA_KEY, *(getattr(settings, "DATA_KEYS_PREVIOUS", None) or [])]
    ring: dict[str, Key] = {}
    for secret in secrets:
        if secret:
            key = _key(secret)
            ring.setdefault(key.kid, key)
    return ring


def cipher_name() -> str:
    name = (getattr(settings, "QIANGJI_FIELD_CIPHER", "aes-256-gcm") or "aes-256-gcm").lower()
    if name not in CIPHERS:
        raise ValueError(f"QIANGJI_FIELD_CIPHER: one of {', '.join(CIPHERS)}, not {name!r}")
    return name


def index_name() -> str:
    name = (getattr(settings, "QIANGJI_BLIND_INDEX", "hmac-sha256") or "hmac-sha256").lower()
    if name not in BLIND_INDEXES:
        raise ValueError(f"QIANGJI_BLIND_INDEX: one of {', '.join(BLIND_INDEXES)}, not {name!r}")
    return name


def _sm4_encrypt(key: bytes, nonce: bytes, data: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _sm4_decrypt(key: bytes, nonce: bytes, sealed: bytes) -> bytes:
    body, tag = sealed[:-16], sealed[-16:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def encrypt(plaintext: str, *, cipher: str | None = None, key: Key | None = None) -> str:
    if plaintext in (None, ""):
        return ""
    key = key or current_key()
    cipher = cipher or cipher_name()
    nonce = os.urandom(12)
    if cipher == "sm4-gcm":
        sealed = _sm4_encrypt(key.sm4_key, nonce, plaintext.encode())
    else:
        sealed = key.aes.encrypt(nonce, plaintext.encode(), None)
    return f"{_V2}{CIPHERS[cipher]}:{key.kid}:" + base64.b64encode(nonce + sealed).decode()


def describe(token: str) -> tuple[str, str | None]:
    """(cipher name, key id or None for v1) of a ciphertext; ValueError if it is not one of ours."""
    if token.startswith(_V1):
        return "aes-256-gcm", None
    if token.startswith(_V2):
        parts = token.split(":", 3)
        if len(parts) == 4:
            by_code = {code: name for name, code in CIPHERS.items()}
            if parts[1] in by_code:
                return by_code[parts[1]], parts[2]
    raise ValueError("unknown ciphertext version")


def is_current(token: str) -> bool:
    """Encrypted with the current algorithm and key (nothing for rotate_keys to do)."""
    if not token:
        return True
    return describe(token) == (cipher_name(), current_key().kid)


def decrypt(token: str) -> str:
    if not token:
        return ""
    cipher, kid = describe(token)
    if kid is None:  # v1: AES-256-GCM, key unknown: try each
        raw = base64.b64decode(token[len(_V1) :])
        for key in keyring().values():
            try:
                return key.aes.decrypt(raw[:12], raw[12:], None).decode()
            except InvalidTag:
                continue
        raise ValueError("no known key decrypts this value (v1)")
    found = keyring().get(kid)
    if found is None:
        raise ValueError(f"unknown key id {kid}: add its secret to QIANGJI_DATA_KEYS_PREVIOUS")
    raw = base64.b64decode(token.split(":", 3)[3])
    if cipher == "sm4-gcm":
        return _sm4_decrypt(found.sm4_key, raw[:12], raw[12:]).decode()
    return found.aes.decrypt(raw[:12], raw[12:], None).decode()


def _index(key: Key, name: str, text: str) -> str:
    data = text.upper().encode()
    if name == "hmac-sm3":
        mac = crypto_hmac.HMAC(key.index_sm3, hashes.SM3())
        mac.update(data)
        return mac.finalize().hex()[:INDEX_LENGTH]
    return hmac.new(key.index, data, hashlib.sha256).hexdigest()[:INDEX_LENGTH]


def blind_index(plaintext: str) -> str:
    """Deterministic keyed hash: equal inputs match, the value itself reveals nothing."""
    if not plaintext:
        return ""
    return _index(current_key(), index_name(), plaintext)


def blind_indexes(plaintext: str) -> list[str]:
    """The current index first, then every other one a not-yet-rotated row may hold (each known key under
    each index algorithm): for lookups during a rotation (`field__in=blind_indexes(text)`)."""
    if not plaintext:
        return []
    values = [blind_index(plaintext)]
    for key in keyring().values():
        for name in BLIND_INDEXES:
            value = _index(key, name, plaintext)
            if value not in values:
                values.append(value)
    return values


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
