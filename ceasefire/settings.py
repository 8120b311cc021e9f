"""Ceasefire cycle settings: one file, every value from the environment.

The embedded defaults run the app on a laptop with no services: SQLite in the
project folder, Celery tasks executed in-process, a local-memory cache and the
console e-mail backend.  Setting ``DATABASE_URL`` and ``REDIS_URL`` switches to
PostgreSQL (psycopg 3) and Redis (broker, result backend, cache).  Malformed
values fail loudly at start-up instead of being silently ignored.
"""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from ceasefire.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_timezone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be an IANA time zone name, got {value!r}"
        ) from None
    return value


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "ceasefire.core.apps.CeasefireAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_filters",
    "template_partials",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ceasefire.core",
    "reviews",
    "coordination",
    "performance",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ceasefire.core.middleware.SessionLimitsMiddleware",
    "ceasefire.core.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ceasefire.core.middleware.CleanInputMiddleware",
    "ceasefire.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]
# Before everything: the caller's real address behind our proxy, the request id on every log line,
# and the health checks (answered before the host check and the HTTPS redirect).
MIDDLEWARE = [
    "ceasefire.core.edge.RealIpMiddleware",
    "ceasefire.core.edge.RequestIdMiddleware",
    "ceasefire.core.health.HealthCheckMiddleware",
    *MIDDLEWARE,
]
# Behind the compose set-up's reverse proxy: REMOTE_ADDR from its X-Real-IP (never set it when
# callers reach gunicorn directly, or they could choose their address).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)

ROOT_URLCONF = "ceasefire.urls"
WSGI_APPLICATION = "ceasefire.wsgi.application"
ASGI_APPLICATION = "ceasefire.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["ceasefire.core.templatetags.fast_url"],  # {% url %} for rows of links
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ceasefire.core.context_processors.navigation",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
            )
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
        "DB_JIT", False
    ):
        # PostgreSQL's JIT compiles the worksheet's wide aggregates on every call: 200+ ms of
        # compiling for 60 ms of work at 10x data. Our queries are short; it only costs us.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # make run's SQLite with several people at once: readers never wait for a writer (WAL), and a
    # writer waits up to 20 s for another instead of failing with "database is locked".
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    sqlite_options.setdefault("timeout", 20)
    sqlite_options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) are a PostgreSQL speed-up; on SQLite Django creates them without the
