"""The newsletter of an edition: an HTML email with inline CSS and its plain-text twin."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from newsdesk.site.stories.models import Edition, QuickLookBullet

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _context(edition: Edition, base_url: str) -> dict:
    stories = edition.running_order()
    # One query for every story's bullets.
    bullets: dict[int, list[QuickLookBullet]] = {}
    for b in QuickLookBullet.objects.filter(story__in=[s.pk for s in stories]).order_by(
        "order", "id"
    ):
        bullets.setdefault(b.story_id, []).append(b)
    base = base_url.rstrip("/")
    items = [
        {"story": s, "url": base + s.get_absolute_url(), "bullets": bullets.get(s.pk, [])}
        for s in stories
    ]
    return {
        "edition": edition,
        "items": items,
        "site_name": settings.NEWSDESK_SITE_NAME,
        "edition_url": base + edition.get_absolute_url(),
        "home_url": base + "/",
    }


def render_html(edition: Edition, *, base_url: str = DEFAULT_BASE_URL) -> str:
    """The email's HTML: tables and inline styles only, no external CSS, no script."""
    return render_to_string("desk/newsletter.html", _context(edition, base_url))


def render_text(edition: Edition, *, base_url: str = DEFAULT_BASE_URL) -> str:
    """The plain-text twin of the email, with every link spelled out."""
    return render_to_string("desk/newsletter.txt", _context(edition, base_url)).strip() + "\n"


__all__ = ["DEFAULT_BASE_URL", "render_html", "render_text"]


def export(day: str, period: str, *, fmt: str = "html", base_url: str = DEFAULT_BASE_URL) -> str:
    """The newsletter of the ``period`` edition of ISO date ``day`` as ``html`` or ``text``.

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
    return (render_text if fmt == "text" else render_html)(edition, base_url=base_url)
