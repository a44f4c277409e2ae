"""newsdesk: turn news stories into Quick Looks / Deep Look pages.

The library half (this package minus ``newsdesk.site``) never imports Django.
"""

from newsdesk.article import Article, Block, Bullet, Caption, DeepLook, Looks, QuickLooks, Related
from newsdesk.errors import InputError, NewsdeskError, ParseError, SummarizeError
from newsdesk.parse import parse
from newsdesk.summarize import LooksOptions, summarize

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Block",
    "Bullet",
    "Caption",
    "DeepLook",
    "InputError",
    "Looks",
    "LooksOptions",
    "NewsdeskError",
    "ParseError",
    "QuickLooks",
    "Related",
    "SummarizeError",
    "parse",
    "summarize",
]
