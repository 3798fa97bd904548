"""One settings module for every environment; what varies is read from the environment.

Defaults are for a local run (SQLite under var/, Celery on the filesystem transport,
e-mail to the console). Production sets DATABASE_URL, CELERY_BROKER_URL, REDIS_URL,
SECRET_KEY, ALLOWED_HOSTS and DEBUG=false; every variable is listed in README.md.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class _Env(environ.Env):
    """django-environ, but a value that cannot be cast names its variable."""

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):  # type: ignore[no-untyped-def]
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"environment variable {var} has an invalid value: {exc}"
            ) from None


env = _Env()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
_LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=_LOCAL_HOSTS)
# The insecure default only exists so `make run` and the tests need no set-up. A site that
# serves any other host name must set its own key: refusing to start beats signing sessions
# with a key that is public in this repository.
_DEVELOPMENT_KEY = "django-insecure-local-development-only"
SECRET_KEY = env.str("SECRET_KEY", default="") or _DEVELOPMENT_KEY
if SECRET_KEY == _DEVELOPMENT_KEY and not DEBUG and set(ALLOWED_HOSTS) - set(_LOCAL_HOSTS):
    raise ImproperlyConfigured("SECRET_KEY must be set when ALLOWED_HOSTS names a public host.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "users",
    "portal",
    "credentials",
    "employers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.staff_mfa.StaffTwoFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a Celery worker started by the end-to-end tests sees the test data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-portal.sqlite3")}
    # The web server and the worker write at the same time under `make run`.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "landing"  # role-aware: portal.views.landing

# django-allauth: e-mail is the login; addresses must be verified before they count.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = False
ACCOUNT_MAX_EMAIL_ADDRESSES = 5
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "portal.account_adapter.AccountAdapter"
# Failed logins are counted per (client address, account) and per account, not per address
# alone, so one office or proxy address cannot be used to lock everyone out
# (portal/account_adapter.py, README "Logins and lockout").
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_LIMIT", default="5/5m/key"),
    "login_failed_account": env.str("LOGIN_FAILED_ACCOUNT_LIMIT", default="50/1h/key"),
    "login": env.str("LOGIN_LIMIT", default="100/m/ip"),
}
# The client's address, for those limits: behind N proxies that append to X-Forwarded-For,
# the Nth entry from the right; or the header a single trusted proxy sets (e.g. X-Real-IP).
# Left at 0 / empty, the connecting address counts (right only without a proxy).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default="") or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Credential Portal"

# Local runs (DEBUG) print e-mail to the console; anything else sends it over SMTP.
_EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": {
            "host": env.str("EMAIL_HOST", default="localhost"),
            "port": env.int("EMAIL_PORT", default=25),
            "username": env.str("EMAIL_HOST_USER", default=""),
            "password": env.str("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        }
        if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

REDIS_URL = env.str("REDIS_URL", default="")
# Connect and read timeouts for every Redis call (cache, rate limits, broker publishing): a
# frozen Redis costs a request at most this long, never a gunicorn worker timeout.
REDIS_SOCKET_TIMEOUT_SECONDS = env.float("REDIS_SOCKET_TIMEOUT_SECONDS", default=0.5)
if REDIS_URL:
    # Fails open (portal/cache.py): a cache error is logged and served as a miss, and the
    # process leaves Redis alone for CACHE_RETRY_AFTER_SECONDS before trying again.
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
                "retry_after": env.float("CACHE_RETRY_AFTER_SECONDS", default=5.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    # Web process and worker share one folder on one machine; `make run` creates it.
    _spool = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_spool / "queue"),
        "data_folder_out": str(_spool / "queue"),
        "processed_folder": str(_spool / "processed"),
        "control_folder": str(_spool / "control"),
        "store_processed": False,
        # The transport sleeps this long between polls; its 1 s default caps a worker at
        # about one task a second (bench/pipeline.py: p95 38.6 s → 0.11 s for 100 uploads).
        "polling_interval": 0.05,
    }
    # kombu lists these folders on first use and fails if they are missing; creating them
    # here lets every entry point (manage.py, celery, gunicorn, tests) use the local broker.
    for _folder in ("queue", "processed", "control"):
        (_spool / _folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=90)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message a worker took but never acknowledged (the worker was killed) goes back
        # to the queue this long after it was taken. kombu's default is an hour; the
        # longest a task can run is its time limit, so a little more than that is enough.
        # No task is scheduled further ahead than a few seconds (retries are scheduled in
        # the database, credentials.services.next_retry_delay), so none is redelivered early.
        "visibility_timeout": CELERY_TASK_TIME_LIMIT + 60,
        # Publishing from a web request must not hang on a frozen Redis.
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
        "socket_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
# One immediate reconnect (a pooled connection can be stale after a Redis restart), then the
# send fails and the credential waits for the sweep (credentials.tasks) instead of the
# request waiting for the broker.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Tests give each run its own queue so parallel runs on one Redis never share tasks.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Each worker records a heartbeat this often (portal.tasks); three missed is a dead worker,
# whose credentials the sweep frees and sends again.
HEALTH_HEARTBEAT_SECONDS = env.int("HEALTH_HEARTBEAT_SECONDS", default=5)
# How often beat runs the verification sweep: freeing a dead worker's credentials, sending
# the uploads whose task was lost or never sent, the due re-checks and issuer retries.
VERIFICATION_SWEEP_SECONDS = env.int("VERIFICATION_SWEEP_SECONDS", default=10)
CELERY_BEAT_SCHEDULE = {
    "sweep-verifications": {
        "task": "portal.tasks.sweep_verifications_task",
        "schedule": VERIFICATION_SWEEP_SECONDS,
    },
    # Imported trusted-issuer registries fetched again from their addresses (a DCC registry
    # changes a few times a month; EBSI's listing daily at most).
    "refresh-trusted-issuer-registries": {
        "task": "credentials.tasks.refresh_issuer_registries_task",
        "schedule": env.int("TRUSTED_ISSUER_REGISTRY_REFRESH_SECONDS", default=86_400),
    },
    # Precomputed statistics counts (portal/statistics/README.md); 40 s at 1M decisions.
    "statistics-rollup": {
        "task": "portal.statistics.tasks.refresh_statistics_rollup_task",
        "schedule": 600,
    },
}

# Verification engine.
# Comma-separated host:port pairs that may be fetched over plain HTTP on a private or
# loopback address. For tests and demos only; empty in production.
VERIFIER_ALLOWED_PRIVATE_HOSTS = env.list("VERIFIER_ALLOWED_PRIVATE_HOSTS", default=[])
VERIFIER_FETCH_TIMEOUT_SECONDS = env.float("VERIFIER_FETCH_TIMEOUT_SECONDS", default=10.0)
VERIFIER_FETCH_MAX_BYTES = env.int("VERIFIER_FETCH_MAX_BYTES", default=2_000_000)
# The largest request body /credentials/verify and /presentations/verify read.
VERIFIER_API_MAX_BODY_BYTES = env.int("VERIFIER_API_MAX_BODY_BYTES", default=2_000_000)
# How long a fetched issuer document (DID document, key, status list) is reused in-process.
VERIFIER_FETCH_CACHE_SECONDS = env.float("VERIFIER_FETCH_CACHE_SECONDS", default=300.0)
CREDENTIAL_MAX_UPLOAD_BYTES = env.int("CREDENTIAL_MAX_UPLOAD_BYTES", default=5_000_000)
CREDENTIAL_MAX_FILES_PER_UPLOAD = env.int("CREDENTIAL_MAX_FILES_PER_UPLOAD", default=20)
CREDENTIAL_MAX_PER_APPLICANT = env.int("CREDENTIAL_MAX_PER_APPLICANT", default=500)
# All of one applicant's uploaded files together (links take no space).
CREDENTIAL_MAX_BYTES_PER_APPLICANT = env.int(
    "CREDENTIAL_MAX_BYTES_PER_APPLICANT", default=100_000_000
)
CREDENTIAL_RECHECK_DAYS = env.int("CREDENTIAL_RECHECK_DAYS", default=7)
# DATA_UPLOAD_MAX_MEMORY_SIZE counts form fields only, never file parts, so it does not
# bound an upload: the upload view refuses a body over CREDENTIAL_MAX_FILES_PER_UPLOAD files
# of CREDENTIAL_MAX_UPLOAD_BYTES (+1 MB) from its Content-Length, before reading it, and
# credentials.uploads.CappedFileUploadHandler drops a file at the chunk that passes its cap.
DATA_UPLOAD_MAX_MEMORY_SIZE = CREDENTIAL_MAX_UPLOAD_BYTES + 1_000_000
# A file within the cap stays in memory instead of being spooled to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = CREDENTIAL_MAX_UPLOAD_BYTES + 1_000_000

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "credentials.api.base.ApiSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # JSON only: the browsable renderer needs inline scripts the CSP refuses; /api/docs/ is
    # the page for people.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "employers.api.errors.api_exception_handler",
    # Per token (per user for sessions); counted in the Django cache (Redis in production).
    "DEFAULT_THROTTLE_RATES": {
        "api": env.str("API_THROTTLE_RATE", default="600/minute"),
        # The public /credentials/verify and /presentations/verify, per client address.
        "verifier": env.str("VERIFIER_API_THROTTLE_RATE", default="1200/minute"),
    },
    # Anonymous API calls are throttled by address: the same proxy count as logins.
    "NUM_PROXIES": ALLAUTH_TRUSTED_PROXY_COUNT or None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Credential Portal API",
    "DESCRIPTION": (
        "Verification verdicts and plain-language explanations of the credentials applicants "
        "share, for applicant-tracking systems. Authenticate with `Authorization: Bearer "
        "<token>` (owners create tokens at /api/tokens/). Errors are `{code, detail}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CredentialStatusEnum": "credentials.vocabulary.Status",
        "CheckOutcomeEnum": "credentials.vocabulary.Outcome",
        "StageOutcomeEnum": "employers.models.StageOutcome",
    },
}

# Security headers. HTTPS-only settings follow DEBUG so local runs work over plain HTTP.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Sessions live in the database, not in Redis: a Redis outage must not sign everyone out
# or refuse logins (the cache fails open; a session store could not).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
X_FRAME_OPTIONS = "DENY"
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
