"""docs/deploy.md as an operator follows it: its commands, units and nginx site, run here.

The blocks marked ``<!-- runnable -->`` run as written in a temporary ``/srv/newsdesk``
(the path, the database URL and the port are the only things replaced), against a
throwaway PostgreSQL database and the local Redis; the systemd units' ``ExecStart`` lines
run as systemd would start them; the nginx site is checked with ``nginx -t`` and then
served in front of the running site.
"""

import os
import re
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs/deploy.md").read_text()
BLOCK = re.compile(r"<!-- (runnable|file: (\S+)) -->\n```\w+\n(.*?)\n```", re.S)
DOC_DB_URL = "postgres://newsdesk:CHANGE-ME@127.0.0.1:5432/newsdesk"
ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def runnable_blocks():
    return [m.group(3) for m in BLOCK.finditer(DOC) if m.group(1) == "runnable"]


def files():
    return {m.group(2): m.group(3) for m in BLOCK.finditer(DOC) if m.group(2)}


def exec_start(unit: str) -> list[str]:
    line = next(x for x in unit.splitlines() if x.startswith("ExecStart="))
    return shlex.split(line.removeprefix("ExecStart=").replace("%%", "%"))


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    """A temporary /srv/newsdesk with the venv these tests run in and a fresh database, on
    which the guide's runnable blocks have run (their outputs in ``srv["outputs"]``)."""
    psycopg = pytest.importorskip("psycopg")
    import redis

    try:
        admin = psycopg.connect(ADMIN, autocommit=True)
    except psycopg.OperationalError:
        pytest.skip(f"no PostgreSQL at {ADMIN}")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    db = f"newsdesk_doc_{uuid.uuid4().hex[:10]}"
    admin.execute(f"CREATE DATABASE {db}")
    root = tmp_path_factory.mktemp("deploy") / "srv"
    root.mkdir()
    (root / "venv").symlink_to(Path(sys.prefix))
    port = free_port()

    def subst(text: str) -> str:
        text = text.replace(DOC_DB_URL, f"postgres://postgres@127.0.0.1:5432/{db}")
        text = text.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        return text.replace("--port 8000", f"--port {port}").replace("/srv/newsdesk", str(root))

    env = {"PATH": "/usr/bin:/bin", "HOME": str(root), "LANG": "C.UTF-8"}
    site = {"root": root, "db": db, "port": port, "subst": subst, "env": env}
    try:
        site["outputs"] = run_blocks(site)
        yield site
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        admin.close()


