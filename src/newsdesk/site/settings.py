"""Django settings, read from the environment (every variable is listed in .env.example)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import platformdirs
from django.core.exceptions import ImproperlyConfigured

from newsdesk.site.ingestion.queue import huey_settings

DEV_SECRET_KEY = "newsdesk-insecure-development-key"  # noqa: S105 - refused when DEBUG is off


def _flag(name: str, default: str = "") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("NEWSDESK_DATA_DIR") or platformdirs.user_data_path("newsdesk"))
SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
# Without a SECRET_KEY this is a local demo, so DEBUG defaults on; with one, it defaults off.
DEBUG = _flag("DEBUG", "false" if os.environ.get("SECRET_KEY") else "true")
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("DEBUG is off but SECRET_KEY is the development key: set SECRET_KEY")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h
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
    "newsdesk.site.api",
    "ninja",  # the API's docs page served with its own static files (no CDN)
    "newsdesk.site.desk",
    "newsdesk.site.ingestion",
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
CONN_MAX_AGE = int(os.environ.get("NEWSDESK_CONN_MAX_AGE", "60"))
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=CONN_MAX_AGE)
    }
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
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
LANGUAGE_CODE = "en-us"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None  # only for collectstatic behind nginx
# newsdesk/site/static is no app's folder: name it, or site.css and the scripts are 404s.
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve static files straight from the package: no collectstatic step for `newsdesk serve`.
WHITENOISE_USE_FINDERS = True
NEWSDESK_SITE_NAME = os.environ.get("NEWSDESK_SITE_NAME", "newsdesk")
# The masthead: the name above is its wordmark; a logo shown before it, optional: a path under
# the static files (e.g. "newsdesk/icons/icon.svg") or an https:// URL, with its width x height.
NEWSDESK_SITE_LOGO = os.environ.get("NEWSDESK_SITE_LOGO", "").strip()
NEWSDESK_SITE_LOGO_SIZE = tuple(
    int(n) for n in os.environ.get("NEWSDESK_SITE_LOGO_SIZE", "48x48").lower().split("x", 1)
)
NEWSDESK_PAGE_SIZE = int(os.environ.get("NEWSDESK_PAGE_SIZE", "20"))
# Scheme and host for canonical URLs, feeds and sitemaps (e.g. https://news.example.org);
# empty: taken from each request.
NEWSDESK_BASE_URL = os.environ.get("NEWSDESK_BASE_URL", "").strip().rstrip("/")
# Full-page cache in front of Django (newsdesk/site/pagecache.py); exact, so on by default.
NEWSDESK_PAGE_CACHE = _flag("NEWSDESK_PAGE_CACHE", "true")
# Redis, when set, shares the page cache's versions between machines (and the task queue).
REDIS_URL = os.environ.get("REDIS_URL", "")
# Background tasks (feed polling, scheduled publishing): Huey, on a SQLite file in
# NEWSDESK_DATA_DIR by default and on Redis when REDIS_URL (or NEWSDESK_QUEUE=redis) is set.
HUEY = huey_settings(os.environ, DATA_DIR)

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
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only where TLS is really terminated in front (then set SECURE_PROXY_SSL_HEADER).
    SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", "true")
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    # e.g. HTTP_X_FORWARDED_PROTO: the header a TLS-terminating proxy sets to "https"
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"].strip(), "https")
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): no inline script or style, no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
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
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Reader ratings (newsdesk/site/ratings) --------------------------------------------------
# Votes per address (django-ratelimit's "N/s|m|h|d"); empty turns the limit off.
NEWSDESK_RATING_RATE_LIMIT = os.environ.get("NEWSDESK_RATING_RATE_LIMIT", "30/m")
NEWSDESK_RATING_FEEDBACK_MAX = int(os.environ.get("NEWSDESK_RATING_FEEDBACK_MAX", "1000"))
# Searches per address on /search/ and /api/search together (the same "N/s|m|h|d"); empty
# turns the limit off.
NEWSDESK_SEARCH_RATE_LIMIT = os.environ.get("NEWSDESK_SEARCH_RATE_LIMIT", "60/m")
NEWSDESK_RATING_FORM_AGE = 2 * 24 * 3600  # a vote form (its signed token) lasts two days
NEWSDESK_RATING_COOKIE_AGE = 2 * 365 * 24 * 3600  # the reader cookie: two years
# Anonymous readers' votes skip middleware they do not need (ratings/fast.py).
NEWSDESK_RATING_FAST_PATH = _flag("NEWSDESK_RATING_FAST_PATH", "true")
# The rate-limit counters: this process's memory, or Redis (shared by every process) when set.
CACHES = globals().get("CACHES") or {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
CACHES.setdefault(
    "ratings",
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "newsdesk:ratings",
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsdesk-ratings",
    },
)
RATELIMIT_USE_CACHE = "ratings"
