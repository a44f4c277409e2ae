"""Django settings, read from the environment (every variable is listed in .env.example)."""

import os
from pathlib import Path

import dj_database_url
import platformdirs
from django.core.exceptions import ImproperlyConfigured

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
    "newsdesk.site.stories",
    "newsdesk.site.ratings",
    "newsdesk.site.distribution",
    "newsdesk.site.search",
    "newsdesk.site.api",
    "newsdesk.site.desk",
    "newsdesk.site.ingestion",
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
                "newsdesk.site.stories.context.site_chrome",
            ]
        },
    }
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock
                # at BEGIN so two writers queue on the busy timeout instead of deadlocking.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
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
# Serve static files straight from the package: no collectstatic step for `newsdesk serve`.
WHITENOISE_USE_FINDERS = True
NEWSDESK_SITE_NAME = os.environ.get("NEWSDESK_SITE_NAME", "newsdesk")
NEWSDESK_PAGE_SIZE = int(os.environ.get("NEWSDESK_PAGE_SIZE", "20"))
# Full-page cache in front of Django (newsdesk/site/pagecache.py); exact, so on by default.
NEWSDESK_PAGE_CACHE = _flag("NEWSDESK_PAGE_CACHE", "true")
# Redis, when set, shares the page cache's versions between machines (and the task queue).
REDIS_URL = os.environ.get("REDIS_URL", "")
