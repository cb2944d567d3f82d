"""Ed25519 tokens for the activity certificate, verifiable offline with the public key.

Token: `QJC1.<payload>.<signature>`, both base64url without padding; the signature covers the
ASCII bytes `QJC1.<payload>` (as in JWS), the payload is compact JSON.  The private key comes from
`QIANGJI_CERT_SIGNING_KEY` (PEM, or base64 of the 32-byte seed) or is generated once into
`VAR_DIR/cert_signing_key.pem`; the public key is published at `mobility:public-key` and embedded in
the offline verify page.

Also the branch poster's arrival code (`arrive_token`): a Django-signed branch id, shared by the
poster page, the arrival page and the API.
"""

import base64
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core import signing as django_signing

PREFIX = "QJC1"
KEY_FILE_NAME = "cert_signing_key.pem"
ARRIVE_SALT = "qiangji.mobility.arrive"


def arrive_token(branch_pk: int) -> str:
    """The content of a branch's poster code: the branch id, signed with the site's secret."""
    return django_signing.dumps({"b": branch_pk}, salt=ARRIVE_SALT)


def arrive_branch_pk(token: str):
    """The branch id of a poster code, or None for a code the site did not sign."""
    try:
        return django_signing.loads(token, salt=ARRIVE_SALT)["b"]
    except (django_signing.BadSignature, KeyError, TypeError):
        return None


class TokenInvalid(ValueError):
    """The token is malformed, forged or altered (message in Chinese, for the user)."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _load_configured(value: str) -> Ed25519PrivateKey:
    value = value.strip()
    if value.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(value.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("QIANGJI_CERT_SIGNING_KEY 不是 Ed25519 私钥")
        return key
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(value))


def _load_or_create_file(path: Path) -> Ed25519PrivateKey:
    """Written whole to a private temporary file, then linked into place: another process sees either
    no key or the complete key, and an existing key is never overwritten (the link fails)."""
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process won; use its key
        finally:
            temporary.unlink()
    return _load_configured(path.read_text())


@functools.cache
def _private_key(configured: str, var_dir: str) -> Ed25519PrivateKey:
    if configured:
        return _load_configured(configured)
    return _load_or_create_file(Path(var_dir) / KEY_FILE_NAME)


def private_key() -> Ed25519PrivateKey:
    return _private_key(getattr(settings, "QIANGJI_CERT_SIGNING_KEY", ""), str(settings.VAR_DIR))


def raw_public_key(key: Ed25519PublicKey | None = None) -> bytes:
    key = key or private_key().public_key()
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(raw: bytes | None = None) -> str:
    return hashlib.sha256(raw or raw_public_key()).hexdigest()[:8]


def public_key_pem() -> str:
    return (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def sign_payload(payload: dict, key: Ed25519PrivateKey | None = None) -> str:
    key = key or private_key()
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    signed = f"{PREFIX}.{b64url(body)}"
    return f"{signed}.{b64url(key.sign(signed.encode('ascii')))}"


def extract_token(text: str) -> str:
    """The token from what a scanner gives: the bare token or the verify URL with `#token`."""
    text = (text or "").strip()
    return text.rsplit("#", 1)[-1] if "#" in text else text


@dataclass(frozen=True)
class Verified:
    payload: dict
    key_id: str


def verify_token(text: str, public_keys: list[bytes] | None = None) -> Verified:
    """The payload of a genuine token; TokenInvalid for anything forged, altered or malformed."""
    token = extract_token(text)
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise TokenInvalid("不是有效的活动证凭证（格式不正确）")
    try:
        signature, body = unb64url(parts[2]), unb64url(parts[1])
    except (ValueError, TypeError):
        raise TokenInvalid("不是有效的活动证凭证（编码不正确）")
    if b64url(signature) != parts[2] or b64url(body) != parts[1]:
        # Non-canonical base64 (spare bits set) would let a changed character verify: refuse it.
        raise TokenInvalid("活动证签名无效：凭证被伪造或被改动，请勿认可（docs/rules.md §5）")
    signed = f"{parts[0]}.{parts[1]}".encode("ascii")
    for raw in public_keys or [raw_public_key()]:
        try:
            Ed25519PublicKey.from_public_bytes(raw).verify(signature, signed)
        except InvalidSignature:
            continue
        try:
            return Verified(json.loads(body.decode("utf-8")), key_id(raw))
        except (UnicodeDecodeError, ValueError):
            break
    raise TokenInvalid("活动证签名无效：凭证被伪造或被改动，请勿认可（docs/rules.md §5）")
