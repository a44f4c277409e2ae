"""Format detection and dispatch: the one door every input comes through."""

from __future__ import annotations

from pathlib import Path

from newsdesk.article import Article, Block, DeepLook
from newsdesk.errors import ParseError

Source = str | bytes | Path


def _read(source: Source) -> tuple[str, str]:
    if isinstance(source, Path):
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise ParseError(f"{source}: cannot read: {exc.strerror}") from exc
        name = str(source)
    else:
        data, name = source, "<input>"
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(f"{name}: not UTF-8 text") from exc
    return data, name


def parse_all(source: Source, *, format: str = "auto", url: str | None = None) -> list[Article]:
    """Parse ``source`` into every Article it holds (a feed holds many)."""
    return [parse(source, format=format, url=url)]


def parse(source: Source, *, format: str = "auto", url: str | None = None) -> Article:
    """Parse one story. Raises ParseError naming the input and the problem."""
    text, name = _read(source)
    if not text.strip():
        raise ParseError(f"{name}: empty input")
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    headline, body = paras[0], paras[1:] or paras
    blocks = tuple(Block(kind="paragraph", text=p) for p in body)
    return Article(headline=headline, deep_look=DeepLook(blocks=blocks), source_url=url)
