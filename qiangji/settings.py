"""Qiangji settings: everything that varies by deployment comes from environment variables."""

from pathlib import Path

import dj_database_url

from qiangji.env import env_bool, env_int, env_list, env_str, secret_from_file

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("QIANGJI_VAR_DIR", str(BASE_DIR.parent / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("QIANGJI_DEBUG", False)
SECRET_KEY = secret_from_file("QIANGJI_SECRET_KEY", VAR_DIR / "secret_key")
# Secret for AES-256-GCM encryption of ID numbers and phones (any long random string; the
# encryption and blind-index keys are derived from it, see core/crypto.py). Losing it loses the data.
DATA_KEY = secret_from_file("QIANGJI_DATA_KEY", VAR_DIR / "data_key", nbytes=32)
# Older data secrets still accepted for decryption during a key rotation (comma-separated; `qiangji rotate_keys`).
DATA_KEYS_PREVIOUS = env_list("QIANGJI_DATA_KEYS_PREVIOUS", "")
# Field cipher for new values: "aes-256-gcm" or "sm4-gcm"; blind index: "hmac-sha256" or "hmac-sm3" (ADR 0021).
# Changing either needs `qiangji rotate_keys` (old values still decrypt; lookups use the new index after it).
QIANGJI_FIELD_CIPHER = env_str("QIANGJI_FIELD_CIPHER", "aes-256-gcm")
QIANGJI_BLIND_INDEX = env_str("QIANGJI_BLIND_INDEX", "hmac-sha256")
# Encrypts `qiangji backup` files; kept apart from DATA_KEY (refused if equal). The demo generates one into
# var/backup_key; production sets it in the environment and keeps a copy offline (docs/security.md).
QIANGJI_BACKUP_KEY = secret_from_file("QIANGJI_BACKUP_KEY", VAR_DIR / "backup_key", nbytes=32)
ALLOWED_HOSTS = env_list("QIANGJI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("QIANGJI_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "qiangji.core",
    "qiangji.orgs",
    "qiangji.members",
    "qiangji.recruitment",
    "qiangji.life",
    "qiangji.mobility",
    "qiangji.dues",
    "qiangji.service",
    "qiangji.education",
    "qiangji.governance",
    "qiangji.assessment",
    "qiangji.dashboard",
    "qiangji.tooling",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "qiangji.core.security.SecurityHeadersMiddleware",  # CSP with a nonce, Permissions-Policy, Referrer-Policy
    "qiangji.core.middleware.ApiErrorMiddleware",  # /api/ errors as JSON {code, detail, fields}, never HTML
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "qiangji.core.middleware.ChosenLanguageMiddleware",  # Chinese unless switched (not Accept-Language)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # idle timeout, single session, password expiry, second factor; 503 when the database is unreachable
    "qiangji.core.security.SessionSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "qiangji.core.middleware.RequestIdMiddleware",
    "axes.middleware.AxesMiddleware",
    "qiangji.core.security.DatabaseUnavailableMiddleware",  # innermost: a view's OperationalError → 503
]

ROOT_URLCONF = "qiangji.urls"
WSGI_APPLICATION = "qiangji.wsgi.application"
ASGI_APPLICATION = "qiangji.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "qiangji.core.context_processors.scope",
                "qiangji.core.security.csp_nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("QIANGJI_DATABASE_URL", f"sqlite:///{VAR_DIR / 'qiangji.sqlite3'}"),
        conn_max_age=env_int("QIANGJI_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
_test_db_name = env_str("QIANGJI_TEST_DB_NAME", "")
if _test_db_name:
    DATABASES["default"]["TEST"] = {"NAME": _test_db_name}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("QIANGJI_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Redis down: pages keep serving (a miss, 1 s at most), nothing raises (issue #13 faults)
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    # Shared between the web process and the job worker without an extra server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

TASK_BACKEND = env_str("QIANGJI_TASK_BACKEND", "db")
if TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASK_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    # django-tasks enqueues a Task, not a function: the worker must run it with django-tasks-rq's job
    # class, or every job fails with "'Task' object is not callable".  The worker command (README):
    # `qiangji rqworker default --job-class django_tasks_rq.Job --with-scheduler`; JOB_CLASS makes
    # django-rq's own defaults (rqworker without --job-class, rqscheduler) use it as well.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    INSTALLED_APPS.append("django_rq")
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "qiangji.core.security.ComplexityValidator"},  # 3 of 4 character classes (docs/security.md)
]
# Level-3 controls (docs/security.md): password expiry (0 = off), idle timeout, one session per account,
# TOTP second factor for department roles (county and above) — off in the demo, on in production.
QIANGJI_PASSWORD_MAX_AGE_DAYS = env_int(
    "QIANGJI_PASSWORD_MAX_AGE_DAYS", 0 if env_bool("QIANGJI_DEMO", False) else 90
)
QIANGJI_SESSION_IDLE_MINUTES = env_int("QIANGJI_SESSION_IDLE_MINUTES", 30)
QIANGJI_SINGLE_SESSION = env_bool("QIANGJI_SINGLE_SESSION", False)
QIANGJI_OTP_REQUIRED = env_bool("QIANGJI_OTP_REQUIRED", False)
OTP_TOTP_ISSUER = "强基"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
# JSON {"code": "locked_out"} under /api/, the Chinese page elsewhere.
AXES_LOCKOUT_CALLABLE = "qiangji.core.views.lockout_response"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("QIANGJI_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("QIANGJI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
QIANGJI_IMPORT_MAX_BYTES = env_int("QIANGJI_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
# Education: course media and training evidence uploads (MB); in production the front web server serves
# course media under this internal prefix (X-Accel-Redirect; empty = through the app, with Range).
QIANGJI_EDUCATION_UPLOAD_MAX_MB = env_int("QIANGJI_EDUCATION_UPLOAD_MAX_MB", 1024)
QIANGJI_EDUCATION_EVIDENCE_MAX_MB = env_int("QIANGJI_EDUCATION_EVIDENCE_MAX_MB", 20)
QIANGJI_EDUCATION_ACCEL_PREFIX = env_str("QIANGJI_EDUCATION_ACCEL_PREFIX", "")
# Days before a committee's term ends at which the "term due" (换届提醒) alert starts (docs/rules.md §2, 任期).
QIANGJI_TERM_DUE_DAYS = env_int("QIANGJI_TERM_DUE_DAYS", 90)
# Validity of an introduction letter for a transfer, in days (docs/rules.md §5, default 90).
QIANGJI_LETTER_VALID_DAYS = env_int("QIANGJI_LETTER_VALID_DAYS", 90)
# Ed25519 key signing activity certificates (PEM or base64 seed); empty: generated into VAR_DIR once.
QIANGJI_CERT_SIGNING_KEY = env_str("QIANGJI_CERT_SIGNING_KEY", "")
# Date from which steps follow rule set fzdy-2026 (docs/rules.md, 规则集与版本: the revised 细则, published 2026-05-18);
# ISO date, a setting until the official text confirms it.
QIANGJI_FZDY_2026_EFFECTIVE = env_str("QIANGJI_FZDY_2026_EFFECTIVE", "2026-05-18")
# Every django-tables2 table scrolls sideways on phones and uses the shared pagination.
DJANGO_TABLES2_TEMPLATE = "core/_table.html"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Bounds every app's integer filters (64-bit) and refuses "" for an enum: 400 with the field named.
    "DEFAULT_FILTER_BACKENDS": ["qiangji.core.filters.FilterBackend"],
    # limit 1..1000, offset 0..10^9, else 400 with the parameter named (both bounds in the OpenAPI).
    "DEFAULT_PAGINATION_CLASS": "qiangji.core.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "qiangji.core.api.AutoSchema",  # documents 400/401/403/404 everywhere
    "EXCEPTION_HANDLER": "qiangji.core.api.exception_handler",
    # Rate limits (qiangji.core.ratelimit, docs/security.md): writes per user, anonymous clients per IP,
    # a view's throttle_scope; 429 {code: throttled, detail: "操作过于频繁，请 N 秒后再试"}.
    "DEFAULT_THROTTLE_CLASSES": [
        "qiangji.core.ratelimit.WriteRateThrottle",
        "qiangji.core.ratelimit.AnonRateThrottle",
        "qiangji.core.ratelimit.ScopedRateThrottle",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Rates per scope ("N/s|m|h|d"); QIANGJI_RATE_<SCOPE> overrides one (e.g. QIANGJI_RATE_WRITE=300/m).
QIANGJI_RATE_LIMITS = {
    scope: env_str(f"QIANGJI_RATE_{scope.upper()}", rate)
    for scope, rate in {"write": "120/m", "anon": "60/m", "checkin": "30/m", "export": "20/m"}.items()
}
SPECTACULAR_SETTINGS = {
    "TITLE": "强基 Qiangji API",
    "DESCRIPTION": "基层党组织工作平台接口。错误响应为 JSON：code（机器可读）与 detail（中文说明）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],  # schema and docs: signed-in only
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Both models have a `category` field with different choices: name the two enums apart.
    "ENUM_NAME_OVERRIDES": {
        "MemberCategoryEnum": "qiangji.members.choices.Category",
        "OrgCategoryEnum": "qiangji.orgs.choices.OrgCategory",
        "OrgKindEnum": "qiangji.orgs.choices.OrgKind",
        "GrantRoleEnum": "qiangji.core.choices.Role",
        "TransferKindEnum": "qiangji.mobility.choices.TransferKind",
        "FlowReasonEnum": "qiangji.mobility.choices.FlowReason",
        "RevocationReasonEnum": "qiangji.mobility.choices.RevocationReason",
        "LifeMeetingStatusEnum": "qiangji.life.choices.MeetingStatus",
        "LifeAttendanceStatusEnum": "qiangji.life.choices.AttendanceStatus",
        "LifeCheckInMethodEnum": "qiangji.life.choices.CheckInMethod",
        "LifeChecklistKindEnum": "qiangji.life.choices.ChecklistKind",
        "LifePeriodKindEnum": "qiangji.life.choices.PeriodKind",
        "LifeQuorumEnum": "qiangji.life.choices.Quorum",
        "LifeMarkEnum": "qiangji.life.choices.Mark",
        "RecruitmentCaseStatusEnum": "qiangji.recruitment.choices.CaseStatus",
        "RecruitmentStepNumberEnum": "qiangji.recruitment.choices.STEP_CHOICES",
        "RecruitmentVetOutcomeEnum": [("pass", "合格"), ("fail", "不合格")],
        "RecruitmentOutcomeEnum": "qiangji.recruitment.choices.Outcome",
        "RecruitmentVoteEnum": "qiangji.recruitment.api.serializers.VOTE_CHOICES",
        "DuesCategoryEnum": "qiangji.dues.choices.DuesCategory",
        "DuesPaymentMethodEnum": "qiangji.dues.choices.PaymentMethod",
        "DuesOfflineMethodEnum": "qiangji.dues.choices.OFFLINE_METHODS",
        "DuesPaymentKindEnum": "qiangji.dues.choices.PaymentKind",
        "DuesReductionStatusEnum": "qiangji.dues.choices.ReductionStatus",
        "DuesSuggestionKindEnum": "qiangji.dues.choices.SuggestionKind",
        "DuesSuggestionStatusEnum": "qiangji.dues.choices.SuggestionStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("QIANGJI_LOG_LEVEL", "WARNING")},
}

QIANGJI_NOTIFY_BY_EMAIL = env_bool("QIANGJI_NOTIFY_BY_EMAIL", False)
# Security (docs/security.md). The audit hash chain's digest: "sm3" (GB/T 32905) or "sha256" (ADR 0004).
QIANGJI_AUDIT_HASH = env_str("QIANGJI_AUDIT_HASH", "sm3")
# Audit entries are kept at least this many days (等保三级: ≥ 6 months); nothing deletes them earlier.
QIANGJI_AUDIT_RETENTION_DAYS = env_int("QIANGJI_AUDIT_RETENTION_DAYS", 400)
# A job worker renews its lease every third of this; a job whose lease lapses is failed by the scheduler.
QIANGJI_JOB_LEASE_SECONDS = env_int("QIANGJI_JOB_LEASE_SECONDS", 60)
# Worker processes that prepare rows of a large roster import; unset: CPUs - 1 (at most 4), 0: none.
if env_str("QIANGJI_IMPORT_PROCESSES", ""):
    QIANGJI_IMPORT_PROCESSES = env_int("QIANGJI_IMPORT_PROCESSES", 0)
QIANGJI_LIFE_CHECKIN_MINUTES = env_int("QIANGJI_LIFE_CHECKIN_MINUTES", 180)
# QR check-in is open from N minutes before a meeting's start (its date and start time, 00:00 without one)
# until N hours after it (after the end of its day without a start time); outside it a scan is refused.
QIANGJI_CHECKIN_OPENS_MINUTES_BEFORE = env_int("QIANGJI_CHECKIN_OPENS_MINUTES_BEFORE", 60)
QIANGJI_CHECKIN_CLOSES_HOURS_AFTER = env_int("QIANGJI_CHECKIN_CLOSES_HOURS_AFTER", 6)
# Online dues payments (docs/adr/0015-online-dues-payments.md). QIANGJI_DEMO is set by `qiangji demo` only.
QIANGJI_DEMO = env_bool("QIANGJI_DEMO", False)
# SMS gateway for requesters' confirmation codes and notices (qiangji.core.sms): a dotted path to a class with
# send(phone, text). Empty = SMS off (the request desk's public form then says so). The demo prints messages
# on its console (ConsoleBackend, refused outside DEBUG/the demo by the system check core.E101).
QIANGJI_SMS_BACKEND = env_str(
    "QIANGJI_SMS_BACKEND", "qiangji.core.sms.ConsoleBackend" if QIANGJI_DEMO else ""
)
# The provider's registered name; empty = online payment off. "fake" (no money moves) only with DEBUG or
# QIANGJI_DEMO: refused at run time, and `check --deploy` errors (dues.E003).
QIANGJI_PAYMENT_PROVIDER = env_str("QIANGJI_PAYMENT_PROVIDER", "")
QIANGJI_PAYMENT_MERCHANT_ID = env_str("QIANGJI_PAYMENT_MERCHANT_ID", "")
QIANGJI_PAYMENT_APP_ID = env_str("QIANGJI_PAYMENT_APP_ID", "")
# PEM text or a path to a PEM file: our private key (signs requests), the platform's public key (verifies callbacks).
QIANGJI_PAYMENT_MERCHANT_PRIVATE_KEY = env_str("QIANGJI_PAYMENT_MERCHANT_PRIVATE_KEY", "")
QIANGJI_PAYMENT_PLATFORM_PUBLIC_KEY = env_str("QIANGJI_PAYMENT_PLATFORM_PUBLIC_KEY", "")
QIANGJI_PAYMENT_API_KEY = env_str(
    "QIANGJI_PAYMENT_API_KEY", ""
)  # symmetric key (WeChat Pay APIv3 key), if the platform has one
QIANGJI_PAYMENT_NOTIFY_BASE_URL = env_str(
    "QIANGJI_PAYMENT_NOTIFY_BASE_URL", ""
)  # public https origin for callbacks
QIANGJI_PAYMENT_ORDER_MINUTES = env_int("QIANGJI_PAYMENT_ORDER_MINUTES", 30)
QIANGJI_PAYMENT_FAKE_KEY = env_str(
    "QIANGJI_PAYMENT_FAKE_KEY", ""
)  # the fake's Ed25519 key; default derived from SECRET_KEY
QIANGJI_PDF_PACKAGED_FONT_ONLY = env_bool("QIANGJI_PDF_PACKAGED_FONT_ONLY", False)
EMAIL_BACKEND = env_str("QIANGJI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
