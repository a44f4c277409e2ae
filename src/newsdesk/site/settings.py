"""Django settings, read from the environment (see .env.example)."""

import os
from pathlib import Path

import dj_database_url

DATA_DIR = Path(os.environ.get("NEWSDESK_DATA_DIR") or Path.cwd() / "data")
SECRET_KEY = os.environ.get("SECRET_KEY", "newsdesk-insecure-development-key")
DEBUG = os.environ.get("DEBUG", "") .lower() in {"1", "true", "yes", "on"}
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
