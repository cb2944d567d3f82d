"""A lean WSGI path for the one hot request: `POST /api/v1/life/checkin/` with `Authorization: Token …`.

A meeting's QR code makes hundreds of phones post at once, and the whole Django stack (middleware, DRF, token
authentication, the ORM service: ≈ 3–4 ms CPU a request) would cap a 2-core server near 300 check-ins/s.  This
dispatcher sits in front of Django (qiangji/wsgi.py) and answers the plain case itself with ONE statement on one
persistent psycopg connection per worker thread (`services.checkin.check_in_one_statement`: token, code, member,
attendance, MemberLife, audit entry, in one transaction), with exactly the API view's status, JSON body and headers.

Everything else goes to Django unchanged: other URLs and methods, a session cookie (the phone page posts to its own
HTML view, qiangji/life/views/attendance.py), a body or header it does not parse the way DRF would, an unknown token
or inactive user (DRF's 401), an attendance row marked absent by hand (the ORM service turns it to present), a lost
race, a database error.  In all those cases the statement wrote nothing.  On SQLite (or any non-PostgreSQL database)
`wrap()` returns Django's application as it is: the ORM service does the work.
"""

import io
import json
import logging
import re
import threading
import time
import uuid

from django.conf import settings
from django.db import connections
from django.http.request import split_domain_port, validate_host
from django.urls import reverse
from django.utils import timezone

from qiangji.core import audit
from qiangji.life.services.checkin import check_in_one_statement

logger = logging.getLogger("qiangji.life.fastpath")
request_logger = logging.getLogger("django.request")

_CODE = re.compile(
    r"[A-Za-z0-9_-]{1,64}"
)  # secrets.token_urlsafe alphabet; anything else: DRF/the service decide
_KEY = re.compile(r"[0-9A-Za-z]{1,40}")  # DRF Token.key
_JSON_TYPES = ("application/json", "application/json; charset=utf-8", "application/json;charset=utf-8")
_ACCEPT_JSON = ("", "*/*", "application/json")
_MAX_BODY = 4096
APPLICATION_NAME = "qiangji-checkin"


def wrap(django_application):
    """Django's WSGI application with the lean check-in path in front (PostgreSQL only)."""
    if connections["default"].vendor != "postgresql" or not LeanCheckin.supported():
        return django_application
    return LeanCheckin(django_application)


NUDGE_SECONDS = 5


