"""A reader's vote, whichever road it came by: the checks, the store and the answer.

Both roads call ``take``: Django's view (``views.vote``: forms without JavaScript, first
votes, signed-in users) and the short WSGI road (``fast.FastVotes``: a reader with a reader
cookie voting from ratings.js). Each road only reads its request its own way (a Django
request, or the WSGI environ) and shapes its own response; what a vote is checked against,
in which order, how it is stored (``services.cast``, which also bumps the story page's
version) and what the JSON answer says is decided here once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from newsdesk.site.ratings import readers, services
from newsdesk.site.ratings.readers import Refused
from newsdesk.site.stories.models import Story


class Rated(NamedTuple):
    """What a vote needs of its story."""

    pk: int
    slug: str
    headline: str


def published(slug: str) -> Rated | None:
    """The published story at ``slug``: one indexed query on the driver's cursor (the ORM's
    compiling of it cost as much as the whole vote, Django's cursor wrapper a fifth)."""
    db = connections[DEFAULT_DB_ALIAS]
    now = db.ops.adapt_datetimefield_value(timezone.now())
    # Story.objects.published(): status published and published_at not in the future.
    row = services.fetch_one(_published_sql(db.vendor), (slug, Story.PUBLISHED, now))
    return Rated(row[0], slug, row[1]) if row else None


@functools.cache
def _published_sql(vendor: str) -> str:
    q = connection.ops.quote_name
    mark = "?" if vendor == "sqlite" else "%s"
    return (
        f"SELECT id, headline FROM {q(Story._meta.db_table)} WHERE slug = {mark} "  # noqa: S608
        f"AND status = {mark} AND published_at <= {mark}"
    )


@dataclass(frozen=True, slots=True)
class Request:
    """What a vote needs of its HTTP request, however the road read it.

    ``ours()`` gives this site's ``scheme://host``; ``meta`` holds at least ``REMOTE_ADDR``
    (the rate limit's key); ``form()`` gives the posted fields (and may raise Refused);
    ``voter(nonce)`` gives (the voter's key, a new reader key to set as a cookie or None).
    """

    fetch_site: str | None
    origin: str | None
    referer: str | None
    ours: Callable[[], str]
    meta: Mapping
    form: Callable[[], Mapping]
    voter: Callable[[str], tuple[str, str | None]]


@dataclass(frozen=True, slots=True)
class Taken:
    """A counted vote: its stars and feedback, what storing it did, a reader key to set."""

    stars: int
    feedback: str
    cast: services.Cast
    new_reader: str | None


REPLAYED = (
    "This vote form was already sent; your vote is counted once. Reload the page to change it."
)


def take(story: Rated | Story, request: Request) -> Taken:
    """Check and store one vote on ``story`` (only its ``pk`` and ``slug`` are read).
    Raises Refused, with its HTTP status.

    In order: the browser says the POST comes from this site; the address is under the
    rate limit; the stars, feedback and signed form token are valid; the voter is known;
    then the vote is stored, refused with 409 when this voter already sent this form.
    """
    readers.same_site(request.fetch_site, request.origin, request.referer, request.ours)
    readers.check_rate_limit(SimpleNamespace(META=request.meta, method="POST"))
    stars, feedback, nonce = readers.clean_vote(request.form(), story.pk)
    voter, new_reader = request.voter(nonce)
    try:
        cast = services.cast(
            story,
            voter,
            stars,
            feedback=feedback,
            nonce=nonce,
            address=readers.address_hash(request.meta.get("REMOTE_ADDR", "")),
        )
    except services.Replay as exc:
        raise Refused(REPLAYED, 409) from exc
    return Taken(stars, feedback, cast, new_reader)


def numbers(story_id: int, rating: services.Rating, your_vote: int | None) -> dict:
    """A story's figures, the reader's own vote and a fresh form token, as JSON data."""
    return {**rating.to_dict(), "your_vote": your_vote, "form": readers.form_token(story_id)}


def answer(story: Rated | Story, taken: Taken) -> dict:
    """The JSON answer to a counted vote: thanks, the new numbers and the next form token."""
    return {
        "ok": True,
        "thanks": "Thank you for rating this article!",
        "ask_feedback": taken.stars <= 2 and not taken.feedback,
        **numbers(story.pk, taken.cast.rating, taken.stars),
    }
