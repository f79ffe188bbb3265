"""Django settings for hipcoach, read from the environment with typed defaults.

The embedded default needs no environment at all: data (the SQLite database and the generated secret
key) goes to ``HIPCOACH_DATA_DIR``, by default ``~/.hipcoach``.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
# The web's pages: its templates (one folder per area) and static files. The Django apps are the application
# layer's (hipcoach.app), which own the models; the web is a door, not an app.
WEB_DIR = BASE_DIR / "web"
WEB_AREAS = ("accounts", "clinic", "library", "screens", "training")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return default if value is None else [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None or not value.strip() else int(value)


DATA_DIR = Path(os.environ.get("HIPCOACH_DATA_DIR", Path.home() / ".hipcoach")).expanduser()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def load_or_create_secret_key() -> str:
    """Use SECRET_KEY from the environment, else a key made on first run and kept in the data folder."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = load_or_create_secret_key()
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_ratelimit",
    # For its templates and static files: /api/docs then serves Swagger UI from the app, not from a CDN.
    "ninja",
    "hipcoach.app.library",
    "hipcoach.app.screens",
    "hipcoach.app.training",
    "hipcoach.app.accounts",
    "hipcoach.app.clinic",
]

MIDDLEWARE = [
    # Outermost, so that it compresses each answer as it leaves, after every other middleware has written it. Pages
    # and JSON are sent gzipped to browsers that accept it (Django pads them against BREACH); static files come
    # precompressed from whitenoise, which this leaves as they are.
    "django.middleware.gzip.GZipMiddleware",
    # Then, so that it sees every answer: an error under /api/ becomes JSON, whichever layer made it.
    "hipcoach.web.api_errors.ApiErrorsAsJson",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hipcoach.web.accounts.middleware.BearerTokenMiddleware",
    "hipcoach.web.training.middleware.RunnerTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hipcoach.web.urls"
WSGI_APPLICATION = "hipcoach.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates", *(WEB_DIR / area / "templates" for area in WEB_AREAS)],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hipcoach.web.clinic.access.clinician_context",
                "hipcoach.web.clinic.access.reach_clinic_context",
            ],
            # The pages' own template tags, which APP_DIRS would find only in an installed app.
            "libraries": {
                "library_extras": "hipcoach.web.library.templatetags.library_extras",
                "figures": "hipcoach.web.library.templatetags.figures",
            },
        },
    },
]


