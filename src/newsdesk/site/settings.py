"""Django settings, read from the environment (every variable is listed in .env.example).

Values come from the process environment first, then from a ``.env`` file in the current
directory, then from ``.env`` in the data directory (``NEWSDESK_DATA_DIR``); an empty value
(``DEBUG=`` as in .env.example) means the default. A value that does not parse (``DEBUG=maybe``,
``NEWSDESK_PAGE_SIZE=ten``) stops the start with a message naming the variable.
Nothing here imports newsdesk's apps: settings are read before any app is loaded.
"""

import base64
import hashlib
import os
import warnings
from datetime import timedelta
from pathlib import Path

import platformdirs
from django.core.exceptions import ImproperlyConfigured
from environs import Env
from marshmallow.validate import OneOf, Range

DEV_SECRET_KEY = "newsdesk-insecure-development-key"  # noqa: S105 - refused when DEBUG is off
# Old names still read, with a warning, until the next release: {old: new}.
NEWSDESK_RENAMED_VARIABLES = {"LOGIN_FAILURE_LIMIT": "NEWSDESK_LOGIN_FAILURE_LIMIT"}


class _Env(Env):
    """environs' reader, taking an empty value as unset (``.env.example`` lists ``DEBUG=``)."""

    def _get_value(self, env_key, default):
        value = super()._get_value(env_key, default)
        return default if isinstance(value, str) and not value.strip() else value


env = _Env()
env.read_env(".env", recurse=False)  # the current directory's; the environment wins
BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = env.path("NEWSDESK_DATA_DIR", None) or platformdirs.user_data_path("newsdesk")
env.read_env(DATA_DIR / ".env", recurse=False)
for _old, _new in NEWSDESK_RENAMED_VARIABLES.items():
    if os.environ.get(_old, "").strip() and not os.environ.get(_new, "").strip():
        warnings.warn(
            f"{_old} is now called {_new}: rename it (the old name is read until the next release)",
            FutureWarning,
            stacklevel=1,
        )
        os.environ[_new] = os.environ[_old]

SECRET_KEY = env.str("SECRET_KEY", None) or DEV_SECRET_KEY
# Without a SECRET_KEY this is a local demo, so DEBUG defaults on; with one, it defaults off.
DEBUG = env.bool("DEBUG", SECRET_KEY == DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("DEBUG is off but SECRET_KEY is the development key: set SECRET_KEY")
ALLOWED_HOSTS = [
    h.strip() for h in env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"]) if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # sitemap.xml (newsdesk/site/distribution)
    "csp",
    "axes",
    "reversion",  # revisions of stories on the desk
    "newsdesk.site.stories",
    "newsdesk.site.ratings",
    "newsdesk.site.distribution",
    "newsdesk.site.search",
    "newsdesk.site.newsletters",  # subscribers and the editions sent to them
    "newsdesk.site.api",
    "ninja",  # the API's docs page served with its own static files (no CDN)
    "newsdesk.site.desk",
    "django_prose_editor",  # the story body's editor on the desk (its static files)
    "newsdesk.site.ingestion",
    "newsdesk.site.clusters",  # same-event coverage from several sources
    "newsdesk.site.front",  # the reader pages (views only, no models)
    "huey.contrib.djhuey",  # the task queue: `newsdesk worker` runs its consumer
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into a 429 page
]
ROOT_URLCONF = "newsdesk.site.urls"
WSGI_APPLICATION = "newsdesk.site.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsdesk.site.front.context.site_chrome",
            ]
        },
    }
]