# extra columns, which is what we want there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Redis: Celery broker/result backend and cache ----------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_EAGER_PROPAGATES = True
# In-process (no REDIS_URL) tasks run on a background thread instead of inside the request, so a
# slow job (the worksheet PDF) answers at once; `make run` sets it. Ignored with a broker.
TASKS_IN_BACKGROUND_THREAD = env_bool("TASKS_IN_BACKGROUND_THREAD", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = None  # set below, after TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Nightly retention: lapse due designations, purge people with nothing recent (core).
    "retention-nightly": {
        "task": "ceasefire.core.tasks.retention_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    # Add shootings logged since to every open shooting review's agenda (reviews app).
    "prepare-open-reviews": {
        "task": "reviews.tasks.prepare_open_reviews",
        "schedule": crontab(minute=15),
    },
    # Daily digest of overdue and due-this-week follow-ups to each organisation (coordination app).
    "followup-digests": {
        "task": "coordination.tasks.send_followup_digests",
        "schedule": crontab(hour=6, minute=30),
    },
    # Generate the worksheet two days before each scheduled performance review (performance app).
    "worksheets-before-reviews": {
        "task": "performance.tasks.generate_upcoming_worksheets",
        "schedule": crontab(hour=5, minute=0),
    },
    # Mark worksheet PDF jobs whose worker died as failed instead of "running" forever.
    "worksheet-job-reaper": {
        "task": "performance.tasks.fail_stuck_worksheet_jobs",
        "schedule": crontab(minute="*/5"),
    },
    # Mark import jobs whose worker died (no progress heartbeat) as failed (reviews app).
    "import-job-reaper": {
        "task": "reviews.tasks.fail_stuck_import_jobs",
        "schedule": crontab(minute="*/5"),
    },
    # Verify the audit log's hash chain; e-mail the administrators when it is broken.
    "audit-verify": {
        "task": "ceasefire.core.tasks.verify_audit_log",
        "schedule": crontab(hour=2, minute=0),
    },
    # Disable accounts nobody signed in to for ACCOUNT_INACTIVE_DAYS.
    "disable-inactive-accounts": {
        "task": "ceasefire.core.tasks.disable_inactive_accounts",
        "schedule": crontab(hour=2, minute=30),
    },
}
WORKSHEET_JOB_TIMEOUT_SECONDS = env_int("WORKSHEET_JOB_TIMEOUT_SECONDS", 10 * 60)

# --- Meeting papers (briefs and follow-up memos, ceasefire/core/papers.py) ----
# Each meeting kind's papers are rendered by its own app (core imports no meeting app).
MEETING_PAPER_BUILDERS = {
    "shooting_review": "reviews.papers.build",
    "coordination": "coordination.papers.build",
    "performance_review": "performance.papers.build",
}
# Closing a meeting queues every audience's follow-up memo (off in most tests and the demo seed).
MEETING_PAPERS_MEMO_ON_CLOSE = env_bool("MEETING_PAPERS_MEMO_ON_CLOSE", True)
CELERY_BEAT_SCHEDULE["paper-job-reaper"] = {
    "task": "ceasefire.core.tasks.fail_stuck_paper_jobs",
    "schedule": crontab(minute="*/5"),
}

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"
# Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane: ~50 ms a check on one core);
# PBKDF2 hashes made before stay valid and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "ceasefire.core.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # ASVS 2.1: at least 12 characters, at most 128, common and breached passwords refused, no
    # composition rules (so no "must contain a digit" and no refusing all-digit passwords).
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "ceasefire.core.passwords.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "ceasefire.core.passwords.BreachedPasswordValidator"},
]
# A larger breached-password list (one password a line, optionally gzipped) for the deployment to
# supply; the bundled list is used when empty.
BREACHED_PASSWORDS_FILE = env_str("BREACHED_PASSWORDS_FILE")

# Lockout (django-axes): AXES_FAILURE_LIMIT failures within the cool-off window lock the account
# itself, from any address, until the window has passed since the last failure or an administrator
# unlocks it; the same number of failures from one address (any usernames) throttles that address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ADMIN = False  # unlocking is the user admin's audited action

# Second factor (django-otp: TOTP with static recovery codes).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Ceasefire cycle")
OTP_RECOVERY_CODES = 10

# Sessions: signed out after SESSION_IDLE_MINUTES without a request and SESSION_ABSOLUTE_HOURS
# after signing in, whatever happens in between.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Accounts nobody signed in to for this many days are disabled by the nightly job.
ACCOUNT_INACTIVE_DAYS = env_int("ACCOUNT_INACTIVE_DAYS", 90)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_MINUTES", 60) * 60
# Password-reset requests per address within the lockout window (AXES_COOLOFF_MINUTES).
PASSWORD_RESET_ATTEMPTS = env_int("PASSWORD_RESET_ATTEMPTS", 10)

# --- Security headers ----------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-csp: scripts and styles from our own static files only; no inline code, no eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_timezone("TIME_ZONE", "America/Los_Angeles")
CELERY_TIMEZONE = TIME_ZONE
USE_I18N = True
USE_TZ = True

