"""Keys and signatures shared by the adapters.

Every platform signs its callbacks with its private key and publishes the public key (WeChat Pay
APIv3, Alipay RSA2 and UnionPay 5.1 all use RSA with SHA-256; the fake uses Ed25519).  `verify()`
checks a base64 signature with either kind of public key; `signed_message()` is WeChat Pay APIv3's
layout (timestamp, nonce and body, each followed by a newline), which the fake copies.  Keys come
from settings as PEM text or as a path to a PEM file.
"""

import base64
import binascii
import datetime
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from django.utils import timezone

from qiangji.dues.payments.base import CallbackRejected

MAX_SKEW = datetime.timedelta(
    minutes=5
)  # WeChat Pay's advice: refuse a callback timestamp older than 5 minutes


def _pem_bytes(value: str | bytes) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    if b"-----BEGIN" not in data:
        data = Path(data.decode().strip()).read_bytes()
    return data


def load_public_key(value: str | bytes) -> RSAPublicKey | Ed25519PublicKey:
    """A PEM public key (or certificate-free SubjectPublicKeyInfo), as text or a file path."""
    key = serialization.load_pem_public_key(_pem_bytes(value))
    if not isinstance(key, RSAPublicKey | Ed25519PublicKey):
        raise ValueError("支付平台公钥须为 RSA 或 Ed25519")
    return key


def load_private_key(value: str | bytes) -> RSAPrivateKey | Ed25519PrivateKey:
    key = serialization.load_pem_private_key(_pem_bytes(value), password=None)
    if not isinstance(key, RSAPrivateKey | Ed25519PrivateKey):
        raise ValueError("商户私钥须为 RSA 或 Ed25519")
    return key


def public_pem(key: RSAPublicKey | Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def signed_message(timestamp: str, nonce: str, body: bytes) -> bytes:
    return timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"


def sign(private_key: RSAPrivateKey | Ed25519PrivateKey, message: bytes) -> str:
    if isinstance(private_key, RSAPrivateKey):
        signature = private_key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    else:
        signature = private_key.sign(message)
    return base64.b64encode(signature).decode()


def verify(public_key: RSAPublicKey | Ed25519PublicKey, message: bytes, signature_b64: str) -> None:
    """Raise CallbackRejected unless the signature is the key owner's over exactly these bytes."""
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        if isinstance(public_key, RSAPublicKey):
            public_key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
        else:
            public_key.verify(signature, message)
    except (InvalidSignature, binascii.Error, ValueError, TypeError):
        raise CallbackRejected("签名无效") from None


def check_timestamp(timestamp: str, now: datetime.datetime | None = None) -> None:
    try:
        sent = datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError):
        raise CallbackRejected("时间戳无效") from None
    if abs((now or timezone.now()) - sent) > MAX_SKEW:
        raise CallbackRejected("时间戳超出允许范围（可能是重放的旧通知）")


def nonce() -> str:
    return secrets.token_hex(16)
