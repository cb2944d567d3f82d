"""Level-3 (等保三级) controls of the web layer, each listed with its test in docs/security.md.

- `ComplexityValidator`: passwords mix at least three of lower case, upper case, digits and symbols.
- `SecurityHeadersMiddleware`: a Content-Security-Policy with a per-request nonce (`request.csp_nonce`,
  `{{ csp_nonce }}` in templates), Permissions-Policy and Referrer-Policy (Django's SecurityMiddleware and
  XFrameOptionsMiddleware add nosniff, COOP, HSTS when configured and X-Frame-Options: DENY).
- `SessionSecurityMiddleware`: idle timeout (QIANGJI_SESSION_IDLE_MINUTES), one active session per account
  (QIANGJI_SINGLE_SESSION), password expiry (QIANGJI_PASSWORD_MAX_AGE_DAYS: the password page until it is
  changed) and the second factor (QIANGJI_OTP_REQUIRED: TOTP with django-otp for department roles —
  county, city and province organisation departments — and superusers).
- `DatabaseUnavailableMiddleware` and `server_error`: a database that cannot be reached answers 503 with a
  Chinese message (JSON under /api/) instead of a 500, and the next request reconnects (no restart).
- `otp_verify` / `otp_setup`: the pages of the second factor.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import sys
import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from qiangji.core.choices import Role

logger = logging.getLogger(__name__)

DB_UNAVAILABLE = "数据库暂时无法连接，请稍后再试（系统会自动恢复，无需重新登录）"
DEPARTMENT_ROLES = (Role.PROVINCE, Role.CITY, Role.COUNTY)


# --- password policy ---------------------------------------------------------------------------------


class ComplexityValidator:
    """At least `classes` of: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, classes: int = 3):
        self.classes = classes

    def validate(self, password, user=None):
        kinds = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(kinds) < self.classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.classes} 类",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.classes} 类"


