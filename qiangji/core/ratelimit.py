"""Rate limits: one client cannot exhaust the server (issue #13 item 6, docs/security.md).

`check(scope, key, rate="10/m")` counts one action of `key` (a user id, an IP address, a phone ...)
in `scope` and raises `RateLimited` (a Chinese message with the seconds to wait, `retry_after`) when
the count in the current window exceeds the rate. Counting is atomic through the shared Django cache
(`cache.add` creates the window's counter, `cache.incr` increments it), so several web processes
share one budget when they share the cache (Redis in production, the file cache of the demo).

The DRF throttles use it:

- `WriteRateThrottle` (default for every API view): POST/PUT/PATCH/DELETE per signed-in user (or per
  IP address when anonymous), rate `QIANGJI_RATE_LIMITS["write"]`.
- `AnonRateThrottle` (default): every request of an anonymous client per IP address (the token
  endpoint, public pages of the API), rate `QIANGJI_RATE_LIMITS["anon"]`.
- `ScopedRateThrottle`: a view sets `throttle_scope = "checkin"` (say) and the rate comes from
  `QIANGJI_RATE_LIMITS[scope]`; a scope without a rate is not limited.

A throttled API request answers 429 in the one error shape `{code: "throttled", detail, fields: {}}`
with a `Retry-After` header. If the cache itself is down the limit is not enforced (logged): serving
pages matters more than counting them (issue #13 item 2, Redis down).
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}
DEFAULT_RATES = {"write": "120/m", "anon": "60/m"}


def message_for(retry_after: int) -> str:
    return f"操作过于频繁，请 {retry_after} 秒后再试"


class RateLimited(Exception):
    """Too many actions in the window; `retry_after` seconds until the next window opens."""

    def __init__(self, retry_after: int, scope: str = ""):
        self.retry_after = max(1, int(retry_after))
        self.scope = scope
        self.message = message_for(self.retry_after)
        super().__init__(self.message)


def parse_rate(rate: str) -> tuple[int, int]:
    """ "10/m" → (10, 60); "5/30s" → (5, 30). ValueError for anything else."""
    try:
        count_text, period_text = rate.strip().split("/", 1)
        count = int(count_text)
        digits = "".join(ch for ch in period_text if ch.isdigit())
        unit = period_text[len(digits) :].strip().lower() or "s"
        period = int(digits or 1) * _PERIODS[unit]
    except (ValueError, KeyError) as exc:
        raise ValueError(f"invalid rate {rate!r}: expected e.g. '10/m', '100/h', '5/30s'") from exc
    if count < 1 or period < 1:
        raise ValueError(f"invalid rate {rate!r}")
    return count, period


def _cache_key(scope: str, key: str, window: int) -> str:
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    return f"qiangji:rl:{scope}:{digest}:{window}"


def hit(scope: str, key: str, *, rate: str = "10/m") -> tuple[bool, int]:
    """Count one action; (allowed, seconds until the window ends). Fails open if the cache is down."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    retry_after = max(1, math.ceil((window + 1) * period - now))
    cache_key = _cache_key(scope, key, window)
    try:
        if cache.add(cache_key, 1, timeout=period + 1):
            count = 1
        else:
            try:
                count = cache.incr(cache_key)
            except ValueError:  # expired between add and incr: this action opens a new counter
                count = 1 if cache.add(cache_key, 1, timeout=period + 1) else cache.incr(cache_key)
    except Exception:  # the cache is down (Redis stopped): serve, do not count
        logger.warning("rate limit %s not enforced: cache unavailable", scope, exc_info=True)
        return True, 0
    if not isinstance(count, int):  # a cache that swallows its errors (django-redis IGNORE_EXCEPTIONS)
        return True, 0
    return count <= limit, retry_after


def check(scope: str, key: str, *, rate: str = "10/m") -> None:
    """Count one action of `key` in `scope`; raise RateLimited when over `rate`."""
    allowed, retry_after = hit(scope, key, rate=rate)
    if not allowed:
        raise RateLimited(retry_after, scope)


def reset(scope: str, key: str, *, rate: str = "10/m") -> None:
    """Forget the current window's count (e.g. after a successful action that should not count)."""
    _limit, period = parse_rate(rate)
    try:
        cache.delete(_cache_key(scope, key, int(time.time() // period)))
    except Exception:
        logger.warning("rate limit %s: cache unavailable on reset", scope, exc_info=True)


def rate_for(scope: str) -> str | None:
    rates = {**DEFAULT_RATES, **(getattr(settings, "QIANGJI_RATE_LIMITS", None) or {})}
    return rates.get(scope) or None


class Throttled(exceptions.Throttled):
    """DRF's 429 with our Chinese message (the exception handler gives it the one error shape)."""

    def __init__(self, wait: int):
        super().__init__(detail=message_for(wait))
        self.wait = wait  # DRF's handler sets Retry-After from it


class _QiangjiThrottle(BaseThrottle):
    scope = ""

    def get_scope(self, request, view) -> str | None:
        return self.scope or None

    def get_key(self, request) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        return f"ip:{self.get_ident(request)}"

    def applies(self, request, view) -> bool:
        return True

    def allow_request(self, request, view) -> bool:
        scope = self.get_scope(request, view)
        if not scope or not self.applies(request, view):
            return True
        rate = rate_for(scope)
        if not rate:
            return True
        allowed, retry_after = hit(f"api:{scope}", self.get_key(request), rate=rate)
        if not allowed:
            raise Throttled(retry_after)
        return True


class WriteRateThrottle(_QiangjiThrottle):
    """Every write (POST/PUT/PATCH/DELETE) per user, or per IP address when anonymous."""

    scope = "write"

    def applies(self, request, view) -> bool:
        return request.method not in ("GET", "HEAD", "OPTIONS")


class AnonRateThrottle(_QiangjiThrottle):
    """Every request of an anonymous client, per IP address."""

    scope = "anon"

    def applies(self, request, view) -> bool:
        user = getattr(request, "user", None)
        return user is None or not user.is_authenticated


class ScopedRateThrottle(_QiangjiThrottle):
    """The view's `throttle_scope`, its rate from QIANGJI_RATE_LIMITS (no rate: not limited)."""

    def get_scope(self, request, view) -> str | None:
        return getattr(view, "throttle_scope", None)


def limit_view(scope: str, *, rate: str | None = None, methods=("POST",)):
    """Decorator for a Django (non-API) view: `methods` requests count per user/IP; over the rate the
    view answers 429 with the Chinese message (JSON under /api/, plain text elsewhere)."""
    from functools import wraps

    from django.http import HttpResponse, JsonResponse

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                effective = rate or rate_for(scope)
                if effective:
                    user = getattr(request, "user", None)
                    key = (
                        f"user:{user.pk}"
                        if user is not None and user.is_authenticated
                        else f"ip:{request.META.get('REMOTE_ADDR', '')}"
                    )
                    try:
                        check(f"view:{scope}", key, rate=effective)
                    except RateLimited as exc:
                        if request.path.startswith("/api/"):
                            response = JsonResponse(
                                {"code": "throttled", "detail": exc.message, "fields": {}}, status=429
                            )
                        else:
                            response = HttpResponse(
                                exc.message, status=429, content_type="text/plain; charset=utf-8"
                            )
                        response["Retry-After"] = str(exc.retry_after)
                        return response
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator
