"""Vote (POST, with or without JavaScript) and a story's live numbers (GET rating.json)."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from newsdesk.site.ratings import core, readers, services
from newsdesk.site.ratings.models import Vote
from newsdesk.site.ratings.readers import Refused
from newsdesk.site.stories.models import Story


def _story(slug: str) -> Story:
    """The published story, only id, slug and headline loaded. Raises Http404."""
    rated = core.published(slug)
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


@csrf_exempt  # pages are shared by the page cache: see readers.py for how a vote is checked
@require_POST
def vote(request, slug: str):
    """Record a vote; 303 back to the story (form) or the new numbers as JSON (fetch)."""
    story = None
    try:
        story = _story(slug)
        taken = core.take(
            story,
            core.Request(
                fetch_site=request.headers.get("Sec-Fetch-Site"),
                origin=request.headers.get("Origin"),
                referer=request.headers.get("Referer"),
                ours=lambda: f"{request.scheme}://{request.get_host()}",
                meta=request.META,
                form=lambda: _form(request),
                voter=lambda nonce: readers.voter_of(request, nonce),
            ),
        )
    except Refused as exc:
        return _refuse(request, story, exc)
    if _wants_json(request):
        response = JsonResponse(core.answer(story, taken))
    else:
        response = HttpResponseRedirect(
            f"{story.get_absolute_url()}?rated={taken.stars}#rating", status=303
        )
    if taken.new_reader:
        readers.set_reader_cookie(response, taken.new_reader)
    response["Cache-Control"] = "no-store"
    return response


def _form(request):
    try:
        return request.POST
    except (RequestDataTooBig, RawPostDataException) as exc:
        raise Refused("The vote is too large to accept.", 413) from exc


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
    response = JsonResponse(core.numbers(story.pk, services.summary_of(story.pk), your_vote))
    if new_reader:
        readers.set_reader_cookie(response, new_reader)
    response["Cache-Control"] = "no-store"
    return response
