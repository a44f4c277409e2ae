"""The library's errors: every failure it means to report is a NewsdeskError."""


class NewsdeskError(Exception):
    """Base of every error newsdesk raises on purpose."""


class InputError(NewsdeskError, ValueError):
    """The caller handed over data the library cannot use (bad JSON, bad options)."""


class ParseError(NewsdeskError):
    """An input could not be parsed into an Article; the message names input and problem."""


class SummarizeError(NewsdeskError):
    """A story could not be summarized (for example: it has no text at all)."""
