"""The ``newsdesk`` command line: parse, looks, ingest, serve, eval."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsdesk.errors import NewsdeskError

EXIT_BAD_INPUT = 2


def _source(arg: str) -> dict:
    """``parse`` arguments for a path, or for the bytes of standard input (``-``)."""
    if arg == "-":
        return {"source": sys.stdin.buffer.read(), "name": "<stdin>"}
    return {"source": Path(arg)}


def _cmd_parse(args: argparse.Namespace) -> int:
    from newsdesk.parse import parse_all

    articles = parse_all(**_source(args.path), format=args.format, url=args.url)
    if len(articles) == 1 and args.format != "feed":
        print(articles[0].to_json())
    else:
        print(json.dumps([a.to_dict() for a in articles], ensure_ascii=False, indent=2))
    return 0


def _cmd_looks(args: argparse.Namespace) -> int:
    from newsdesk.parse import parse
    from newsdesk.summarize import summarize

    looks = summarize(parse(**_source(args.path), format=args.format))
    if args.json:
        print(looks.to_json())
        return 0
    if looks.title:
        print(looks.title)
    print(looks.headline)
    print()
    print(looks.dek)
    print()
    for bullet in looks.bullets:
        print(f"  • {bullet.text}")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from newsdesk.site.runner import serve

    serve(host=args.host, port=args.port, workers=args.workers, threads=args.threads)
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from newsdesk.site.runner import setup

    setup()
    from django.core.management import call_command

    from newsdesk.site.bulk import ingest_paths

    call_command("migrate", interactive=False, verbosity=0)
    report = ingest_paths(args.paths, publish=not args.draft)
    return 0 if not report.rejected else 1


def _cmd_eval(args: argparse.Namespace) -> int:
    if args.what == "summaries":
        from newsdesk.evaluate.summaries import run

        print(run(Path(args.data), limit=args.limit))
    else:
        from newsdesk.evaluate.extraction import run

        print(run(Path(args.data)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="A self-hosted newsroom engine: stories in, Quick Looks / Deep Look pages out.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    formats = ["auto", "text", "html", "feed", "json"]

    p = sub.add_parser("parse", help="parse a story and print its Article JSON")
    p.add_argument("path", metavar="PATH", help="a file, or - for standard input")
    p.add_argument("--format", choices=formats, default="auto", help="input format (default: auto)")
    p.add_argument("--url", help="the page's address, for resolving relative links")
    p.set_defaults(func=_cmd_parse)

    p = sub.add_parser("looks", help="write the Quick Looks (dek, bullets, headline) of a story")
    p.add_argument("path", metavar="PATH", help="a file, or - for standard input")
    p.add_argument("--format", choices=formats, default="auto", help="input format (default: auto)")
    p.add_argument("--json", action="store_true", help="print the Looks JSON")
    p.set_defaults(func=_cmd_looks)

    p = sub.add_parser("ingest", help="parse, summarize and store stories, files or feeds")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or feed files")
    p.add_argument("--draft", action="store_true", help="store as drafts instead of publishing")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("serve", help="run the site on the configured database")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument("--workers", type=int, default=1, help="app processes (default: 1)")
    p.add_argument("--threads", type=int, default=8, help="threads per process (default: 8)")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("eval", help="measure summaries or extraction against reference data")
    p.add_argument("what", choices=["summaries", "extraction"], help="what to evaluate")
    p.add_argument("data", metavar="DATA", help="DATA.jsonl for summaries, DIR for extraction")
    p.add_argument("--limit", type=int, help="evaluate only the first N articles")
    p.set_defaults(func=_cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except NewsdeskError as exc:
        print(f"newsdesk {args.command}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
