"""Ruspolitikk settings: one module, configured from the environment.

Variables (all optional while DEBUG is on, which ``make run`` sets):

- ``DEBUG``: ``1``/``true`` for local development. Off by default.
- ``SECRET_KEY``: required when DEBUG is off; the process refuses to start without it.
- ``ALLOWED_HOSTS``: comma-separated host names; required when DEBUG is off.
- ``DATABASE_URL``: ``sqlite:///path/to/db.sqlite3`` (default: ``db.sqlite3`` in the project)
  or ``postgres://user:password@host:port/name`` for PostgreSQL.
- ``CACHE_URL``: where rendered public pages and the data's version are kept, shared by every worker
  (``ruspolitikk.pagecache``): ``file:///path/to/dir`` (default: ``.cache/`` in the project; one
  machine) or ``redis://host:port/db`` (several app servers share one Redis).
- ``PAGE_CACHE``: ``0`` switches the page store off (validators and 304s stay); on by default.
- ``DATABASE_DEADLINE``: seconds to wait for PostgreSQL (connecting, or one query of a web request)
  before answering 503 (default 1.0).
- ``PAGE_CACHE_MAX_AGE``: seconds an HTTP cache may serve a public page without asking (default 30).
- ``PAGE_CACHE_MAX_STREAMED_BYTES``: a streamed export larger than this is sent but not kept in the
  page cache (default 8 MiB).
- ``CONTACT_EMAIL``: where readers report an error; shown on ``/om/`` (default: none shown).
- ``TRUSTED_PROXY_COUNT``: how many reverse proxies in front of the app append the client's
  address to ``X-Forwarded-For`` (default 0: the header is ignored and ``REMOTE_ADDR`` is the
  client). Login throttling locks addresses, so set it exactly: too high and a client can pose
  as any address; 0 behind a proxy and every visitor shares the proxy's address.
- Behind a proxy that ends TLS (see "Production" in the README): ``SECURE_PROXY_SSL_HEADER``
  (``HTTP_X_FORWARDED_PROTO,https``), ``CSRF_TRUSTED_ORIGINS`` (comma-separated
  ``https://host``), ``SECURE_SSL_REDIRECT`` (on), ``SECURE_HSTS_SECONDS`` (one year),
  ``SECURE_HSTS_INCLUDE_SUBDOMAINS`` and ``SECURE_HSTS_PRELOAD`` (on), ``SECURE_COOKIES`` (on).
  The defaults are production's, so that ``manage.py check --deploy`` is clean; they apply only
  when DEBUG is off.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def parse_proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """``HTTP_X_FORWARDED_PROTO,https`` -> Django's SECURE_PROXY_SSL_HEADER; empty -> None."""
    if not value.strip():
        return None
    header, _comma, expected = (part.strip() for part in value.partition(","))
    if not header.startswith("HTTP_") or not expected:
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must be a request header as Django names it and the value "
            f"that means HTTPS, e.g. HTTP_X_FORWARDED_PROTO,https; not {value!r}."
        )
    return header, expected