# Seconds a database connection is kept for the next request (0: one per request).
CONN_MAX_AGE = env.int("NEWSDESK_CONN_MAX_AGE", 60, validate=Range(min=0))
if env.str("DATABASE_URL", None):
    DATABASES = {"default": env.dj_db_url("DATABASE_URL", conn_max_age=CONN_MAX_AGE)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            # Keep each thread's connection: opening one and closing the last (which
            # checkpoints the WAL) cost more than a whole vote (bench/ratings.py: 3x the rate).
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock
                # at BEGIN so two writers queue on the busy timeout instead of deadlocking.
                # Serving processes checkpoint the WAL in a thread (site/walcheckpoint.py);
                # the size limit trims the WAL file after a checkpoint.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA journal_size_limit=67108864;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", "UTC")
LANGUAGE_CODE = "en-us"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", None)  # only for collectstatic behind nginx
# newsdesk/site/static is no app's folder: name it, or site.css and the scripts are 404s.
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve static files straight from the package: no collectstatic step for `newsdesk serve`.
WHITENOISE_USE_FINDERS = True
# Photos (stories.Photo) and their renditions: Django's default storage. A folder under the
# data directory, served at MEDIA_URL by `newsdesk serve` (NEWSDESK_SERVE_MEDIA) or by nginx
# (docs/deploy.md); NEWSDESK_MEDIA_STORAGE names any other Django storage backend (for
# example storages.backends.s3.S3Storage from django-storages, configured its own way).
MEDIA_ROOT = env.path("NEWSDESK_MEDIA_ROOT", None) or DATA_DIR / "media"
MEDIA_URL = env.str("NEWSDESK_MEDIA_URL", "/media/")
NEWSDESK_SERVE_MEDIA = env.bool("NEWSDESK_SERVE_MEDIA", True)
STORAGES = {
    "default": {
        "BACKEND": env.str("NEWSDESK_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
NEWSDESK_SITE_NAME = env.str("NEWSDESK_SITE_NAME", "newsdesk")
# The masthead: the name above is its wordmark; a logo shown before it, optional: a path under
# the static files (e.g. "newsdesk/icons/icon.svg") or an https:// URL, with its width x height.
NEWSDESK_SITE_LOGO = env.str("NEWSDESK_SITE_LOGO", "").strip()
_logo_size = env.str("NEWSDESK_SITE_LOGO_SIZE", "48x48").lower()
try:
    NEWSDESK_SITE_LOGO_SIZE = tuple(int(n) for n in _logo_size.split("x", 1))
    if len(NEWSDESK_SITE_LOGO_SIZE) != 2 or min(NEWSDESK_SITE_LOGO_SIZE) < 1:
        raise ValueError
except ValueError:
    raise ImproperlyConfigured(
        f"NEWSDESK_SITE_LOGO_SIZE={_logo_size!r} is not WIDTHxHEIGHT in pixels (e.g. 48x48)"
    ) from None
NEWSDESK_PAGE_SIZE = env.int("NEWSDESK_PAGE_SIZE", 20, validate=Range(min=1))
# One upload limit for `newsdesk ingest`, POST /api/documents and the desk (ingestion.limits);
# request bodies may be that large (plus room for a form's other fields).
NEWSDESK_MAX_UPLOAD_BYTES = env.int(
    "NEWSDESK_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, validate=Range(min=1)
)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, NEWSDESK_MAX_UPLOAD_BYTES + 65_536)
# Scheme and host for canonical URLs, feeds and sitemaps (e.g. https://news.example.org);
# empty: taken from each request.
NEWSDESK_BASE_URL = env.str("NEWSDESK_BASE_URL", "").strip().rstrip("/")
# Full-page cache in front of Django (newsdesk/site/pagecache.py); exact, so on by default.
NEWSDESK_PAGE_CACHE = env.bool("NEWSDESK_PAGE_CACHE", True)
# Redis, when set, shares the page cache's versions between machines (and the task queue).
REDIS_URL = env.str("REDIS_URL", "").strip()
# Background tasks (feed polling, scheduled publishing): Huey, on a SQLite file in
# NEWSDESK_DATA_DIR by default and on Redis when REDIS_URL (or NEWSDESK_QUEUE=redis) is set.
# huey.contrib.djhuey reads HUEY; NEWSDESK_QUEUE_IMMEDIATE runs tasks in the calling process.
_queue = env.str(
    "NEWSDESK_QUEUE", "redis" if REDIS_URL else "sqlite", validate=OneOf(["sqlite", "redis"])
)
HUEY = {
    "huey_class": (
        "huey.RedisHuey" if _queue == "redis" else "newsdesk.site.ingestion.queue.SqliteHuey"
    ),
    "name": env.str("NEWSDESK_QUEUE_NAME", "newsdesk").strip(),
    "immediate": env.bool("NEWSDESK_QUEUE_IMMEDIATE", False),
    "utc": True,
    "connection": (
        {"url": REDIS_URL or "redis://127.0.0.1:6379/0"}
        if _queue == "redis"
        else {"filename": str(DATA_DIR / "queue.sqlite3")}
    ),
    "consumer": {
        "workers": env.int("NEWSDESK_WORKER_THREADS", 2, validate=Range(min=1)),
        "worker_type": "thread",
        "periodic": True,
        # Ctrl-C (SIGINT) lets running tasks finish for this long, then the worker exits
        # anyway: a feed poll stuck on a slow server would otherwise hold it for the fetch
        # timeout. A task cut short is as after a crash (each story is one transaction, and
        # the next poll fetches the feed again); a second Ctrl-C exits at once.
        "shutdown_timeout": env.float(
            "NEWSDESK_WORKER_SHUTDOWN_TIMEOUT", 3.0, validate=Range(min=0)
        ),
    },
}

# --- Story clusters (newsdesk/site/clusters; the defaults are newsdesk.cluster's own) ----------
# The least similarity (0-1] that joins a story to a cluster, and how many hours from a
# cluster's first or last story a new one may be and still join it.
NEWSDESK_CLUSTER_THRESHOLD = env.float(
    "NEWSDESK_CLUSTER_THRESHOLD",
    0.2,
    validate=Range(min=0, max=1, min_inclusive=False),
)
NEWSDESK_CLUSTER_WINDOW_HOURS = env.float(
    "NEWSDESK_CLUSTER_WINDOW_HOURS",
    72.0,
    validate=Range(min=0, min_inclusive=False),
)

# --- Security (see README "Running in production") ----------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # still reads older hashes
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 365 * 24 * 3600, validate=Range(min=0))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only where TLS is really terminated in front (then set SECURE_PROXY_SSL_HEADER).
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", True)
if _proxy_header := env.str("SECURE_PROXY_SSL_HEADER", "").strip():
    # e.g. HTTP_X_FORWARDED_PROTO: the header a TLS-terminating proxy sets to "https"
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
SESSION_COOKIE_HTTPONLY = True


# The reader pages' stylesheet, inlined in every page's <head> (base.html). A linked one
# blocks the first paint for a round trip and its download; on a phone that was most of what
# stood between the HTML and the first paint (Lighthouse's mobile run). The three files
# (site, search, newsletters: about 25 kB, 6 kB gzipped with the page) are read once here,
# stripped of comments and indentation; the policy below allows exactly that text by its
# SHA-256 hash, so no other inline style runs. The files are still served for the 500 page.
def _inline_stylesheet(static_url: str) -> str:
    import re

    folder = BASE_DIR / "static" / "newsdesk"
    text = "\n".join(
        (folder / n).read_text("utf-8") for n in ("site.css", "search.css", "newsletters.css")
    )
    text = re.sub(r"\n\s+", "\n", re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)).strip()
    # [rel="next"] as [rel=next] (same selector), so the page's HTML holds rel="next" only
    # where a link has it; a value that is no CSS identifier ("1") keeps its quotes
    text = re.sub(r'(\[[a-z-]+[~^$*|]?=)"([A-Za-z_][A-Za-z0-9_-]*)"\]', r"\1\2]", text)
    # url("fonts/…") is relative to the stylesheet's own URL, which an inline style has not
    return text.replace('url("fonts/', f'url("{static_url}newsdesk/fonts/')


NEWSDESK_INLINE_STYLE = _inline_stylesheet(
    STATIC_URL if STATIC_URL.startswith(("/", "http:", "https:")) else f"/{STATIC_URL}"
)
_style_digest = hashlib.sha256(NEWSDESK_INLINE_STYLE.encode()).digest()
NEWSDESK_INLINE_STYLE_CSP = f"'sha256-{base64.b64encode(_style_digest).decode()}'"

# Content-Security-Policy (django-csp): no inline script, no inline style but the reader
# pages' own stylesheet (by its hash), no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NEWSDESK_INLINE_STYLE_CSP],
        "img-src": ["'self'", "data:", "https:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# Login rate limit (django-axes): 5 failures for one username from one address lock that
# pair out for 15 minutes; the attempts are kept in the database, shared by every process.
AUTHENTICATION_BACKENDS = [
    "newsdesk.site.loginlimit.LoginRateLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("NEWSDESK_LOGIN_FAILURE_LIMIT", 5, validate=Range(min=1))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Reader ratings (newsdesk/site/ratings) --------------------------------------------------
# Votes per address (django-ratelimit's "N/s|m|h|d"); empty turns the limit off.
NEWSDESK_RATING_RATE_LIMIT = env.str("NEWSDESK_RATING_RATE_LIMIT", "30/m")
NEWSDESK_RATING_FEEDBACK_MAX = env.int("NEWSDESK_RATING_FEEDBACK_MAX", 1000, validate=Range(min=1))
# Searches per address on /search/ and /api/search together (the same "N/s|m|h|d"); empty
# turns the limit off.
NEWSDESK_SEARCH_RATE_LIMIT = env.str("NEWSDESK_SEARCH_RATE_LIMIT", "60/m")
NEWSDESK_RATING_FORM_AGE = 2 * 24 * 3600  # a vote form (its signed token) lasts two days
NEWSDESK_RATING_COOKIE_AGE = 2 * 365 * 24 * 3600  # the reader cookie: two years
# Anonymous readers' votes skip middleware they do not need (ratings/fast.py).
NEWSDESK_RATING_FAST_PATH = env.bool("NEWSDESK_RATING_FAST_PATH", True)
# The rate-limit counters: this process's memory, or Redis (shared by every process) when set.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratings": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsdesk:ratings",
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsdesk-ratings",
        }
    ),
}
RATELIMIT_USE_CACHE = "ratings"

