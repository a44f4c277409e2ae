"""`newsdesk manage`, `createsuperuser`, `check` and `--version` as an operator runs them."""

import os
import secrets
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SQLITE_ONLY = pytest.mark.skipif("DATABASE_URL" in os.environ, reason="reads the SQLite file")


def newsdesk(*args, data_dir, **env):
    full = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(data_dir),
        "NEWSDESK_DATA_DIR": str(data_dir),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *args],
        cwd=data_dir,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version_is_the_package_version(tmp_path):
    result = newsdesk("--version", data_dir=tmp_path)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert result.returncode == 0 and result.stdout.strip() == f"newsdesk {version}"


@SQLITE_ONLY
def test_createsuperuser_makes_the_first_account_on_a_fresh_data_directory(tmp_path):
    result = newsdesk(
        "createsuperuser",
        "--noinput",
        "--username",
        "erin",
        "--email",
        "erin@example.org",
        data_dir=tmp_path,
        DJANGO_SUPERUSER_PASSWORD="a long harbour wall",  # noqa: S106
    )
    assert result.returncode == 0, result.stderr
    row = (
        sqlite3.connect(tmp_path / "db.sqlite3")
        .execute("select is_superuser, is_staff, password from auth_user where username='erin'")
        .fetchone()
    )
    assert row[:2] == (1, 1) and row[2].startswith("argon2$")
    again = newsdesk(
        "createsuperuser", "--noinput", "--username", "erin", "--email", "e@example.org",
        data_dir=tmp_path, DJANGO_SUPERUSER_PASSWORD="another long password",  # noqa: S106
    )  # fmt: skip
    assert again.returncode == 1 and "already taken" in again.stderr


def test_manage_runs_any_django_command_with_its_own_options(tmp_path):
    migrate = newsdesk("manage", "migrate", "--noinput", "-v", "0", data_dir=tmp_path)
    assert migrate.returncode == 0, migrate.stderr
    shown = newsdesk("manage", "showmigrations", "stories", data_dir=tmp_path)
    assert shown.returncode == 0 and "[X] 0001_initial" in shown.stdout
    helped = newsdesk("manage", "migrate", "--help", data_dir=tmp_path)
    assert helped.stdout.startswith("usage: newsdesk manage migrate")
    listed = newsdesk("manage", data_dir=tmp_path)
    assert listed.returncode == 0 and "createsuperuser" in listed.stdout
    unknown = newsdesk("manage", "no_such_command", data_dir=tmp_path)
    assert unknown.returncode == 1 and "Unknown command: 'no_such_command'" in unknown.stderr


def test_check_deploy_passes_with_the_production_variables_and_explains_without(tmp_path):
    demo = newsdesk("check", "--deploy", data_dir=tmp_path)
    assert demo.returncode == 1
    assert "no SECRET_KEY is set" in demo.stderr and "security.W018" in demo.stderr
    production = newsdesk(
        "check",
        "--deploy",
        data_dir=tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.org",
    )
    assert production.returncode == 0, production.stdout + production.stderr
    assert "no issues" in production.stdout