class LeanCheckin:
    def __init__(self, django_application):
        self.django = django_application
        self.path = reverse("life-checkin")
        self.local = threading.local()
        self.nudged_at = float("-inf")
        self.allowed_hosts = settings.ALLOWED_HOSTS or (
            [".localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else []
        )
        self.frame, self.security = _security_headers()

    @staticmethod
    def supported() -> bool:
        """The headers below are those of this project's middleware settings; other security setups go to Django."""
        return not (
            getattr(settings, "SECURE_SSL_REDIRECT", False)
            or getattr(settings, "SECURE_HSTS_SECONDS", 0)
            or getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
            or getattr(settings, "USE_X_FORWARDED_HOST", False)
        )

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != self.path or environ.get("REQUEST_METHOD") != "POST":
            return self.django(environ, start_response)
        key = self._plain_request(environ)
        code = self._code(environ) if key else None
        if code is None:
            return self.django(environ, start_response)
        request_id = environ.get("HTTP_X_REQUEST_ID", "")[:64] or uuid.uuid4().hex
        outcome = self._run(key, code, request_id)
        if outcome is None or outcome.delegate:
            return self.django(environ, start_response)
        if outcome.refusal:
            request_logger.warning("Bad Request: %s", self.path, extra={"status_code": 400})
            body = {"code": "invalid", "detail": outcome.refusal, "fields": {"token": [outcome.refusal]}}
            status = "400 Bad Request"
        else:
            body = {
                "attendance": outcome.attendance,
                "meeting": outcome.meeting,
                "already": outcome.already,
                "guest": outcome.guest,
                "detail": outcome.message,
            }
            status = "200 OK" if outcome.already else "201 Created"
            if not outcome.already:
                self._nudge()
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        start_response(
            status,
            [
                ("Content-Type", "application/json"),
                ("Vary", "Accept, Accept-Language"),
                ("Allow", "POST, OPTIONS"),
                ("X-Request-ID", request_id),
                *self.frame,
                ("Content-Length", str(len(payload))),
                ("Content-Language", settings.LANGUAGE_CODE),
                *self.security,
            ],
        )
        return [payload]

    def _plain_request(self, environ) -> str | None:
        """The API key when the request is one DRF would treat exactly as we do, else None (Django answers)."""
        if (
            "HTTP_COOKIE" in environ
            or environ.get("QUERY_STRING")
            or (  # ?format=api: DRF's browsable API
                environ.get("CONTENT_TYPE", "").lower() not in _JSON_TYPES
            )
        ):
            return None
        if environ.get("HTTP_ACCEPT", "").strip() not in _ACCEPT_JSON:
            return None
        host = (
            environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
        )
        domain, _port = split_domain_port(host)
        if not domain or not validate_host(domain, self.allowed_hosts):
            return None
        try:  # as DRF's get_authorization_header: latin-1 bytes split on ASCII whitespace
            parts = environ.get("HTTP_AUTHORIZATION", "").encode("latin-1").split()
        except UnicodeEncodeError:
            return None
        if len(parts) != 2 or parts[0].lower() != b"token" or not _KEY.fullmatch(key := parts[1].decode()):
            return None
        return key

    def _code(self, environ) -> str | None:
        """The QR token from a small JSON body; the body stays readable for Django if we hand over."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if not 0 < length <= _MAX_BODY:
            return None
        raw = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(raw)
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_refuse)
        except ValueError:  # also UnicodeDecodeError
            return None
        token = data.get("token") if isinstance(data, dict) else None
        return token if isinstance(token, str) and _CODE.fullmatch(token) else None

    def _run(self, key: str, code: str, request_id: str):
        try:
            cursor = self._cursor()
            return check_in_one_statement(
                cursor, api_key=key, token=code, now=timezone.now(), request_id=request_id
            )
        except (
            Exception
        ):  # the statement rolled back as a whole: Django's path answers (and reports its own error)
            logger.warning("lean check-in failed; Django answers this request", exc_info=True)
            self._drop()
            return None

    def _nudge(self) -> None:
        """Tell the audit listeners (the dashboard's rollup refresh) that entries were written by SQL, at most
        once every NUDGE_SECONDS per process: the refresh reads every entry since its watermark anyway."""
        now = time.monotonic()
        if now - self.nudged_at < NUDGE_SECONDS:
            return
        self.nudged_at = now
        try:
            audit.notify_listeners()
        except Exception:  # a listener must never fail a check-in that has committed
            logger.warning("audit listeners failed after a lean check-in", exc_info=True)

    def _cursor(self):
        cursor = getattr(self.local, "cursor", None)
        if cursor is None or cursor.connection.closed or cursor.connection.broken:
            self._drop()
            self.local.conn = connect()
            cursor = self.local.cursor = self.local.conn.cursor()
        return cursor

    def _drop(self) -> None:
        conn, self.local.conn, self.local.cursor = getattr(self.local, "conn", None), None, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # closing a broken connection
                pass


def connect():
    """A psycopg 3 connection to Django's default database, autocommit: each statement is its own transaction."""
    import psycopg

    params = connections["default"].get_connection_params()
    for django_only in ("cursor_factory", "context", "prepare_threshold", "server_side_binding"):
        params.pop(django_only, None)
    params.setdefault(
        "application_name", APPLICATION_NAME
    )  # pg_stat_activity: the bench sums these backends' CPU
    return psycopg.connect(**params, autocommit=True)


def _security_headers() -> tuple[list, list]:
    """What XFrameOptionsMiddleware and SecurityMiddleware add to the API answer (in Django's order)."""
    frame = [("X-Frame-Options", settings.X_FRAME_OPTIONS)] if settings.X_FRAME_OPTIONS else []
    headers = []
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    policy = settings.SECURE_REFERRER_POLICY
    if policy:
        headers.append(("Referrer-Policy", policy if isinstance(policy, str) else ",".join(policy)))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    return frame, headers


def _refuse(constant):
    raise ValueError(f"JSON constant {constant} is not accepted")
