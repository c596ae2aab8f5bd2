"""Django settings for SINASEC.

Every knob is read from an environment variable through ``sinasec.env`` and has a
default that works on a developer's machine: SQLite under ``var/``, debug off unless
asked, Spanish (Peru) first.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django
from whitenoise.compress import Compressor

from sinasec.env import env_bool, env_cache, env_int, env_list, env_path, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

VAR_DIR = env_path("SINASEC_VAR_DIR", PROJECT_DIR / "var")
# Where the demo looks for the reference files users bring (INEI CSV, GeoJSON).
SHARED_DATA_DIR = env_path("SINASEC_SHARED_DATA", PROJECT_DIR.parent / "shared" / "data")

DEBUG = env_bool("SINASEC_DEBUG", False)
# A fixed development key, so that commands and tests run on a fresh checkout. With debug
# off, the server refuses it (sinasec.core.deploy): production sets SINASEC_SECRET_KEY.
DEFAULT_SECRET_KEY = "sinasec-development-key-change-me-in-production"
SECRET_KEY = env_str("SINASEC_SECRET_KEY", DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env_list("SINASEC_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("SINASEC_CSRF_TRUSTED_ORIGINS", [])
# The account commands act as without --as (empty: the system account, see core/commands.py).
CLI_USER = env_str("SINASEC_CLI_USER", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Serves the API docs page (Swagger UI) from the package, not from a CDN.
    "ninja",
    # The background workers' queue, in the database (sinasec worker runs it).
    "django_tasks_db",
    # Sign-in throttling and lockout (failed attempts and locks in the database).
    "axes",
    # Optional TOTP two-factor sign-in (the devices and their keys).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "sinasec.core",
    "sinasec.accounts",
    "sinasec.audit",
    "sinasec.jobs",
    "sinasec.territories",
    "sinasec.institutions",
    "sinasec.catalog",
    "sinasec.committees",
    # In-app and e-mail notifications; `sinasec notify` (plans and barrios register sources).
    "sinasec.notifications",
    "sinasec.plans",
    # Sessions of committees, technical tables and the commission; public consultations.
    "sinasec.meetings",
    "sinasec.community",
    "sinasec.observatory",
    # A committee's scorecard (web and PDF) and a region's scorecards in one PDF.
    "sinasec.scorecards",
    "sinasec.barrios",
    "sinasec.people",
    # Sign-in, passwords, lockout and two-factor (above audit: its writes are audited).
    "sinasec.signin",
    # `sinasec backup` and `sinasec restore` (no models).
    "sinasec.backups",
    "sinasec.site",
]

MIDDLEWARE = [
    # First: every request gets an id and one log line, whatever answers it.
    "sinasec.core.requestlog.RequestLogMiddleware",
    # /healthz and /readyz answered before the host check, the HTTPS redirect, sessions
    # and locale: a load balancer probes the server's own address over plain HTTP.
    "sinasec.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (hashed names, gzip and brotli) from STATIC_ROOT, before any session.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body: a request over SINASEC_MAX_UPLOAD_MB is a 413.
    "sinasec.core.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the TOTP step.
    "django_otp.middleware.OTPMiddleware",
    # With SINASEC_REQUIRE_2FA_FOR_NATIONAL, national roles enrol before anything else.
    "sinasec.signin.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Django >= 6 has its own; Django 5.2 (the Python 3.11 install) gets ours, same setting.
    "django.middleware.csp.ContentSecurityPolicyMiddleware"
    if django.VERSION >= (6, 0)
    else "sinasec.core.middleware.ContentSecurityPolicyMiddleware",
    "sinasec.core.middleware.AccessDeniedMiddleware",
    # Turns a sign-in refused for a lock into the Spanish lockout page (last, as axes asks).
    "axes.middleware.AxesMiddleware",
]

# A strict Content-Security-Policy on every response: scripts and styles only from our
# own static files (no inline <script>, style="" or on...= handler), no plugins, no
# framing, forms posting only here. The API's Swagger page (/api/v1/docs, ninja's
# static files and a JSON data block) needs no exception.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

ROOT_URLCONF = "sinasec.urls"
# Every API list is paged with bounded limit and offset (see core/pagination.py).
NINJA_PAGINATION_CLASS = "sinasec.core.pagination.BoundedPagination"
NINJA_PAGINATION_MAX_LIMIT = 1000
WSGI_APPLICATION = "sinasec.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sinasec.accounts.context_processors.scope",
                "sinasec.notifications.context_processors.bell",
            ],
        },
    },
]

# Django's form renderer with its plainest widget templates written in Python (the same
# HTML; a signed-in page renders dozens of controls): sinasec/core/renderers.py.
FORM_RENDERER = "sinasec.core.renderers.FastWidgets"

DATABASE_URL = env_str("SINASEC_DATABASE_URL", f"sqlite:///{VAR_DIR / 'sinasec.sqlite3'}")
if DATABASE_URL.startswith("sqlite:///"):
    # The embedded default must work on a fresh checkout: make its folder.
    Path(DATABASE_URL.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_MIN_LENGTH = env_int("SINASEC_PASSWORD_MIN_LENGTH", 10)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The lockout check first (it needs the request: sign-in pages pass it), then the
# ordinary accounts, which refuse inactive users at sign-in and on every request.
AUTHENTICATION_BACKENDS = [
    "sinasec.signin.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout (django-axes): after SINASEC_LOGIN_FAILURE_LIMIT wrong passwords for
# one username, from any address, that account cannot sign in for
# SINASEC_LOGIN_LOCKOUT_MINUTES (or until a national administrator unlocks it).
AXES_FAILURE_LIMIT = env_int("SINASEC_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("SINASEC_LOGIN_LOCKOUT_MINUTES", 15)
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns that a lock without the address can be dodged by changing browser: not this
# one, which sums a username's failures over every address and browser. A lock by
# address is left out on purpose: behind an unconfigured proxy every user shares one.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lock are refused unchecked and do not extend it: the lock ends when
# announced.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "sinasec.signin.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "sinasec.signin.clientip.client_ip"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# How many reverse proxies in front of SINASEC append to X-Forwarded-For: 0 (default)
# trusts only the connection's address, since a client can write any header.
TRUSTED_PROXIES = env_int("SINASEC_TRUSTED_PROXIES", 0)
# A password reset e-mail goes to one address at most once in this many minutes.
PASSWORD_RESET_COOLDOWN_MINUTES = env_int("SINASEC_PASSWORD_RESET_COOLDOWN_MINUTES", 5)
# Two-factor sign-in (TOTP) is optional; with this on, national roles must enrol first.
REQUIRE_2FA_FOR_NATIONAL = env_bool("SINASEC_REQUIRE_2FA_FOR_NATIONAL", False)
OTP_TOTP_ISSUER = "SINASEC"
LOGIN_URL = "signin:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "site:home"

LANGUAGE_CODE = "es-pe"
LANGUAGES = [("es-pe", "Español (Perú)"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `sinasec collectstatic` writes each file under a content-hashed name with its .gz and
    # .br, served with a far-future Cache-Control (tests swap in the plain storage, see
    # conftest.py; with SINASEC_DEBUG on, the pages link the unhashed names).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# whitenoise's list of already-compressed formats, plus source maps: only a developer's
# browser tools fetch them, and compressing the API docs' 5 MB of maps took two thirds of
# `collectstatic` (32 s of CPU instead of 10.5 s, paid by every `make run`).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
# Uploaded evidence files (scanned actas, execution evidence), read and written only
# through the default storage above and served only by permission-checked views: there
# is no media URL. Several app servers share this folder (or an object storage backend).
MEDIA_ROOT = env_path("SINASEC_MEDIA_DIR", VAR_DIR / "media")
# The largest evidence file, in MB (PDF, JPG or PNG, checked by content).
EVIDENCE_MAX_MB = env_int("SINASEC_EVIDENCE_MAX_MB", 10)

# The largest request (an uploaded file with its form), in MB: larger ones are refused
# with a 413 before they are read (a district GeoJSON is ~2 MB, an INEI CSV 0.2 MB).
MAX_UPLOAD_MB = env_int("SINASEC_MAX_UPLOAD_MB", 20)
# Django's own limits: form fields and JSON bodies (files excluded) up to the same size;
# an uploaded file over 2.5 MB is streamed to a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto: HTTPS only, secure cookies,
# HSTS. Off by default so that `make run` works over plain http on a laptop.
HTTPS = env_bool("SINASEC_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SINASEC_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SINASEC_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SINASEC_HSTS_PRELOAD", False)
if not env_bool("SINASEC_HSTS_PRELOAD", False):
    # Preloading is a decision to submit the domain to the browsers' lists, taken with
    # SINASEC_HSTS_PRELOAD; left off, `check --deploy` has nothing to report on it.
    SILENCED_SYSTEM_CHECKS += ["security.W021"]
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with one plain query (sinasec/core/sessions.py).
SESSION_ENGINE = "sinasec.core.sessions"
SESSION_COOKIE_AGE = env_int("SINASEC_SESSION_AGE_HOURS", 12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SINASEC_SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
# A refused form (expired or forged CSRF token) explained in the site's own 403 page.
CSRF_FAILURE_VIEW = "sinasec.core.views.csrf_failure"

# `sinasec serve` (granian): where it listens, how many worker processes (one per core)
# and how many threads each runs requests on (while one waits on the database, another
# computes; measured in bench/web_load.py).
WEB_BIND = env_str("SINASEC_BIND", "127.0.0.1:8000")
# The cores this process may use (a container's share, not the host's), where the OS says.
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
WEB_WORKERS = env_int("SINASEC_WEB_WORKERS", _CORES)
# 12, not 4: a cached page waiting for a free thread behind signed-in pages took 10x
# longer; with a thread for each request in flight, Python's interpreter lock shares
# the cores between them and the cheap ones finish first (bench/web_load.py, mixed
# load: 90 req/s with 4, 292 with 12). Each thread keeps one PostgreSQL connection.
WEB_THREADS = env_int("SINASEC_WEB_THREADS", 12)
# How long a thread of the server keeps Python's interpreter lock when others want it
# (sinasec/wsgi.py): 1 ms, not Python's 5, so a request back from a query resumes sooner
# (bench/web_load.py, mixed load: p99 356 -> 300 ms).
SWITCH_INTERVAL_MS = float(env_str("SINASEC_SWITCH_INTERVAL_MS", "1"))

# One line per request on "sinasec.request" (id, user, status, duration) and errors with
# their traceback, as text or as one JSON object a line (SINASEC_LOG_FORMAT=json).
LOG_LEVEL = env_str("SINASEC_LOG_LEVEL", "INFO").upper()
LOG_FORMAT = env_str("SINASEC_LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ValueError(f"SINASEC_LOG_FORMAT={LOG_FORMAT!r} is not 'text' or 'json'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "sinasec.core.requestlog.RequestContextFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "sinasec.core.requestlog.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": LOG_FORMAT,
        }
    },
    # Other libraries from WARNING up (fontTools logs every PDF's fonts at INFO).
    "root": {
        "handlers": ["console"],
        "level": LOG_LEVEL if LOG_LEVEL in ("ERROR", "CRITICAL") else "WARNING",
    },
    "loggers": {"sinasec": {"level": LOG_LEVEL}, "django": {"level": LOG_LEVEL}},
}
PLAN_DEADLINE = env_str("SINASEC_PLAN_DEADLINE", "03-31")
EXECUTION_DUE_DAYS = env_int("SINASEC_EXECUTION_DUE_DAYS", 10)
# Public consultations a committee is expected to hold a year (the 2010 plan: one a quarter).
CONSULTATIONS_PER_YEAR = env_int("SINASEC_CONSULTATIONS_PER_YEAR", 4)
# Ordinary and extraordinary sessions a committee is expected to hold a year (compliance:
# sessions held vs expected to date; one a quarter by default, 12 if monthly is asked).
SESSIONS_PER_YEAR = env_int("SINASEC_SESSIONS_PER_YEAR", 4)
# Traffic light of plan progress: executed ÷ programmed to date.
PROGRESS_GREEN = float(env_str("SINASEC_PROGRESS_GREEN", "0.9"))
PROGRESS_YELLOW = float(env_str("SINASEC_PROGRESS_YELLOW", "0.6"))
# A committee executing less than this % of what it programmed for a quarter or semester
# is flagged (municipal incentive rules measured 75 % per semester).
EXECUTION_THRESHOLD_PCT = env_int("SINASEC_EXECUTION_THRESHOLD_PCT", 75)
INCIDENTS_DIR = env_path("SINASEC_INCIDENTS_DIR", VAR_DIR / "incidents")
# Geocoding quality (sinasec.incidents.geocoding): a point shared by this many incidents
# within one period (month or year) is a probable forced placement (a police station, a
# centroid), left out of maps and models unless asked; the source values' table.
GEOCODING_STACK_MIN = env_int("SINASEC_GEOCODING_STACK_MIN", 10)
GEOCODING_STACK_PERIOD = env_str("SINASEC_GEOCODING_STACK_PERIOD", "month")
# ... and one within this many metres of a registered police station is forced onto it.
GEOCODING_STATION_RADIUS_M = env_int("SINASEC_GEOCODING_STATION_RADIUS_M", 150)
GEOCODING_VALUES_FILE = env_path(
    "SINASEC_GEOCODING_VALUES_FILE", PACKAGE_DIR / "incidents" / "geocoding_values.csv"
)
# How much one import may read (sinasec.core.imports.limits): a file over any limit is
# refused as a whole, before it holds a worker or its memory.
IMPORT_MAX_BYTES = env_int("SINASEC_IMPORT_MAX_MB", 64) * 1024 * 1024
IMPORT_MAX_ROWS = env_int("SINASEC_IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_FEATURES = env_int("SINASEC_IMPORT_MAX_FEATURES", 5_000)
IMPORT_MAX_VERTICES = env_int("SINASEC_IMPORT_MAX_VERTICES", 1_000_000)
IMPORT_MAX_INCIDENT_ROWS = env_int("SINASEC_IMPORT_MAX_INCIDENT_ROWS", 20_000_000)

# Background jobs (sinasec.jobs): Django's tasks framework with the database backend,
# so the queue needs no broker and lives in the same database; `sinasec worker` runs it.
JOBS_QUEUE = "sinasec"
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": [JOBS_QUEUE],
    }
}
# Committee-event and plan files larger than this (MB) are imported by the worker; smaller
# ones in the request, as before.
JOB_THRESHOLD_MB = env_int("SINASEC_JOB_THRESHOLD_MB", 2)
# A running job whose heartbeat (written every 30 s while it runs) is older than this
# many minutes lost its worker (killed): `sinasec worker` marks it failed.
JOB_STALE_MINUTES = max(1, env_int("SINASEC_JOB_STALE_MINUTES", 10))

# Public aggregate pages (core/cache.py): per-process memory by default, safe under several
# app servers because every key holds the data generation read from the database at most
# once per CACHE_GENERATION_SECONDS (the staleness bound); a shared backend is optional.
CACHES = {"default": env_cache("SINASEC_CACHE_URL", "locmem://")}
PAGE_CACHE_SECONDS = env_int("SINASEC_PAGE_CACHE_SECONDS", 300)
CACHE_GENERATION_SECONDS = float(env_str("SINASEC_CACHE_GENERATION_SECONDS", "1"))
# Once its data changed, a cached page is rendered again at most once per this interval:
# under a stream of writes visitors see figures up to this old, and the app renders each
# page once per interval instead of after every write (0: every write shows at once).
PAGE_REFRESH_SECONDS = env_int("SINASEC_PAGE_REFRESH_SECONDS", 30)

# E-mail (invitations): the console in development and the demo; SMTP in production
# when SINASEC_EMAIL_HOST is set. Django 6.1 configures it as MAILERS, 5.2 as EMAIL_*.
EMAIL_SMTP = {
    "host": env_str("SINASEC_EMAIL_HOST", ""),
    "port": env_int("SINASEC_EMAIL_PORT", 587),
    "username": env_str("SINASEC_EMAIL_USER", ""),
    "password": env_str("SINASEC_EMAIL_PASSWORD", ""),
    "use_tls": env_bool("SINASEC_EMAIL_TLS", True),
}
_MAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_SMTP["host"]
    else "django.core.mail.backends.console.EmailBackend"
)
if django.VERSION >= (6, 1):
    MAILERS = {
        "default": {
            "BACKEND": _MAIL_BACKEND,
            "OPTIONS": EMAIL_SMTP if EMAIL_SMTP["host"] else {},
        }
    }
else:
    EMAIL_BACKEND = _MAIL_BACKEND
    EMAIL_HOST, EMAIL_PORT = EMAIL_SMTP["host"], EMAIL_SMTP["port"]
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = EMAIL_SMTP["username"], EMAIL_SMTP["password"]
    EMAIL_USE_TLS = EMAIL_SMTP["use_tls"]
DEFAULT_FROM_EMAIL = env_str("SINASEC_EMAIL_FROM", "SINASEC <no-responder@sinasec.gob.pe>")
# Links in e-mails point here (a command has no request to take the host from).
SITE_URL = env_str("SINASEC_SITE_URL", "http://127.0.0.1:8000")
# How long an invitation link works, in days.
INVITATION_DAYS = env_int("SINASEC_INVITATION_DAYS", 7)
# `sinasec notify` warns of a monthly report this many days before it is due.
NOTIFY_DUE_DAYS = env_int("SINASEC_NOTIFY_DUE_DAYS", 5)
