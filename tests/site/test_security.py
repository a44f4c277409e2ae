"""Production settings, Content-Security-Policy, password hashing and login rate limiting."""

import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.models import User

PROD_ENV_BASE = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "DJANGO_SETTINGS_MODULE": "newsdesk.site.settings",
}


def _run(code_or_args, tmp_path, **env):
    full = dict(PROD_ENV_BASE, NEWSDESK_DATA_DIR=str(tmp_path), **env)
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args], env=full, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_in_production(tmp_path):
    result = _run(
        ["-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_with_a_weak_key(tmp_path):
    # the check itself must be able to fail: a short key is reported
    result = _run(
        ["-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY="short",
        DEBUG="0",
        ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode != 0 and "security.W009" in result.stderr + result.stdout


def test_production_settings_values(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_HSTS_PRELOAD, s.X_FRAME_OPTIONS, s.SECURE_PROXY_SSL_HEADER)"
    )
    prod = _run(code, tmp_path, SECRET_KEY=secrets.token_urlsafe(50), DEBUG="0")
    assert prod.stdout.split() == ["True"] * 6 + ["DENY", "None"], prod.stderr
    proxied = _run(
        code,
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        SECURE_SSL_REDIRECT="false",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
    )
    assert proxied.stdout.split()[2] == "False"
    assert proxied.stdout.strip().endswith("('HTTP_X_FORWARDED_PROTO', 'https')")
    dev = _run(code, tmp_path)  # no SECRET_KEY: the local demo, DEBUG on, plain HTTP
    assert dev.stdout.split()[:3] == ["False", "False", "False"], dev.stderr


@pytest.mark.parametrize("key", [None, "newsdesk-insecure-development-key"])
def test_debug_off_with_the_development_key_refuses(tmp_path, key):
    env = {"DEBUG": "0"} | ({"SECRET_KEY": key} if key else {})
    result = _run("import django; django.setup()", tmp_path, **env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2():
    user = User.objects.create_user("editor", password="correct horse battery staple")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("correct horse battery staple")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/admin/login/", "/no-such-page/"])
def test_pages_carry_the_content_security_policy(client, make_story, path):
    make_story("Harbour plan approved")
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_story_page_has_no_inline_script_or_style_but_its_stylesheet(client, make_story):
    import re

    story = make_story("Harbour plan approved")
    html = client.get(story.get_absolute_url()).content.decode()
    assert client.get(story.get_absolute_url()).status_code == 200
    # scripts only from files; no inline event handlers or style attributes; one <style>
    # element, the site's stylesheet, which the policy allows by its hash (the next test)
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)", html, re.I)
    assert not re.search(r"\son[a-z]+\s*=", html, re.I)
    assert not re.search(r"\sstyle\s*=", html, re.I)
    assert len(re.findall(r"<style", html, re.I)) == 1


@pytest.mark.django_db
def test_admin_login_is_rate_limited(client):
    User.objects.create_superuser("chief", "chief@example.org", "the right password 42")
    for _ in range(4):
        r = client.post("/admin/login/", {"username": "chief", "password": "guess"})
        assert r.status_code == 200 and b"Please enter the correct" in r.content
    # the fifth failure locks the pair out
    r = client.post("/admin/login/", {"username": "chief", "password": "guess"})
    assert r.status_code == 429
    # locked out now: even the right password is refused, with a 429
    r = client.post("/admin/login/", {"username": "chief", "password": "the right password 42"})
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session
    # another address is not locked out for the same user
    other = client.__class__(REMOTE_ADDR="203.0.113.9")
    r = other.post("/admin/login/", {"username": "chief", "password": "the right password 42"})
    assert r.status_code == 302 and "_auth_user_id" in other.session


@pytest.mark.django_db
def test_success_before_the_limit_resets_the_count(client):
    User.objects.create_superuser("chief", "chief@example.org", "the right password 42")
    for _ in range(4):
        client.post("/admin/login/", {"username": "chief", "password": "guess"})
    assert (
        client.post(
            "/admin/login/", {"username": "chief", "password": "the right password 42"}
        ).status_code
        == 302
    )
    client.logout()
    for _ in range(4):
        client.post("/admin/login/", {"username": "chief", "password": "guess"})
    assert (
        client.post(
            "/admin/login/", {"username": "chief", "password": "the right password 42"}
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_scripted_login_without_a_request_still_works(client):
    User.objects.create_user("script", password="pw-for-scripts-123")
    assert client.login(username="script", password="pw-for-scripts-123")


def test_the_inline_stylesheet_is_the_one_inline_style_the_policy_allows(client, make_story):
    import base64
    import hashlib
    import re

    story = make_story("Harbour plan approved")
    for path in ("/", story.get_absolute_url(), story.sections.first().get_absolute_url()):
        response = client.get(path)
        html = response.content.decode()
        styles = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
        assert len(styles) == 1, path
        digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
        policy = response.headers["Content-Security-Policy"]
        directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
        assert directives["style-src"] == ["'self'", f"'sha256-{digest}'"], path
        # the whole stylesheet: the site's, the search page's and the subscribe form's rules,
        # its font at an absolute URL that is served
        for rule in ("@font-face", ".masthead", ".search-form", ".subscribe"):
            assert rule in styles[0], rule
        font = re.search(r'url\("([^"]+\.woff2)"\)', styles[0]).group(1)
        assert font.startswith("/static/newsdesk/fonts/")
        assert "stylesheet" not in html and ' style="' not in html
    assert client.get(font).status_code == 200
