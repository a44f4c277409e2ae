"""The newsletter of an edition: an HTML email with inline CSS and its plain-text twin."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from newsdesk.site.stories.models import Caption, Edition, QuickLookBullet

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _photo(caption: Caption | None, base: str) -> dict | None:
    """The story's first photo with an absolute address and alt text (never empty)."""
    if caption is None:
        return None
    url = caption.photo.src  # the stored photo, about 960 px wide: sharp at 552 px on 2x screens
    if url.startswith("/"):
        url = base + url
    return {"url": url, "alt": caption.alt}


def _context(edition: Edition, base_url: str, unsubscribe_url: str = "") -> dict:
    stories = edition.running_order()
    ids = [s.pk for s in stories]
    # One query for every story's bullets, one for their first photos.
    bullets: dict[int, list[QuickLookBullet]] = {}
    for b in QuickLookBullet.objects.filter(story__in=ids).order_by("order", "id"):
        bullets.setdefault(b.story_id, []).append(b)
    photos: dict[int, Caption] = {}
    captions = Caption.objects.filter(story__in=ids, photo__isnull=False).select_related("photo")
    for c in captions.order_by("order", "id"):
        photos.setdefault(c.story_id, c)
    base = base_url.rstrip("/")
    items = [
        {
            "story": s,
            "url": base + s.get_absolute_url(),
            "bullets": bullets.get(s.pk, []),
            "photo": _photo(photos.get(s.pk), base),
        }
        for s in stories
    ]
    return {
        "edition": edition,
        "items": items,
        "site_name": settings.NEWSDESK_SITE_NAME,
        "edition_url": base + edition.get_absolute_url(),
        "home_url": base + "/",
        "unsubscribe_url": unsubscribe_url,
    }


def render_html(
    edition: Edition, *, base_url: str = DEFAULT_BASE_URL, unsubscribe_url: str = ""
) -> str:
    """The email's HTML: tables and inline styles (a dark-mode style block on top for the
    clients that read one), no external CSS, no script; an unsubscribe link when given."""
    return render_to_string("desk/newsletter.html", _context(edition, base_url, unsubscribe_url))


def render_text(
    edition: Edition, *, base_url: str = DEFAULT_BASE_URL, unsubscribe_url: str = ""
) -> str:
    """The plain-text twin of the email, with every link spelled out."""
    context = _context(edition, base_url, unsubscribe_url)
    return render_to_string("desk/newsletter.txt", context).strip() + "\n"


__all__ = ["DEFAULT_BASE_URL", "export", "find", "render_html", "render_text"]


def find(day: str, period: str) -> Edition:
    """The ``period`` edition of ISO date ``day``.

    Raises InputError for a bad date or period, or an edition that does not exist.
    """
    from newsdesk.errors import InputError

    try:
        when, period = Edition.parse_key(day, period)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    edition = Edition.objects.filter(date=when, period=period).first()
    if edition is None:
        raise InputError(f"there is no {period} edition on {when.isoformat()}")
    return edition


def export(day: str, period: str, *, fmt: str = "html", base_url: str = DEFAULT_BASE_URL) -> str:
    """The newsletter of the ``period`` edition of ISO date ``day`` as ``html`` or ``text``.

    Raises InputError for a bad date or period, or an edition that does not exist.
    """
    edition = find(day, period)
    return (render_text if fmt == "text" else render_html)(edition, base_url=base_url)