# --- Newsletters (newsdesk/site/newsletters): mail out through SMTP --------------------------
# Read with os.environ alone (an empty value means the default), so this block needs nothing
# else from this module.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = (os.environ.get("EMAIL_USE_TLS") or "").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}
EMAIL_USE_SSL = (os.environ.get("EMAIL_USE_SSL") or "").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT") or "30")  # below the send lease: see below
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "newsdesk <newsletter@localhost>"
# Local time each period's edition is sent ("HH:MM"); "off": only by hand.
NEWSDESK_NEWSLETTER_MORNING_AT = os.environ.get("NEWSDESK_NEWSLETTER_MORNING_AT") or "07:00"
NEWSDESK_NEWSLETTER_EVENING_AT = os.environ.get("NEWSDESK_NEWSLETTER_EVENING_AT") or "19:00"
# Messages per claimed batch, and seconds before a stopped sender's claimed rows are taken back.
NEWSDESK_NEWSLETTER_BATCH = int(os.environ.get("NEWSDESK_NEWSLETTER_BATCH") or "100")
NEWSDESK_NEWSLETTER_LEASE = int(os.environ.get("NEWSDESK_NEWSLETTER_LEASE") or "300")
# Subscribe requests per address (IP) and per email address (the same "N/s|m|h|d"; "off": none).
NEWSDESK_SUBSCRIBE_RATE_LIMIT = os.environ.get("NEWSDESK_SUBSCRIBE_RATE_LIMIT") or "10/h"
NEWSDESK_SUBSCRIBE_ADDRESS_RATE_LIMIT = (
    os.environ.get("NEWSDESK_SUBSCRIBE_ADDRESS_RATE_LIMIT") or "3/h"
)
NEWSDESK_SUBSCRIBE_CONFIRM_AGE = 3 * 24 * 3600  # a confirmation link lasts three days
NEWSDESK_SUBSCRIBE_FORM_AGE = 30 * 24 * 3600  # a (cached) subscribe form's token: 30 days
