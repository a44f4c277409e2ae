"""Format detection and dispatch: the one door every input comes through.

``parse`` returns one Article; ``parse_all`` returns every Article an input
holds. A feed holds many: ``parse`` of a feed returns its *first* entry and says
so in ``Article.warnings`` (use ``parse_all`` for all of them). Nothing but
:class:`~newsdesk.errors.ParseError` escapes either function.
"""

from __future__ import annotations

import logging
from pathlib import Path

from newsdesk.article import Article
from newsdesk.errors import ParseError
from newsdesk.parse import encoding
from newsdesk.parse.detect import FORMATS, binary_kind, detect

Source = str | bytes | Path
LOG = logging.getLogger(__name__)


def _load(source: Source, name: str | None) -> tuple[str | bytes, str]:
    if isinstance(source, Path):
        label = name or str(source)
        try:
            size = source.stat().st_size
            if size > encoding.MAX_BYTES:
                raise ParseError(
                    f"{label}: input is {size / 1048576:.1f} MB, over the "
                    f"{encoding.MAX_BYTES // 1048576} MB limit"
                )
            return source.read_bytes(), label
        except IsADirectoryError as exc:
            raise ParseError(f"{label}: is a directory, not a file") from exc
        except OSError as exc:
            raise ParseError(f"{label}: cannot read: {exc.strerror or exc}") from exc
    if isinstance(source, (str, bytes, bytearray, memoryview)):
        data = bytes(source) if isinstance(source, (bytearray, memoryview)) else source
        return data, name or "<input>"
    raise ParseError(
        f"{name or '<input>'}: cannot parse a {type(source).__name__}; "
        "pass str, bytes or pathlib.Path"
    )


def _dispatch(source: Source, format: str, url: str | None, name: str | None) -> list[Article]:
    if format not in FORMATS:
        raise ParseError(
            f"{name or '<input>'}: unknown format {format!r} (one of {', '.join(FORMATS)})"
        )
    data, label = _load(source, name)
    if isinstance(data, bytes) and (kind := binary_kind(data)):
        raise ParseError(f"{label}: is {kind}, not a story (text, HTML, a feed or JSON)")
    if format == "feed":
        from newsdesk.parse import feed

        return feed.parse_feed(data, label, url=url)
    text = encoding.text_of(data, label)
    kind = detect(text) if format == "auto" else format
    if kind == "json":
        from newsdesk.parse import jsonfmt

        return jsonfmt.parse_json(text, label, url=url)
    if kind == "feed":
        from newsdesk.parse import feed

        return feed.parse_feed(text, label, url=url)
    if kind == "html":
        from newsdesk.parse import html

        return [html.parse_html(text, label, url=url)]
    from newsdesk.parse import text as textfmt

    return [textfmt.parse_text(text, label, url=url)]


def _guarded(source: Source, format: str, url: str | None, name: str | None) -> list[Article]:
    try:
        return _dispatch(source, format, url, name)
    except ParseError:
        raise
    except RecursionError as exc:
        raise ParseError(f"{_label(source, name)}: input is nested too deeply to parse") from exc
    except MemoryError as exc:
        raise ParseError(f"{_label(source, name)}: input is too large to parse") from exc
    except Exception as exc:  # noqa: BLE001 - the contract: only ParseError escapes
        LOG.debug("unexpected parse failure", exc_info=True)
        raise ParseError(
            f"{_label(source, name)}: could not parse: {type(exc).__name__}: {exc}"
        ) from exc


def _label(source: Source, name: str | None) -> str:
    if name:
        return name
    return str(source) if isinstance(source, Path) else "<input>"


def parse_all(
    source: Source, *, format: str = "auto", url: str | None = None, name: str | None = None
) -> list[Article]:
    """Parse ``source`` into every Article it holds: many for a feed or a JSON list.

    ``format`` is ``auto``, ``text``, ``html``, ``feed`` or ``json``; ``url`` is the
    page's address (for relative links); ``name`` labels the input in error
    messages (default: the path, or ``<input>``; the CLI passes ``<stdin>``).
    """
    return _guarded(source, format, url, name)


def parse(
    source: Source, *, format: str = "auto", url: str | None = None, name: str | None = None
) -> Article:
    """Parse one story. Raises ParseError naming the input and the problem.

    For a feed (or a JSON list) this is its first entry, with a warning saying
    how many more there are; use :func:`parse_all` to get them all.
    """
    articles = _guarded(source, format, url, name)
    if not articles:
        raise ParseError(f"{_label(source, name)}: holds no stories")
    first = articles[0]
    if len(articles) > 1:
        import dataclasses

        note = (
            f"input holds {len(articles)} stories; parse() returned the first, "
            "parse_all() returns them all"
        )
        first = dataclasses.replace(first, warnings=(*first.warnings, note))
    return first
