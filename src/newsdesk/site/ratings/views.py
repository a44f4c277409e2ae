"""Vote (POST, with or without JavaScript) and a story's live numbers (GET rating.json)."""

from __future__ import annotations

import functools
from typing import NamedTuple

from django.core.exceptions import RequestDataTooBig
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from newsdesk.site.ratings import readers, services
from newsdesk.site.ratings.models import Vote
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


def _story(slug: str) -> Story:
    """The published story, only id, slug and headline loaded. Raises Http404."""
    rated = published(slug)
    if rated is None:
        raise Http404(f"No published story {slug!r}")
    return Story(id=rated.pk, slug=slug, headline=rated.headline)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _refuse(request, story: Story | None, exc: Refused):
    if _wants_json(request):
        response = JsonResponse({"error": str(exc)}, status=exc.status)
    else:
        response = render(
            request,
            "ratings/refused.html",
            {"story": story, "message": str(exc)},
            status=exc.status,
        )
    response["Cache-Control"] = "no-store"  # an answer to this one request
    return response


def _numbers(story: Story | Rated, rating: services.Rating, your_vote: int | None) -> dict:
    return {**rating.to_dict(), "your_vote": your_vote, "form": readers.form_token(story.pk)}


def replayed() -> Refused:
    return Refused(
        "This vote form was already sent; your vote is counted once. Reload the page to change it.",
        409,
    )


def voted(story: Story | Rated, cast: services.Cast, stars: int, feedback: str) -> dict:
    """The JSON answer to a counted vote: thanks, the new numbers and the next form token."""
    return {
        "ok": True,
        "thanks": "Thank you for rating this article!",
        "ask_feedback": stars <= 2 and not feedback,
        **_numbers(story, cast.rating, stars),
    }


@csrf_exempt  # pages are shared by the page cache: see readers.py for how a vote is checked
@require_POST
def vote(request, slug: str):
    """Record a vote; 303 back to the story (form) or the new numbers as JSON (fetch)."""
    story = None
    try:
        story = _story(slug)
        readers.check_same_site(request)
        readers.check_rate_limit(request)
        try:
            data = request.POST
        except (RequestDataTooBig, RawPostDataException) as exc:
            raise Refused("The vote is too large to accept.", 413) from exc
        stars, feedback, nonce = readers.clean_vote(data, story.pk)
        voter, new_reader = readers.voter_of(request, nonce)
        cast = services.cast(
            story,
            voter,
            stars,
            feedback=feedback,
            nonce=nonce,
            address=readers.address_hash(request.META.get("REMOTE_ADDR", "")),
        )
    except Refused as exc:
        return _refuse(request, story, exc)
    except services.Replay:
        return _refuse(request, story, replayed())
    if _wants_json(request):
        response = JsonResponse(voted(story, cast, stars, feedback))
    else:
        response = HttpResponseRedirect(
            f"{story.get_absolute_url()}?rated={stars}#rating", status=303
        )
    if new_reader:
        readers.set_reader_cookie(response, new_reader)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def numbers(request, slug: str):
    """A story's live rating, the reader's own vote and a fresh form token (never cached)."""
    story = _story(slug)
    try:
        reader = readers.reader_from_cookie(request)
    except Refused:
        reader = None  # a bad cookie is replaced here; a vote with it is refused
    new_reader = None
    voter = reader
    if "sessionid" in request.COOKIES and request.user.is_authenticated:
        voter = f"u:{request.user.pk}"
    elif reader is None:
        voter = new_reader = readers.new_reader()
    your_vote = (
        (
            Vote.objects.filter(story_id=story.pk, voter=voter)
            .values_list("stars", flat=True)
            .first()
        )
        if not new_reader
        else None
    )
    response = JsonResponse(_numbers(story, services.summary_of(story.pk), your_vote))
    if new_reader:
        readers.set_reader_cookie(response, new_reader)
    response["Cache-Control"] = "no-store"
    return response
