"""Start the site: migrate, load the demo into an empty database, serve with granian."""

from __future__ import annotations

import os
import sys


def setup() -> None:
    """Configure Django for the CLI and create the data directory."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.site.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)


def prepare() -> int:
    """Create or migrate the database and load the demo when it holds no stories."""
    from django.core.management import call_command

    from newsdesk.site.stories.demo import load_demo

    call_command("migrate", interactive=False, verbosity=0)
    return load_demo()


def default_threads() -> int:
    """Threads per serving process: 8, or fewer on a small machine (2 × cores + 1, where
    granian warns). On 2 cores 5 threads served cached pages and votes as fast as 8
    (bench/http.py, bench/ratings.py): Python holds one thread at a time anyway."""
    return min(8, 2 * (os.cpu_count() or 1) + 1)


def serve(
    host: str = "127.0.0.1", port: int = 8000, *, workers: int = 1, threads: int | None = None
) -> None:
    """Serve the site until interrupted, with granian (a production server written in Rust).

    Each of ``workers`` processes runs Django behind the full-page cache with ``threads``
    threads (``default_threads()`` unless given); the processes share the database and the
    cache's version store.
    """
    threads = threads or default_threads()
    setup()
    loaded = prepare()
    if loaded:
        print(f"Loaded {loaded} demo stories.", file=sys.stderr)
    from django.db import connections
    from granian import Granian
    from granian.constants import Interfaces

    connections.close_all()  # the workers open their own
    print(
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
    ).serve()