def parse_database_url(url: str) -> dict:
    """Turn a DATABASE_URL into a Django DATABASES entry (sqlite and postgres only)."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative.db or sqlite:////absolute/path.db
        path = unquote(parts.path[1:]) if parts.path.startswith("/") else parts.path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path or BASE_DIR / "db.sqlite3",
        }
    if parts.scheme in {"postgres", "postgresql"}:
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        host = unquote(parts.hostname or "")
        # A socket directory may be given as ?host=/path, as libpq allows.
        host = options.pop("host", host)
        # Connecting is bounded by DATABASE_DEADLINE (ruspolitikk.db.postgresql); libpq's own
        # timeout only ends the helper thread of an attempt given up on.
        options.setdefault("connect_timeout", "5")
        return {
            "ENGINE": "ruspolitikk.db.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": host,
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:// or postgres://, not {parts.scheme!r}."
    )


def parse_cache_url(url: str) -> dict:
    """Turn a CACHE_URL into Django CACHES: ``default`` holds pages, ``versions`` the data's version.

    Two aliases, so culling pages from a full file cache can never drop the version (which would
    only cost misses, but all of them at once).
    """
    parts = urlsplit(url)
    if parts.scheme == "file":
        directory = Path(unquote(parts.path))
        if not directory.is_absolute():
            raise ImproperlyConfigured(f"CACHE_URL needs an absolute path: file:///…, not {url!r}.")
        backend = "ruspolitikk.filecache.FileBasedCache"  # Django's, without zlib
        return {
            "default": {
                "BACKEND": backend,
                "LOCATION": directory / "pages",
                "OPTIONS": {"MAX_ENTRIES": 20_000},
            },
            "versions": {"BACKEND": backend, "LOCATION": directory / "versions"},
        }
    if parts.scheme in {"redis", "rediss", "unix"}:
        # A cache that does not answer must not hang the site: short socket timeouts.
        options = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
        backend = "django.core.cache.backends.redis.RedisCache"
        return {
            "default": {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": "pages", "OPTIONS": options},
            "versions": {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": "versions", "OPTIONS": options},
        }
    raise ImproperlyConfigured(f"CACHE_URL must start with file:// or redis://, not {parts.scheme!r}.")


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        # Django would answer every request with 400; better not to start at all.
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is empty. Set it to the site's host names (comma-separated), "
            "or set DEBUG=1 for local development."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "ruspolitikk.apps.AdminConfig",  # Django's admin on our site (ruspolitikk/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "ruspolitikk.apps.SiteConfig",
    "simple_history",
    "axes",
    "parties",
    "positions",
    "valgomat",
]

MIDDLEWARE = [
    # Outermost: stores the page PageCacheMiddleware rendered as the client gets it, every header
    # added, so that the WSGI fast path (ruspolitikk/fastpath.py) can serve it as it is.
    "ruspolitikk.pagecache.PageStoreMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language from the URL first: URL matching depends on it (i18n_patterns).
    "ruspolitikk.middleware.UrlLanguageMiddleware",
    # A cached public page is answered here, before any middleware that may read a session or
    # query; what it stores is the response every middleware below has finished.
    "ruspolitikk.pagecache.PageCacheMiddleware",
    # Before anything that may query (sessions, auth): every query of a request gets a deadline.
    "ruspolitikk.db.middleware.QueryDeadlineMiddleware",
    # A view the database cannot answer gets the 503 page, with DEBUG on too (ruspolitikk.db).
    "ruspolitikk.db.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ruspolitikk.badrequests.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ruspolitikk.urls"

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
                "ruspolitikk.context_processors.language_links",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "ruspolitikk.wsgi.application"

DATABASES = {
    "default": parse_database_url(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}

CACHES = parse_cache_url(os.environ.get("CACHE_URL", f"file://{BASE_DIR / '.cache'}"))
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_TIMEOUT = 24 * 3600  # entries are dead as soon as the data version changes anyway
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "30"))
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "").strip()
PAGE_CACHE_STALE_WHILE_REVALIDATE = 300
PAGE_CACHE_STALE_IF_ERROR = 24 * 3600
# A streamed response (an export) is stored as it streams only while it stays below this size.
PAGE_CACHE_MAX_STREAMED_BYTES = int(os.environ.get("PAGE_CACHE_MAX_STREAMED_BYTES", str(8 * 1024 * 1024)))

# A database that does not answer within this many seconds (connecting, or any one query of a web
# request) is treated as down: the page answers 503 with Retry-After (ruspolitikk.db).
DATABASE_DEADLINE = float(os.environ.get("DATABASE_DEADLINE", "1.0"))
DATABASE_RETRY_AFTER = 10  # seconds, in the 503's Retry-After
# Any one query of a streamed body (an export reads its chunks after the view has returned, outside
# the request's deadline): long enough for a chunk of a full national export, short enough to stop
# a hung or runaway query (ruspolitikk.db.streaming).
DATABASE_STREAM_DEADLINE = float(os.environ.get("DATABASE_STREAM_DEADLINE", "30"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out client is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin login throttling (django-axes; ruspolitikk/login_throttle.py). Two locks, an hour each:
# - 5 failures for one username from one address: a mistyped password gets a few tries, a
#   guessing run on one account is stopped;
# - 20 failures from one address whatever the usernames: someone trying many usernames is
#   stopped (25 usernames once each are locked), while a newsroom sharing one address is not
#   locked out by a few typos.
# No lock on a username alone: anyone anywhere could then lock an editor out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
LOGIN_FAILURE_LIMITS = {("username", "ip_address"): 5, ("ip_address",): 20}
AXES_FAILURE_LIMIT = 5  # the one scale django-axes compares with; the handler maps each lock onto it
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "ruspolitikk.login_throttle.LoginThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "ruspolitikk.login_throttle.client_address"
AXES_LOCKOUT_CALLABLE = "ruspolitikk.login_throttle.lockout_response"
# How many reverse proxies in front append to X-Forwarded-For; 0 ignores the header.
try:
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
except ValueError:
    TRUSTED_PROXY_COUNT = -1
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number: 0 (no proxy) or more.")

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Hashed, compressed static files in production (needs collectstatic); plain files while
# developing and in the test suite (STATIC_MANIFEST=0), which serve straight from static/.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
# Without collected files (development, tests), WhiteNoise serves straight from the finders
# instead of scanning an empty STATIC_ROOT.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Strict Content Security Policy: no inline script or style anywhere, no third parties.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, refusing a malformed session cookie before any query.
SESSION_ENGINE = "ruspolitikk.sessions"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    # HTTPS only. Where TLS ends at a proxy or load balancer, the proxy must set the header named
    # here (and strip it from clients), or the redirect below would loop.
    SECURE_PROXY_SSL_HEADER = parse_proxy_ssl_header(os.environ.get("SECURE_PROXY_SSL_HEADER", ""))
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Only says the site may be preloaded; listing it is a separate, manual step (hstspreload.org).
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Origins whose forms may post here (e.g. https://ruspolitikk.no when the proxy's host differs).
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