def password_changed_at(user):
    """When the user last set a password: the latest core.password.changed entry, else when they joined."""
    from qiangji.core.models import AuditEntry

    changed = (
        AuditEntry.objects.filter(
            action="core.password.changed", target_type=user._meta.label_lower, target_id=str(user.pk)
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return changed or user.date_joined


def password_expired(user) -> bool:
    days = int(getattr(settings, "QIANGJI_PASSWORD_MAX_AGE_DAYS", 0) or 0)
    if days <= 0:
        return False
    return timezone.now() - password_changed_at(user) > timedelta(days=days)


# --- second factor -----------------------------------------------------------------------------------


def needs_second_factor(user) -> bool:
    if not getattr(settings, "QIANGJI_OTP_REQUIRED", False) or not user.is_authenticated:
        return False
    return user.is_superuser or user.grants.filter(role__in=DEPARTMENT_ROLES).exists()


def _verified(request) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


# --- headers -----------------------------------------------------------------------------------------

# Inline event handlers some pages use (onchange="this.form.submit()" ...): allowed by hash only.
_HANDLERS = ("this.form.submit()", "window.print()", "return false")
# The one inline script of base.html (the sidebar state before first paint), allowed by its hash until it
# carries the nonce.
_INLINE_SCRIPTS = (
    'try{if(localStorage.getItem("qj-sidebar")==="collapsed")document.documentElement.className+=" sidebar-collapsed";}catch(e){}',
)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def content_security_policy(nonce: str, path: str) -> str:
    if path.startswith("/api/docs/"):  # Swagger UI's page starts itself with an inline script
        scripts = "'self' 'unsafe-inline'"
    else:
        hashes = " ".join(_sha256(s) for s in (*_INLINE_SCRIPTS, *_HANDLERS))
        scripts = f"'self' 'nonce-{nonce}' 'unsafe-hashes' {hashes}"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "media-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if _is_api(request) and response.get("Content-Type", "").startswith("application/json"):
            # Data, not a page: no policy to run scripts by (Django's SecurityMiddleware still sends nosniff),
            # and the same headers as the lean check-in path (life/fastpath.py) gives.
            return response
        if getattr(settings, "QIANGJI_CSP", True) and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(
                request.csp_nonce, request.path_info
            )
        response.setdefault(
            "Permissions-Policy", "camera=(self), microphone=(), geolocation=(self), payment=()"
        )
        response.setdefault("Referrer-Policy", "same-origin")
        response.setdefault("X-Content-Type-Options", "nosniff")
        if request.path_info.startswith(settings.MEDIA_URL):
            # an uploaded file never runs as a page of ours (docs/security.md, uploads)
            response["Content-Security-Policy"] = "default-src 'none'; sandbox"
            response.setdefault("Content-Disposition", "attachment")
        return response


def csp_nonce(request) -> dict:
    """Context processor: `{{ csp_nonce }}` for <script nonce="...">."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


# --- sessions ----------------------------------------------------------------------------------------

_LAST_SEEN = "qiangji_last_seen"
_SIGNED_IN_AT = "qiangji_signed_in_at"  # absolute session age: saving last-seen must not slide it
_PASSWORD_OK = "qiangji_password_checked"
_EXEMPT_PREFIXES = ("/static/", "/logout/", "/login/", "/i18n/", "/password/", "/account/otp/")


def _session_key_cache(user_id) -> str:
    return f"qiangji:active-session:{user_id}"


@receiver(user_logged_in)
def _remember_active_session(sender, request, user, **kwargs):
    if request is None or not getattr(request, "session", None):
        return
    # checked once at sign-in, so that ordinary requests write and read nothing more
    now = time.time()
    request.session[_LAST_SEEN] = now
    request.session[_SIGNED_IN_AT] = now
    try:
        if not password_expired(user):
            request.session[_PASSWORD_OK] = now
    except DatabaseError:
        pass
    if not request.session.session_key:
        request.session.save()
    try:
        cache.set(_session_key_cache(user.pk), request.session.session_key, settings.SESSION_COOKIE_AGE)
    except Exception:
        logger.warning("active session of user %s not recorded: cache unavailable", user.pk)


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def database_unavailable_response(request):
    if _is_api(request):
        response = JsonResponse(
            {"code": "service_unavailable", "detail": DB_UNAVAILABLE, "fields": {}},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(
            f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>暂时无法服务</title>'
            f"<h1>暂时无法服务</h1><p>{DB_UNAVAILABLE}</p></html>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = "10"
    return response


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = self._check(request)
        except (OperationalError, InterfaceError):
            logger.warning("database unavailable on %s", request.path_info, exc_info=True)
            return database_unavailable_response(request)
        return refused or self.get_response(request)

    def _check(self, request):
        if _is_api(request) and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # A token client has no session to time out; reading request.user here would touch the session
            # (Vary: Cookie) and answer differently from the lean check-in path (life/fastpath.py).
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path_info.startswith(_EXEMPT_PREFIXES):
            return None
        session = request.session
        now = time.time()
        idle = int(getattr(settings, "QIANGJI_SESSION_IDLE_MINUTES", 30) or 0) * 60
        last = session.get(_LAST_SEEN)
        if idle and last and now - last > idle:
            logout(request)
            return self._to_login(request, "长时间未操作，已自动退出，请重新登录")
        started = session.get(_SIGNED_IN_AT)
        if started and now - started > settings.SESSION_COOKIE_AGE:
            logout(request)
            return self._to_login(request, "登录时间已到，请重新登录")
        if not last or now - last > 60:  # written at most once a minute
            session[_LAST_SEEN] = now
        if getattr(settings, "QIANGJI_SINGLE_SESSION", False):
            try:
                active = cache.get(_session_key_cache(user.pk))
            except Exception:
                active = None
            if active and session.session_key and active != session.session_key:
                logout(request)
                return self._to_login(request, "该账号已在其他地方登录，本处已退出")
        if _is_api(request):
            return None
        if needs_second_factor(user) and not _verified(request):
            return redirect(f"{reverse('otp-verify')}?next={request.get_full_path()}")
        checked = session.get(_PASSWORD_OK)
        if not checked or now - checked > 3600:
            if password_expired(user):
                messages.warning(
                    request,
                    f"密码已超过 {settings.QIANGJI_PASSWORD_MAX_AGE_DAYS} 天未修改，请先修改密码",
                )
                return redirect("password-change")
            session[_PASSWORD_OK] = now
        return None

    def _to_login(self, request, message: str):
        if _is_api(request):
            return JsonResponse(
                {"code": "not_authenticated", "detail": message, "fields": {}},
                status=401,
                json_dumps_params={"ensure_ascii": False},
            )
        messages.info(request, message)
        return redirect(f"{reverse('login')}?next={request.get_full_path()}")


# --- database outage ---------------------------------------------------------------------------------


def _is_outage(exception) -> bool:
    if isinstance(exception, OperationalError | InterfaceError):
        return True
    # psycopg's own errors raised outside Django's wrapper
    return isinstance(exception, DatabaseError) and "connection" in str(exception).lower()


class DatabaseUnavailableMiddleware:
    """Innermost: a view that fails because the database is unreachable answers 503 (Chinese), not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if _is_outage(exception):
            logger.warning("database unavailable on %s: %s", request.path_info, exception)
            return database_unavailable_response(request)
        return None


def server_error(request, *args, **kwargs):
    """handler500: a database outage raised outside a view (a middleware) is a 503 too."""
    exception = sys.exc_info()[1]
    if exception is not None and _is_outage(exception):
        return database_unavailable_response(request)
    from django.views.defaults import server_error as default

    return default(request, *args, **kwargs)


# --- second factor pages -----------------------------------------------------------------------------


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


@login_required
def otp_verify(request):
    from django_otp import login as otp_login
    from django_otp import match_token
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"{reverse('otp-setup')}?next={_safe_next(request)}")
    error = ""
    if request.method == "POST":
        from qiangji.core import ratelimit

        try:
            ratelimit.check("otp", f"user:{request.user.pk}", rate="5/5m")
        except ratelimit.RateLimited as exc:
            error = exc.message
        else:
            device = match_token(request.user, (request.POST.get("token") or "").strip())
            if device is not None:
                otp_login(request, device)
                return redirect(_safe_next(request))
            error = "动态验证码不正确或已过期，请重新输入"
    return render(request, "core/otp_verify.html", {"error": error, "next": _safe_next(request)})


@login_required
def otp_setup(request):
    import segno
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(
        user=request.user, confirmed=False
    ).first() or TOTPDevice.objects.create(user=request.user, name="身份验证器", confirmed=False)
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists() and not _verified(request):
        return redirect(f"{reverse('otp-verify')}?next={_safe_next(request)}")
    error = ""
    if request.method == "POST":
        if device.verify_token((request.POST.get("token") or "").strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_safe_next(request))
        error = "动态验证码不正确，请核对手机上的身份验证器后重试"
    uri = device.config_url
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(uri, error="m").svg_data_uri(scale=4)
    return render(
        request,
        "core/otp_setup.html",
        {"error": error, "qr": qr, "secret": secret, "next": _safe_next(request)},
    )


urlpatterns = [
    path("account/otp/", otp_verify, name="otp-verify"),
    path("account/otp/setup/", otp_setup, name="otp-setup"),
]


# --- production check ----------------------------------------------------------------------------------


def check_deploy(app_configs=None, **kwargs):
    """`qiangji check --deploy`: the level-3 settings a production deployment must have."""
    from django.core.checks import Warning as CheckWarning

    found = []
    if not getattr(settings, "QIANGJI_OTP_REQUIRED", False):
        found.append(
            CheckWarning(
                "第二因素认证未开启：组织部门角色应使用动态验证码登录",
                hint="设置 QIANGJI_OTP_REQUIRED=1",
                id="qiangji.W101",
            )
        )
    if not getattr(settings, "SESSION_COOKIE_SECURE", False):
        found.append(
            CheckWarning("会话 Cookie 未限定 HTTPS", hint="设置 QIANGJI_SECURE_COOKIES=1", id="qiangji.W102")
        )
    if (
        getattr(settings, "QIANGJI_FIELD_CIPHER", "") != "sm4-gcm"
        or getattr(settings, "QIANGJI_BLIND_INDEX", "") != "hmac-sm3"
    ):
        found.append(
            CheckWarning(
                "个人信息字段未使用国密算法（SM4/HMAC-SM3），密评时需说明",
                hint="设置 QIANGJI_FIELD_CIPHER=sm4-gcm、QIANGJI_BLIND_INDEX=hmac-sm3 后运行 qiangji rotate_keys（ADR 0021）",
                id="qiangji.W103",
            )
        )
    if getattr(settings, "QIANGJI_BACKUP_KEY", "") == getattr(settings, "DATA_KEY", None):
        found.append(
            CheckWarning("备份密钥与数据密钥相同", hint="QIANGJI_BACKUP_KEY 应另行保管", id="qiangji.W104")
        )
    return found


def register_checks() -> None:
    from django.core.checks import Tags, register

    register(check_deploy, Tags.security, deploy=True)