# --- Static and media (Django's storage API: S3-style storage can replace it) --
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {
        "BACKEND": env_str("DEFAULT_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    # Compressed, not manifest: works without collectstatic (make run); the Dockerfile collects.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- E-mail (console by default; SMTP via EMAIL_URL-style variables) ---------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ceasefire-cycle@localhost")
SITE_URL = env_str("SITE_URL", "").rstrip(
    "/"
)  # absolute links in e-mails, e.g. https://ceasefire.example.org

# --- REST framework -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_THROTTLE_RATE", "600/minute"),
        "token": env_str("API_TOKEN_THROTTLE_RATE", "600/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# API v1's OpenAPI schema (drf-spectacular); Swagger UI served from drf-spectacular-sidecar.
SPECTACULAR_SETTINGS = {
    "TITLE": "Ceasefire cycle API",
    "DESCRIPTION": "API v1: the pages' permissions, services and audit, for integrations.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "PREPROCESSING_HOOKS": ["ceasefire.core.api.schema.only_v1"],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "ceasefire.core.models.Task.Status",
        "TaskKindEnum": "ceasefire.core.models.Task.Kind",
        "ConflictStatusEnum": "ceasefire.core.models.Conflict.Status",
        "WorksheetStatusEnum": "ceasefire.core.models.Worksheet.Status",
        "MeetingKindEnum": "ceasefire.core.models.Meeting.Kind",
        "MeetingStateEnum": "ceasefire.core.models.Meeting.State",
        "EnforcementKindEnum": "ceasefire.core.models.EnforcementAction.Kind",
    },
}
# API tokens: default and longest lifetime in days.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)

# --- Domain settings ---------------------------------------------------------------
DESIGNATION_REVIEW_DAYS = env_int("DESIGNATION_REVIEW_DAYS", 90)
# at most this many people suggested at imminent risk per shooting; the rest fold away
SUGGESTION_CAP = env_int("SUGGESTION_CAP", 8)
# people with nothing recent (designation, involvement, task, contact) for this long are purged
RETENTION_YEARS = env_int("RETENTION_YEARS", 5)
# counts above zero and below this are suppressed when broken down below citywide (non-police)
SMALL_CELL_THRESHOLD = env_int("SMALL_CELL_THRESHOLD", 5)
PAGE_SIZE = env_int("PAGE_SIZE", 50)
# The public transparency page (off until an admin switches it on in the partnership settings).
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 600)
PUBLIC_RATE_LIMIT_PER_MINUTE = env_int("PUBLIC_RATE_LIMIT_PER_MINUTE", 60)
# The most rows one import file may hold (imports run as background jobs, streamed).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
# An import job with no progress heartbeat for this long is marked failed (its worker died).
IMPORT_JOB_STALE_MINUTES = env_int("IMPORT_JOB_STALE_MINUTES", 10)

# --- Operations: logs, health, error tracking (README "Operations") -------------------------
# One JSON object a line with the request id (ceasefire/logs.py); text for a developer's terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
try:
    LOGGING = logging_config(LOG_FORMAT, env_str("LOG_LEVEL", "INFO"))
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from None
# Celery's worker keeps Django's logging (JSON, request ids) instead of installing its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Readiness (/health/ready/): beat's heartbeat task runs every HEALTH_HEARTBEAT_SECONDS; older than
# HEALTH_HEARTBEAT_MAX_AGE means no worker is working; media needs HEALTH_MEDIA_MIN_FREE_MB free.
HEALTH_HEARTBEAT_SECONDS = env_int("HEALTH_HEARTBEAT_SECONDS", 30)
HEALTH_HEARTBEAT_MAX_AGE = env_int("HEALTH_HEARTBEAT_MAX_AGE", 120)
HEALTH_MEDIA_MIN_FREE_MB = env_int("HEALTH_MEDIA_MIN_FREE_MB", 500)
CELERY_BEAT_SCHEDULE["worker-heartbeat"] = {
    "task": "ceasefire.core.tasks.heartbeat",
    "schedule": HEALTH_HEARTBEAT_SECONDS,
    # a heartbeat nobody picked up in time is dropped, not run late: a stuck queue reads as stale
    "options": {"expires": HEALTH_HEARTBEAT_SECONDS},
}

# Scale-out: with Redis, sessions are read from the cache (shared by every web replica) and
# written through to the database, so a Redis restart signs nobody out. Persistent database
# connections are checked before reuse (a restarted PostgreSQL costs one error, not many).
if REDIS_URL:
    SESSION_ENGINE = env_str("SESSION_ENGINE", "django.contrib.sessions.backends.cached_db")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DB_CONN_HEALTH_CHECKS", True)

# Error tracking, opt-in: nothing is sent anywhere unless SENTRY_DSN is set. Person data is
# scrubbed before an event leaves (ceasefire/sentry.py); no request bodies, cookies, query strings
# or local variables are sent.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from ceasefire.sentry import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE") or None,
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
    )

# How often an open shooting review's page asks what other facilitators changed (seconds).
REVIEW_LIVE_POLL_SECONDS = env_int("REVIEW_LIVE_POLL_SECONDS", 4)
