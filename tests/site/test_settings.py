"""Settings as an operator sets them: environment, .env files, refused values, old names."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOW = "from django.conf import settings as s; print(s.NEWSDESK_SITE_NAME, s.NEWSDESK_PAGE_SIZE)"


def newsdesk(*args, cwd, **env):
    """``newsdesk ARGS`` in ``cwd`` with only ``env`` (plus PATH, HOME and any PYTHONPATH,
    which makes a worktree's own ``src`` the one that runs) set."""
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), **env}
    if os.environ.get("PYTHONPATH"):
        full.setdefault("PYTHONPATH", os.environ["PYTHONPATH"])
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def show(cwd, **env):
    return newsdesk("manage", "shell", "-v", "0", "-c", SHOW, cwd=cwd, **env)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("NEWSDESK_PAGE_CACHE", "garbage"),
        ("NEWSDESK_PAGE_SIZE", "ten"),
        ("NEWSDESK_PAGE_SIZE", "0"),
        ("NEWSDESK_LOGIN_FAILURE_LIMIT", "-1"),
        ("NEWSDESK_QUEUE", "rabbit"),
        ("NEWSDESK_WORKER_THREADS", "0"),
        ("NEWSDESK_CLUSTER_THRESHOLD", "1.5"),
        ("NEWSDESK_CLUSTER_THRESHOLD", "zero"),
        ("NEWSDESK_CLUSTER_WINDOW_HOURS", "-2"),
        ("NEWSDESK_CLUSTER_WINDOW_HOURS", "forever"),
        ("DATABASE_URL", "nonsense://x"),
    ],
)
def test_a_value_that_does_not_parse_is_refused_naming_the_variable(tmp_path, name, value):
    result = newsdesk("check", cwd=tmp_path, NEWSDESK_DATA_DIR=str(tmp_path), **{name: value})
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"newsdesk check: configuration: {name} is invalid: " in result.stderr
    assert value not in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1  # one line


def test_dot_env_is_read_from_the_current_directory_then_the_data_directory(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / ".env").write_text("NEWSDESK_SITE_NAME=From the data folder\nNEWSDESK_PAGE_SIZE=7\n")
    result = show(tmp_path, NEWSDESK_DATA_DIR=str(data))
    assert result.stdout.split() == ["From", "the", "data", "folder", "7"], result.stderr

    # ./.env names the data folder and wins over the data folder's .env
    (tmp_path / ".env").write_text("NEWSDESK_DATA_DIR=data\nNEWSDESK_SITE_NAME=Here\n")
    assert show(tmp_path).stdout.split() == ["Here", "7"]
    # the real environment wins over both
    assert show(tmp_path, NEWSDESK_SITE_NAME="Env").stdout.split() == ["Env", "7"]


def test_env_example_copied_to_dot_env_is_a_working_configuration(tmp_path):
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")  # empty values mean the defaults
    result = newsdesk("check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert show(tmp_path).stdout.split() == ["newsdesk", "20"]
    assert (tmp_path / "data").is_dir()  # NEWSDESK_DATA_DIR=./data, from the current directory


def test_the_old_login_failure_limit_name_is_read_with_a_warning(tmp_path):
    code = "from django.conf import settings as s; print(s.AXES_FAILURE_LIMIT)"
    env = {"NEWSDESK_DATA_DIR": str(tmp_path)}
    old = newsdesk(
        "manage", "shell", "-v", "0", "-c", code, cwd=tmp_path, LOGIN_FAILURE_LIMIT="3", **env
    )
    assert old.stdout.strip() == "3", old.stderr
    assert "LOGIN_FAILURE_LIMIT is now called NEWSDESK_LOGIN_FAILURE_LIMIT" in old.stderr
    new = newsdesk(
        "manage",
        "shell",
        "-v",
        "0",
        "-c",
        code,
        cwd=tmp_path,
        NEWSDESK_LOGIN_FAILURE_LIMIT="4",
        **env,
    )
    assert new.stdout.strip() == "4" and "Warning" not in new.stderr


# os.environ / os.getenv reads and the settings' environs reader (`env.int("NAME", …)`);
# not WSGI's `environ.get("PATH_INFO")`, not writes (`os.environ["X"] = …`, setdefault).
READS = re.compile(
    r"""(?:\bos\.environ\.get|\bos\.getenv|\benv(?:\.\w+)?)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    r"""|\bos\.environ\[\s*["']([A-Z][A-Z0-9_]+)["']\s*\](?!\s*=[^=])"""
)


def _reads(text: str) -> set[str]:
    return {m.group(1) or m.group(2) for m in READS.finditer(text)}


def test_the_variable_finder_sees_every_kind_of_read_and_no_write():
    code = (
        'os.environ.get("X_A"); os.getenv("X_B", ""); os.environ["X_C"]; env.int("X_D", 1)\n'
        'env("X_E"); os.environ["X_W"] = "1"; os.environ.setdefault("X_S", "1")\n'
        'environ.get("PATH_INFO")\n'
    )
    assert _reads(code) == {"X_A", "X_B", "X_C", "X_D", "X_E"}


def test_every_environment_variable_read_anywhere_in_src_is_in_env_example():
    from django.conf import settings

    used = set().union(*(_reads(p.read_text()) for p in (ROOT / "src").rglob("*.py")))
    assert {"NEWSDESK_DATA_DIR", "DEBUG", "NEWSDESK_PAGE_CACHE", "NEWSDESK_QUEUE"} <= used
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    renamed = set(settings.NEWSDESK_RENAMED_VARIABLES)
    assert used - renamed <= listed, (used - renamed) - listed
    assert not renamed & listed  # the old names are not offered to new sites


def test_settings_import_no_newsdesk_code():
    # settings are read before any app loads; importing an app from here would load it early
    import ast

    tree = ast.parse((ROOT / "src/newsdesk/site/settings.py").read_text())
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert modules and not {m for m in modules if m.split(".")[0] == "newsdesk"}


def test_cluster_window_and_threshold_from_the_environment_reach_ingest(tmp_path):
    """The two NPR reports on one Senate hearing, 9.5 hours apart, share a cluster by
    default (tests/site/test_clusters.py); a one-hour window keeps them apart."""
    from lib._shared import shared

    feed = shared("data", "feeds", "trafilatura", "tests", "resources", "feed.json")
    env = {
        "NEWSDESK_DATA_DIR": str(tmp_path),
        "NEWSDESK_CLUSTER_WINDOW_HOURS": "1",
        "NEWSDESK_CLUSTER_THRESHOLD": "0.35",
    }
    if os.environ.get("NEWSDESK_SHARED_DIR"):
        env["NEWSDESK_SHARED_DIR"] = os.environ["NEWSDESK_SHARED_DIR"]
    assert newsdesk("manage", "migrate", "-v", "0", cwd=tmp_path, **env).returncode == 0
    result = newsdesk("ingest", str(feed), cwd=tmp_path, **env)
    assert result.returncode == 0, result.stderr
    count = (
        "from newsdesk.site.clusters.models import Cluster, Membership as M; "
        "from newsdesk.site.clusters.services import options; o = options(); "
        "print(o.threshold, o.window_hours, M.objects.count(), Cluster.objects.count())"
    )
    out = newsdesk("manage", "shell", "-v", "0", "-c", count, cwd=tmp_path, **env)
    assert out.stdout.split() == ["0.35", "1.0", "25", "25"], out.stderr
