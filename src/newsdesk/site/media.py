"""Stored photos served by the site itself (``newsdesk serve``, tests); nginx in production.

Rendition names carry a digest of their photo, so a browser may keep them for a year;
originals (shown to editors only) are kept a day. Off with NEWSDESK_SERVE_MEDIA=false.
"""

from __future__ import annotations

from django.conf import settings
from django.views.static import serve

YEAR = 365 * 24 * 3600


def serve_media(request, path: str):
    """One file under MEDIA_ROOT (404 for anything else, ``..`` included)."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    age = YEAR if path.startswith("photos/renditions/") else 24 * 3600
    response["Cache-Control"] = f"public, max-age={age}" + (", immutable" if age == YEAR else "")
    return response
