"""Start the site: migrate, load the demo into an empty database, serve with granian."""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

from newsdesk.errors import InputError

# Seconds a serving process has to stop after Ctrl-C or SIGTERM before it is killed: granian
# otherwise waits for ever on a worker that does not exit (with --workers 2, every time).
STOP_TIMEOUT = 5


def setup() -> None:
    """Configure Django for the CLI and create the data directory.

    Raises InputError naming the variable when the environment (or a ``.env``) holds a value
    the settings refuse.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.site.settings")
    import django
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from environs import EnvError, EnvValidationError

    try:
        django.setup()
    except EnvValidationError as exc:
        # 'Environment variable "X" invalid: [...]' -> 'X is invalid: ...' (no value: it may
        # be a secret, such as a database URL's password)
        name = str(exc).split('"')[1] if str(exc).count('"') >= 2 else "a variable"
        messages = exc.error_messages
        if isinstance(messages, dict):
            messages = [m for ms in messages.values() for m in ms]
        raise InputError(f"configuration: {name} is invalid: {' '.join(messages)}") from None
    except (EnvError, ImproperlyConfigured) as exc:
        raise InputError(f"configuration: {exc}") from None
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)


def refuse_port_in_use(host: str, port: int) -> None:
    """Raise InputError when something already listens on ``host:port``.

    granian binds with SO_REUSEPORT, so a second server on the same port would start and
    split the traffic with the first; a plain bind (SO_REUSEADDR only, which still lets a
    restart reuse a port in TIME_WAIT) fails instead while anything listens there.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise InputError(
                    f"port {port} on {host} is already in use (another newsdesk serve?): "
                    "stop that server or choose another port with --port"
                ) from None
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def prepare(*, demo: bool = True) -> int:
    """Create or migrate the database and, with ``demo``, load the demo when it holds no
    stories; return how many demo stories were loaded."""
    from django.core.management import call_command

    from newsdesk.site.ingestion.demo import load_demo

    call_command("migrate", interactive=False, verbosity=0)
    return load_demo() if demo else 0


def media_mount() -> dict:
    """Granian's options to serve stored photos itself, before Django (no Python per file),
    when the site serves them (NEWSDESK_SERVE_MEDIA) from a local folder; else none."""
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage, default_storage

    from newsdesk.site.media import YEAR

    url = settings.MEDIA_URL
    if not (settings.NEWSDESK_SERVE_MEDIA and url.startswith("/") and url.strip("/")):
        return {}
    if not isinstance(default_storage, FileSystemStorage):
        return {}
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    # Rendition names carry their photo's digest: a browser may keep them a year.
    return {
        "static_path_route": ["/" + url.strip("/")],
        "static_path_mount": [root],
        "static_path_expires": YEAR,
    }


def default_threads() -> int:
    """Threads per serving process: 8, or fewer on a small machine (2 × cores + 1, where
    granian warns). On 2 cores 5 threads served cached pages and votes as fast as 8
    (bench/pages.py, bench/ratings.py): Python holds one thread at a time anyway."""
    return min(8, 2 * (os.cpu_count() or 1) + 1)


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    workers: int = 1,
    threads: int | None = None,
    demo: bool = True,
) -> None:
    """Serve the site until interrupted, with granian (a production server written in Rust).

    ``demo=False`` (``--no-demo``) leaves an empty database empty, for a production site.
    Raises InputError, before touching the database, when the port is already in use.
    Each of ``workers`` processes runs Django behind the full-page cache with ``threads``
    threads (``default_threads()`` unless given); the processes share the database and the
    cache's version store.
    """
    threads = threads or default_threads()
    refuse_port_in_use(host, port)
    setup()
    loaded = prepare(demo=demo)
    if loaded:
        print(f"Loaded {loaded} demo stories.", file=sys.stderr)  # noqa: T201 - the CLI
    from django.db import connections
    from granian import Granian
    from granian.constants import Interfaces

    connections.close_all()  # the workers open their own
    media = media_mount()
    print(  # noqa: T201 - the CLI's one line on start
        f"newsdesk is serving http://{host}:{port}/ with {workers} worker(s) of {threads} "
        "threads (Ctrl-C stops it)",
        file=sys.stderr,
        flush=True,
    )
    Granian(
        "newsdesk.site.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        backpressure=threads * 8,
        log_level="warning",
        workers_kill_timeout=STOP_TIMEOUT,
        **media,
    ).serve()