def database_settings() -> dict[str, object]:
    """PostgreSQL (or any database) from DATABASE_URL; otherwise SQLite in the data folder."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "hipcoach.sqlite3",
        "OPTIONS": {
            # One runner's embedded database: WAL lets the CLI write while the server reads; IMMEDIATE
            # takes the write lock at the start of a transaction so concurrent writers wait, not fail.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": database_settings()}
# "sessions": the sessions Today composes, keyed by everything they depend on (training/today.py), so a
# runner's repeat visits reuse them. Per process; point it at a shared cache when running many workers.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "sessions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "hipcoach-sessions",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 4096},
    },
    # "ratelimit": the sign-up and password-reset counts (accounts.ratelimits), in a database table (made by the
    # accounts migrations) so that every server process shares them. Its increment is atomic (accounts.cache).
    "ratelimit": {
        "BACKEND": "hipcoach.app.cache.AtomicDatabaseCache",
        "LOCATION": "hipcoach_ratelimit",
        "OPTIONS": {"MAX_ENTRIES": 50_000},  # beyond it expired counts go first, then a third of the rest
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise looks here too, and warns when it is missing
STATICFILES_DIRS = [WEB_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (cached for a year) and gzip copies, from the collectstatic that `hipcoach serve` runs first;
    # before any, the files as they are in the app folders (web/static_storage.py).
    "staticfiles": {"BACKEND": "hipcoach.web.static_storage.HashedCompressedStaticFiles"},
}
# Also serve straight from the app folders: what the pages name when no collectstatic has run (the tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Accounts: the e-mail address is the login (stored lower-cased as the username; no custom user model).
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out attempt before any password check
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lockout (django-axes): 5 failed logins for one e-mail from one address pause that pair for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "hipcoach.web.accounts.login.axes_username"
AXES_LOCKOUT_CALLABLE = "hipcoach.web.accounts.views.locked_out"
# The lockout page's status: axes's default, named here because that page (accounts.views.locked_out) reads it.
AXES_HTTP_RESPONSE_CODE = 429


def trusted_proxy_count() -> int:
    """HIPCOACH_TRUSTED_PROXY_COUNT: how many reverse proxies of yours stand in front of the app (default 0)."""
    value = os.environ.get("HIPCOACH_TRUSTED_PROXY_COUNT", "").strip() or "0"
    if not value.isdecimal():
        raise ImproperlyConfigured(f"HIPCOACH_TRUSTED_PROXY_COUNT must be a whole number, 0 or more, not {value!r}.")
    return int(value)


# The address a lockout counts: the connection's own, unless trusted proxies say in X-Forwarded-For whom they
# were reached from (accounts.login.axes_client_ip). Set it only when those proxies are the only way in.
HIPCOACH_TRUSTED_PROXY_COUNT = trusted_proxy_count()
AXES_CLIENT_IP_CALLABLE = "hipcoach.web.accounts.login.axes_client_ip"


def env_rate(name: str, default: str) -> str:
    """A rate limit from the environment: requests per period, like 5/h (s, m, h, d; 10/15m is 10 per 15 minutes)."""
    value = os.environ.get(name, "").strip() or default
    if not re.fullmatch(r"[1-9][0-9]*/([1-9][0-9]*)?[smhd]", value):
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per period, like 5/h or 10/15m (s, m, h or d), not {value!r}."
        )
    return value


# Rate limits (django-ratelimit, accounts.ratelimits): sign-ups and password resets per client address (the one
# the lockout counts), and password resets per e-mail typed; beyond them the answer is 429 and nothing is done.
HIPCOACH_SIGNUP_RATE = env_rate("HIPCOACH_SIGNUP_RATE", "5/h")
HIPCOACH_PASSWORD_RESET_RATE = env_rate("HIPCOACH_PASSWORD_RESET_RATE", "5/h")
HIPCOACH_PASSWORD_RESET_EMAIL_RATE = env_rate("HIPCOACH_PASSWORD_RESET_EMAIL_RATE", "5/h")
HIPCOACH_APPOINTMENT_REQUEST_RATE = env_rate("HIPCOACH_APPOINTMENT_REQUEST_RATE", "5/h")
RATELIMIT_USE_CACHE = "ratelimit"
# django-ratelimit warns about any cache but memcached and Redis (W001). Its error about the database cache (E003:
# no atomic increment) does not apply: accounts.cache.AtomicDatabaseCache increments atomically (tested).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# The address runners reach this hipcoach at, for what is printed rather than served (the handout's link and QR
# code from `hipcoach handout`); a page's download uses the address the page was reached at unless this is set.
HIPCOACH_BASE_URL = os.environ.get("HIPCOACH_BASE_URL", "").strip()

# E-mail (password reset): printed to the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hipcoach <hipcoach@localhost>")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp) on every response: scripts, styles, pictures and requests come from this site
# only; no inline script, event handler or style attribute runs (the pages keep their scripts and styles in static
# files and pass data as json_script blocks, which are not executed). "data:" pictures are the icons in Swagger UI's
# stylesheet (/api/docs). No page may be framed, nor a form sent elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Behind HTTPS (production): HIPCOACH_SECURE=true. Off by default so `make run` works on http://127.0.0.1.
SECURE = env_bool("HIPCOACH_SECURE", default=False)
SECURE_SSL_REDIRECT = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
# Only behind a proxy that terminates TLS and sets X-Forwarded-Proto itself (never passes the client's on).
if env_bool("HIPCOACH_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
