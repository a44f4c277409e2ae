"""Parse any input (page text, wire copy, HTML, feeds, Article JSON) into Articles."""

from newsdesk.parse.core import parse, parse_all

__all__ = ["parse", "parse_all"]
