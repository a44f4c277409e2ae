"""Write the Quick Looks of an Article: dek, grounded bullets, headline."""

from newsdesk.summarize.compress import compress, is_grounded
from newsdesk.summarize.looks import LooksOptions, summarize
from newsdesk.summarize.sentences import split_sentences

__all__ = ["LooksOptions", "compress", "is_grounded", "split_sentences", "summarize"]
