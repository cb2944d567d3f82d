"""SMS provider interface: confirmation codes and notifications to people without an account (a requester).

The backend is chosen by `QIANGJI_SMS_BACKEND` (a dotted path to a class with `send(phone, text)`); empty
means SMS is off and sending raises `SmsUnavailable` with a Chinese message. `ConsoleBackend` logs the
message (and keeps it in `outbox` for the demo and tests): it sends nothing, so it is allowed only with
DEBUG or QIANGJI_DEMO; otherwise it refuses at run time and the system check `core.E101` errors.

A real provider (a carrier's or cloud SMS gateway) is a class with the same `send`, configured by path.
Codes are kept hashed in the cache for `CODE_TTL` seconds with at most `MAX_ATTEMPTS` tries.
"""

import hashlib
import hmac
import logging
import secrets
from typing import Protocol

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.utils.module_loading import import_string

from qiangji.core import crypto

logger = logging.getLogger("qiangji.sms")

CODE_TTL = 600
MAX_ATTEMPTS = 5
CONSOLE = "qiangji.core.sms.ConsoleBackend"


class SmsUnavailable(Exception):
    """SMS cannot be sent (not configured, or a test backend outside the demo)."""


class Backend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    """Writes the message to the log; sends nothing. Only for DEBUG or the demo."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        if not test_backend_allowed():
            raise SmsUnavailable("短信通道未配置（控制台通道仅限演示环境），请联系平台管理员")
        ConsoleBackend.outbox.append((phone, text))
        del ConsoleBackend.outbox[:-200]
        logger.warning("短信（演示，未发送）→ %s：%s", crypto.mask_phone(phone), text)
        print(f"[短信演示] {crypto.mask_phone(phone)}：{text}")  # the demo prints the code


def test_backend_allowed() -> bool:
    return bool(getattr(settings, "DEBUG", False) or getattr(settings, "QIANGJI_DEMO", False))


def backend_path() -> str:
    return getattr(settings, "QIANGJI_SMS_BACKEND", "") or ""


def get_backend() -> Backend:
    path = backend_path()
    if not path:
        raise SmsUnavailable("短信通道未配置，请联系平台管理员")
    return import_string(path)()


def send(phone: str, text: str) -> None:
    get_backend().send(phone, text)


def _key(purpose: str, phone: str) -> str:
    return f"sms:code:{purpose}:{crypto.blind_index(phone)}"


def _digest(code: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{code}".encode()).hexdigest()


def send_code(phone: str, purpose: str, *, label: str = "验证码") -> None:
    """Send a fresh 6-digit code for `purpose` (replacing an earlier one)."""
    code = f"{secrets.randbelow(10**6):06d}"
    send(phone, f"【党建平台】您的{label}是 {code}，{CODE_TTL // 60}分钟内有效。如非本人操作请忽略。")
    cache.set(_key(purpose, phone), {"digest": _digest(code), "attempts": 0}, CODE_TTL)


def check_code(phone: str, purpose: str, code: str) -> bool:
    """True once for the right code; wrong tries count, and after MAX_ATTEMPTS the code is void."""
    key = _key(purpose, phone)
    held = cache.get(key)
    if not held or not code:
        return False
    if hmac.compare_digest(held["digest"], _digest(str(code).strip())):
        cache.delete(key)
        return True
    held["attempts"] += 1
    if held["attempts"] >= MAX_ATTEMPTS:
        cache.delete(key)
    else:
        cache.set(key, held, CODE_TTL)
    return False


def notify(phone: str, text: str) -> bool:
    """A notification by SMS; False (logged) when SMS is unavailable: a notice never fails the action."""
    try:
        send(phone, text)
    except SmsUnavailable:
        logger.info("短信通道不可用，未发送通知")
        return False
    return True


@checks.register(checks.Tags.security)
def check_sms_backend(app_configs=None, **kwargs):
    if backend_path() == CONSOLE and not test_backend_allowed():
        return [
            checks.Error(
                "QIANGJI_SMS_BACKEND 为控制台通道（不发送短信），只能在 DEBUG 或演示环境（QIANGJI_DEMO）使用",
                hint="配置真实短信服务商的通道类，或留空关闭短信",
                id="core.E101",
            )
        ]
    return []
