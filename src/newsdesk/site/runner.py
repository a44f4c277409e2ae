"""Start the site: migrate, load the demo into an empty database, serve with waitress."""

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


def serve(host: str = "127.0.0.1", port: int = 8000, *, threads: int = 8) -> None:
    """Serve the site until interrupted, with waitress (a production WSGI server)."""
    setup()
    loaded = prepare()
    if loaded:
        print(f"Loaded {loaded} demo stories.", file=sys.stderr)
    import waitress

    from newsdesk.site.wsgi import application

    print(f"newsdesk is serving http://{host}:{port}/ (Ctrl-C stops it)", file=sys.stderr, flush=True)
    waitress.serve(application, host=host, port=port, threads=threads, ident="newsdesk")
