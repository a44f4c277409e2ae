"""The one upload limit of every write path: ``newsdesk ingest``, the API and the desk.

``NEWSDESK_MAX_UPLOAD_BYTES`` (default 10 MB: the largest real page in the evaluation
data is under 1 MB, a feed of 100 full entries a few MB) caps a file, a request body or
an admin upload alike, with one message.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "NEWSDESK_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def over_limit(name: str, size: int) -> str | None:
    """The message for an input of ``size`` bytes over the limit, else None."""
    limit = max_upload_bytes()
    if size <= limit:
        return None
    return (
        f"{name} is {size:,} bytes, over the upload limit of {limit:,} bytes "
        "(NEWSDESK_MAX_UPLOAD_BYTES)"
    )
