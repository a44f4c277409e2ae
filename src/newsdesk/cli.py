"""The ``newsdesk`` command line: parse, looks, ingest, serve, manage, eval."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsdesk import __version__
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
    from newsdesk.errors import SummarizeError
    from newsdesk.parse import parse_all
    from newsdesk.summarize import LooksOptions, summarize

    options = LooksOptions(backend=args.backend)
    articles = parse_all(**_source(args.path), format=args.format)
    if len(articles) == 1:  # one story: its Looks, or the error saying why there are none
        _print_looks(summarize(articles[0], options=options), args.json)
        return 0
    # A feed: every entry's Looks, in order; an entry that cannot be summarized is named on
    # stderr and makes the exit status 1, the others are still printed.
    written, failed = [], 0
    for n, article in enumerate(articles, 1):
        try:
            written.append((n, summarize(article, options=options)))
        except SummarizeError as exc:
            failed += 1
            print(f"newsdesk looks: entry {n} of {len(articles)}: {exc}", file=sys.stderr)
    if args.json:
        print(json.dumps([looks.to_dict() for _, looks in written], indent=2, ensure_ascii=False))
    else:
        for n, looks in written:
            print(f"== entry {n} of {len(articles)}")
            _print_looks(looks, False)
            print()
    return 1 if failed else 0


def _print_looks(looks, as_json: bool) -> None:
    if as_json:
        print(looks.to_json())
        return
    if looks.title:
        print(looks.title)
    print(looks.headline)
    print()
    print(looks.dek)
    print()
    for bullet in looks.bullets:
        print(f"  • {bullet.text}")


def _cmd_serve(args: argparse.Namespace) -> int:
    from newsdesk.site.runner import serve

    serve(
        host=args.host,
        port=args.port,
        workers=args.workers,
        threads=args.threads,
        demo=not args.no_demo,
    )
    return 0


def _django(argv: list[str], *, migrate: bool = False) -> int:
    """Run a Django management command line (``argv[0]`` is the command's name)."""
    from newsdesk.site.runner import setup

    setup()
    from django.core.management import call_command, execute_from_command_line

    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    execute_from_command_line(["newsdesk manage", *argv])
    return 0


def _cmd_manage(args: argparse.Namespace) -> int:
    # Django's own manage.py, on newsdesk's settings: `newsdesk manage help` lists commands.
    return _django(args.args or ["help"])


def _cmd_createsuperuser(args: argparse.Namespace) -> int:
    # The first account on a fresh data directory: its tables are created first.
    return _django(["createsuperuser", *args.args], migrate=True)


def _cmd_check(args: argparse.Namespace) -> int:
    from newsdesk.site.runner import setup

    setup()
    from django.conf import settings

    if "--deploy" in args.args and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        print(
            "newsdesk check: no SECRET_KEY is set, so this is the local demo's configuration "
            "(DEBUG on); set the production variables first (docs/deploy.md)",
            file=sys.stderr,
        )
    given = any(a.startswith("--fail-level") for a in args.args)
    return _django(["check", *args.args, *([] if given else ["--fail-level", "WARNING"])])


def _cmd_ingest(args: argparse.Namespace) -> int:
    from newsdesk.site.runner import setup

    setup()
    from django.core.management import call_command

    from newsdesk.site.bulk import ingest_paths

    call_command("migrate", interactive=False, verbosity=0)
    user = None
    if args.user:
        from django.contrib.auth import get_user_model

        from newsdesk.errors import InputError

        user = get_user_model().objects.filter(username=args.user, is_active=True).first()
        if user is None:
            raise InputError(f"no active user {args.user!r} to ingest as")
        if not user.has_perm("stories.add_story"):
            raise InputError(f"user {args.user!r} may not add stories")
        if not args.draft and not user.has_perm("stories.publish_story"):
            raise InputError(f"user {args.user!r} may not publish: add --draft")
    report = ingest_paths(args.paths, publish=not args.draft, user=user)
    return 0 if not report.rejected else 1


def _cmd_worker(args: argparse.Namespace) -> int:
    from newsdesk.site.runner import setup

    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    options = {"workers": args.workers} if args.workers else {}
    # djhuey's consumer imports every installed app's tasks.py, so all periodic tasks run.
    call_command("run_huey", **options)
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from newsdesk.site.runner import setup

    setup()
    from newsdesk.site.backup import backup

    kind = backup(args.path, format=args.format)
    print(f"backed up the database to {args.path} ({kind})", file=sys.stderr)
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from newsdesk.site.runner import setup

    setup()
    from newsdesk.site.backup import restore

    kind = restore(args.path, force=args.force)
    print(f"restored the database from {args.path} ({kind})", file=sys.stderr)
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    if args.what == "summaries":
        from newsdesk.evaluate.summaries import run

        print(
            run(
                Path(args.data),
                limit=args.limit,
                backend=args.backend,
                direct=args.direct,
                parse=args.parse,
            )
        )
    else:
        from newsdesk.evaluate.extraction import run

        print(run(Path(args.data)))
    return 0


def _cmd_reindex(args: argparse.Namespace) -> int:
    from newsdesk.site.runner import setup

    setup()
    from django.core.management import call_command

    from newsdesk.site.search.index import rebuild

    call_command("migrate", interactive=False, verbosity=0)
    print(f"search index rebuilt: {rebuild()} published stories", file=sys.stderr)
    return 0


def _cmd_photos(args: argparse.Namespace) -> int:
    from newsdesk.site.runner import setup

    setup()
    from django.core.management import call_command

    from newsdesk.site.stories.photos import rebuild_renditions

    call_command("migrate", interactive=False, verbosity=0)
    counts = rebuild_renditions(
        missing_only=args.missing_only, report=lambda line: print(line, file=sys.stderr)
    )
    print(
        f"photo renditions: {counts['rebuilt']} rebuilt, {counts['kept']} complete and kept, "
        f"{counts['failed']} failed",
        file=sys.stderr,
    )
    return 1 if counts["failed"] else 0


def _cmd_token(args: argparse.Namespace) -> int:
    from newsdesk.site.runner import setup

    setup()
    from django.contrib.auth import get_user_model

    from newsdesk.errors import InputError
    from newsdesk.site.api.models import Token

    user = get_user_model().objects.filter(username=args.user).first()
    if user is None:
        raise InputError(f"no user {args.user!r} (create one with the admin or createsuperuser)")
    token, raw = Token.issue(user, args.name)
    print(raw)  # shown once: only its hash is stored
    print(
        f"API token {token.prefix}… for {user.get_username()}: "
        "send 'Authorization: Bearer <token>'",
        file=sys.stderr,
    )
    return 0


def _cmd_edition(args: argparse.Namespace) -> int:
    from newsdesk.site.runner import setup

    setup()
    if not (args.send or args.to):
        from django.conf import settings

        from newsdesk.site.desk.newsletter import DEFAULT_BASE_URL, export

        base = args.base_url or settings.NEWSDESK_BASE_URL or DEFAULT_BASE_URL
        sys.stdout.write(export(args.date, args.period, fmt=args.fmt, base_url=base))
        return 0
    import smtplib

    from django.conf import settings
    from django.core.management import call_command

    from newsdesk.errors import InputError
    from newsdesk.site.desk.newsletter import find
    from newsdesk.site.newsletters import sending

    call_command("migrate", interactive=False, verbosity=0)
    if args.base_url:
        settings.NEWSDESK_BASE_URL = args.base_url.rstrip("/")
    from newsdesk.site.newsletters.mail import base_url

    edition = find(args.date, args.period)
    base_url()  # refuses before anything is recorded: mail needs absolute links
    try:
        if args.to:
            sending.send_test_copy(edition, args.to)
            print(f"sent a test copy of the {edition} to {args.to}", file=sys.stderr)
            return 0
        mailing = sending.prepare(edition)
        report = sending.send(mailing)
    except (smtplib.SMTPException, OSError) as exc:
        where = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
        raise InputError(f"the SMTP server at {where} did not take the mail: {exc}") from exc
    counts = ", ".join(f"{k} {v}" for k, v in mailing.counts().items() if v)
    print(
        f"{edition}: {report.sent} sent now, {report.failed} failed now; all: {counts}",
        file=sys.stderr,
    )
    return 0 if not report.failed else 1


def _at_least_one(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="A self-hosted newsroom engine: stories in, Quick Looks / Deep Look pages out.",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    formats = ["auto", "text", "html", "feed", "json"]

    p = sub.add_parser("parse", help="parse a story and print its Article JSON")
    p.add_argument("path", metavar="PATH", help="a file, or - for standard input")
    p.add_argument("--format", choices=formats, default="auto", help="input format (default: auto)")
    p.add_argument("--url", help="the page's address, for resolving relative links")
    p.set_defaults(func=_cmd_parse)

    p = sub.add_parser(
        "looks",
        help="write the Quick Looks (dek, bullets, headline) of a story, or of each feed entry",
    )
    p.add_argument("path", metavar="PATH", help="a file, or - for standard input")
    p.add_argument("--format", choices=formats, default="auto", help="input format (default: auto)")
    p.add_argument("--json", action="store_true", help="print the Looks JSON")
    p.add_argument(
        "--backend",
        choices=["default", "embed", "finetuned"],
        default="default",
        help="sentence scorer: default (no model), embed (needs newsdesk[embed]) or finetuned "
        "(MiniLM trained to pick sentences; needs newsdesk[finetuned])",
    )
    p.set_defaults(func=_cmd_looks)

    p = sub.add_parser("ingest", help="parse, summarize and store stories, files or feeds")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or feed files")
    p.add_argument("--draft", action="store_true", help="store as drafts instead of publishing")
    p.add_argument(
        "--user",
        metavar="NAME",
        help="ingest as this user, with their rights (a Writer changes only their own drafts); "
        "by default as the operator, recorded as the CLI",
    )
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("worker", help="run the task queue worker: feed polls, scheduled publishing")
    p.add_argument(
        "--workers", type=int, help="worker threads (default: NEWSDESK_WORKER_THREADS or 2)"
    )
    p.set_defaults(func=_cmd_worker)

    p = sub.add_parser("serve", help="run the site on the configured database")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument("--workers", type=_at_least_one, default=1, help="app processes (default: 1)")
    p.add_argument(
        "--threads",
        type=_at_least_one,
        help="threads per process (default: 8, or 2 x cores + 1 when fewer)",
    )
    p.add_argument(
        "--no-demo",
        action="store_true",
        help="do not load the demo stories into an empty database (production)",
    )
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser(
        "manage",
        help="run any Django management command on newsdesk's settings (manage help lists them)",
    )
    p.add_argument("args", nargs="*", metavar="COMMAND", help="e.g. migrate, shell, check")
    p.set_defaults(func=_cmd_manage)

    p = sub.add_parser(
        "createsuperuser",
        help="create an account with every permission (migrates an empty database first)",
    )
    p.add_argument(
        "args",
        nargs="*",
        metavar="OPTION",
        help="Django's createsuperuser options, e.g. --username erin --email erin@example.org",
    )
    p.set_defaults(func=_cmd_createsuperuser)

    p = sub.add_parser(
        "check",
        help="Django's system checks (--deploy: production settings); status 1 on any warning",
    )
    p.add_argument("args", nargs="*", metavar="OPTION", help="e.g. --deploy")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("backup", help="copy the whole database to one file (safe while serving)")
    p.add_argument("path", metavar="PATH", help="the backup file to write")
    p.add_argument(
        "--format",
        choices=["native", "json"],
        default="native",
        help="native: SQLite copy or pg_dump; json: portable between databases",
    )
    p.set_defaults(func=_cmd_backup)

    p = sub.add_parser("restore", help="replace the database's contents with a backup file")
    p.add_argument("path", metavar="PATH", help="a file written by newsdesk backup")
    p.add_argument("--force", action="store_true", help="overwrite a database that holds data")
    p.set_defaults(func=_cmd_restore)

    p = sub.add_parser(
        "edition",
        help="print an edition's newsletter (HTML email or plain text), or send it",
        description="Print the newsletter of an edition; --send mails it to the period's "
        "confirmed subscribers (once per address, however often it is run); --to mails one "
        "test copy. Mail goes through the SMTP server of EMAIL_HOST / EMAIL_PORT.",
    )
    p.add_argument("date", metavar="DATE", help="the edition's date, YYYY-MM-DD")
    p.add_argument("period", choices=["morning", "evening"], help="which edition of the day")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument(
        "--html", dest="fmt", action="store_const", const="html", help="HTML email (default)"
    )
    fmt.add_argument(
        "--text", dest="fmt", action="store_const", const="text", help="plain-text twin"
    )
    p.add_argument(
        "--base-url",
        help="the site's address, for links (default: NEWSDESK_BASE_URL, which sending "
        "needs; printing falls back to http://127.0.0.1:8000)",
    )
    how = p.add_mutually_exclusive_group()
    how.add_argument(
        "--send", action="store_true", help="send it to the period's confirmed subscribers"
    )
    how.add_argument("--to", metavar="ADDRESS", help="send one test copy to ADDRESS")
    p.set_defaults(func=_cmd_edition, fmt="html")

    p = sub.add_parser("reindex", help="rebuild the full-text search index of published stories")
    p.set_defaults(func=_cmd_reindex)

    p = sub.add_parser("photos", help="the stored photos' renditions (the sized copies)")
    photos_sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    t = photos_sub.add_parser(
        "rebuild",
        help="make every photo's renditions again from its original (after a change of "
        "rendition widths or a storage move); the files they replace are deleted",
    )
    t.add_argument(
        "--missing-only",
        action="store_true",
        help="only photos with a rendition file missing, or none, or other widths than now",
    )
    p.set_defaults(func=_cmd_photos)

    p = sub.add_parser("token", help="API tokens for the JSON API's write endpoints")
    token_sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    t = token_sub.add_parser("create", help="create a token for USER and print it (once)")
    t.add_argument("user", metavar="USER", help="the username the token acts as")
    t.add_argument("--name", default="", help="what the token is for")
    p.set_defaults(func=_cmd_token)

    p = sub.add_parser("eval", help="measure summaries or extraction against reference data")
    p.add_argument("what", choices=["summaries", "extraction"], help="what to evaluate")
    p.add_argument("data", metavar="DATA", help="DATA.jsonl for summaries, DIR for extraction")
    p.add_argument("--limit", type=int, help="evaluate only the first N articles")
    p.add_argument(
        "--backend",
        choices=["embed", "finetuned"],
        help="summaries: also evaluate this optional backend in the same table",
    )
    p.add_argument(
        "--direct",
        action="store_true",
        help="summaries: build each Article from the row's paragraphs instead of parsing its "
        'text with parse(format="text") (for comparison only: not the path a user takes)',
    )
    p.add_argument(
        "--parse",
        action="store_true",
        help="summaries: also run the Looks with the dependency-parse check of each "
        "compressed bullet (needs newsdesk[parse]) and count the default compressions it "
        "judges whole-unit",
    )
    p.set_defaults(func=_cmd_eval)
    return parser


# Commands whose arguments go to Django untouched (argparse would take their options as ours).
PASSTHROUGH = {"manage", "createsuperuser", "check"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in PASSTHROUGH and argv[1:2] not in (["-h"], ["--help"]):
        args = build_parser().parse_args(argv[:1])
        args.args = argv[1:]
    else:
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
