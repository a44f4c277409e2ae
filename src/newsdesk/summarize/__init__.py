"""Write the Quick Looks of an Article: dek, grounded bullets, headline."""

from newsdesk.summarize.looks import LooksOptions, summarize

__all__ = ["LooksOptions", "summarize"]