def run_blocks(srv):
    outputs = []
    for block in runnable_blocks():
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", srv["subst"](block)],
            cwd=srv["root"],
            env=srv["env"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"{block}\n{result.stdout}\n{result.stderr}"
        outputs.append(result.stdout + result.stderr)
    return outputs


def get(url, *, host="news.example.org", context=None):
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect())
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def start(args, srv):
    return subprocess.Popen(
        args,
        cwd=srv["root"],
        env=srv["env"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(proc):
    """As systemd stops a unit: SIGTERM to every process of it, then wait."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        return proc.wait(timeout=30)
    except ProcessLookupError:
        return proc.wait(timeout=30)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wait_for(url, proc, **kwargs):
    deadline = time.monotonic() + 90
    while True:
        try:
            return get(url, **kwargs)
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(proc.stdout.read().decode()) from None
            time.sleep(0.3)


def test_the_guides_commands_run_as_written(srv):
    joined = "\n".join(srv["outputs"])
    assert joined.count("System check identified no issues") == 2  # first start, upgrade
    assert "Superuser created successfully." in joined
    root = srv["root"]
    dumps = sorted((root / "backups").iterdir())
    assert len(dumps) == 2 and all(d.read_bytes()[:5] == b"PGDMP" for d in dumps)
    assert (root / "static" / "newsdesk" / "site.css").is_file()  # collectstatic for nginx
    assert (root / ".env").stat().st_mode & 0o077 == 0  # the secrets file is the owner's

    import psycopg

    with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{srv['db']}") as conn:
        row = conn.execute("select is_superuser from auth_user where username='erin'").fetchone()
        assert row == (True,)


def test_the_units_start_the_site_worker_and_backup_and_nginx_serves_in_front(srv, tmp_path):
    units = files()
    serve = start(exec_start(srv["subst"](units["/etc/systemd/system/newsdesk.service"])), srv)
    worker = None
    try:
        site = f"http://127.0.0.1:{srv['port']}"
        status, headers, body = wait_for(site + "/", serve)
        assert status == 200 and b"Example News" in body
        assert get(site + "/", host="elsewhere.example")[0] == 400  # ALLOWED_HOSTS holds

        import psycopg

        with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{srv['db']}") as conn:
            assert conn.execute("select count(*) from stories_story").fetchone() == (0,)

        worker = start(
            exec_start(srv["subst"](units["/etc/systemd/system/newsdesk-worker.service"])), srv
        )
        time.sleep(3)  # started: it must still be running a few seconds later
        assert worker.poll() is None, worker.stdout.read().decode()

        backup = subprocess.run(
            exec_start(srv["subst"](units["/etc/systemd/system/newsdesk-backup.service"])),
            cwd=srv["root"],
            env=srv["env"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert backup.returncode == 0, backup.stderr
        nightly = srv["root"] / "backups" / f"newsdesk-{date.today():%Y-%m-%d}.dump"
        assert nightly.read_bytes()[:5] == b"PGDMP"

        check_nginx(srv, units["/etc/nginx/sites-available/newsdesk"], tmp_path)
    finally:
        assert stop(serve) is not None
        if worker is not None:
            assert stop(worker) is not None


def nginx_binary():
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")


def check_nginx(srv, site_conf, tmp_path):
    nginx = nginx_binary()
    if not nginx:
        pytest.skip("nginx is not installed (apt-get install nginx): its site is not checked")
    certs = tmp_path / "certs"
    certs.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=news.example.org", "-keyout", str(certs / "privkey.pem"),
         "-out", str(certs / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    http, https = free_port(), free_port()
    conf = srv["subst"](site_conf).replace("/etc/letsencrypt/live/news.example.org", str(certs))
    conf = conf.replace("listen [::]:80;", "").replace("listen [::]:443 ssl http2;", "")
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{http};")
    conf = conf.replace("listen 443 ssl", f"listen 127.0.0.1:{https} ssl")
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    (prefix / "site.conf").write_text(conf)
    temp = " ".join(
        f"{name}_temp_path {prefix}/{name};" for name in ("client_body", "proxy", "fastcgi")
    )
    # as root, keep the workers root too: they read files in the test's private folder
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}pid {prefix}/nginx.pid; error_log {prefix}/error.log; worker_processes 1;\n"
        f"events {{}}\nhttp {{ include /etc/nginx/mime.types; access_log off; {temp}\n"
        f"uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;\n"
        f"include {prefix}/site.conf; }}\n"
    )
    args = [nginx, "-c", str(prefix / "nginx.conf"), "-p", str(prefix)]
    tested = subprocess.run([*args, "-t"], capture_output=True, text=True)
    assert tested.returncode == 0 and "syntax is ok" in tested.stderr, tested.stderr
    proc = subprocess.Popen([*args, "-g", "daemon off;"], start_new_session=True)
    try:
        context = ssl._create_unverified_context()  # noqa: S323 - a self-signed test cert
        status, headers, body = wait_for(f"https://127.0.0.1:{https}/", proc, context=context)
        assert status == 200 and b"Example News" in body
        assert headers["Server"].startswith("nginx") and "ETag" in headers
        again = urllib.request.Request(
            f"https://127.0.0.1:{https}/",
            headers={"Host": "news.example.org", "If-None-Match": headers["ETag"]},
        )
        with pytest.raises(urllib.error.HTTPError) as not_modified:
            urllib.request.urlopen(again, context=context, timeout=10)  # noqa: S310
        assert not_modified.value.code == 304  # the page cache's ETag went through nginx
        status, headers, _ = get(
            f"https://127.0.0.1:{https}/static/newsdesk/site.css", context=context
        )
        assert status == 200 and headers["Cache-Control"] == "max-age=3600"
        status, headers, _ = get(f"http://127.0.0.1:{http}/some/page")
        assert status == 301 and headers["Location"] == "https://news.example.org/some/page"
    finally:
        proc.send_signal(signal.SIGQUIT)
        proc.wait(timeout=30)
