"""The JSON API (django-ninja): read stories, sections, editions and search; write stories.

Served under ``/api/``; the OpenAPI schema is at ``/api/openapi.json`` and its browsable
docs at ``/api/docs``. Writes need ``Authorization: Bearer <token>`` (``newsdesk token
create USER``, or the admin's API tokens) of a user allowed to add stories (and, to
publish, to publish them). Stories are stored as that user: a Writer's token may change
only the Writer's own drafts; input matching any other story is refused with 403.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from newsdesk.article import Article
from newsdesk.errors import InputError, ParseError
from newsdesk.site.api import schemas
from newsdesk.site.api.models import Token
from newsdesk.site.ingestion.outcomes import INGESTED
from newsdesk.site.ingestion.store import MayNotChange, ingest
from newsdesk.site.search import limit as search_limit
from newsdesk.site.search.backends import MAX_QUERY_CHARS, clean_query
from newsdesk.site.search.index import search as run_search
from newsdesk.site.stories.models import Caption, Edition, Section, Story
from newsdesk.site.weburls import is_web_url

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
SLUG = re.compile(r"^[-\w]{1,120}$")

api = NinjaAPI(
    title="newsdesk API",
    version="1",
    description="Read the published stories, sections and editions, search them, and "
    "(with a token) create stories from Article JSON or ingest documents.",
    urls_namespace="api",
)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return Token.user_for(token) if token else None


WRITE = {"auth": BearerToken(), "tags": ["write"]}


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    response = api.create_response(
        request,
        {"detail": "A valid API token is required: send 'Authorization: Bearer <token>'."},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="newsdesk"'
    return response


def _problem(status: int, detail: str) -> Status:
    return Status(status, {"detail": detail})


# --- Shapes ----------------------------------------------------------------------------------


def _url(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _teaser(request, story: Story) -> dict[str, Any]:
    return {
        "headline": story.headline,
        "slug": story.slug,
        "url": _url(request, story.get_absolute_url()),
        "summary": story.summary,
        "published_at": story.published_at,
    }


def _edition(request, edition: Edition) -> dict[str, Any]:
    return {
        "date": edition.date,
        "period": edition.period,
        "name": edition.name,
        "url": _url(request, edition.get_absolute_url()),
    }


def _section(request, section: Section) -> dict[str, Any]:
    return {
        "name": section.name,
        "slug": section.slug,
        "url": _url(request, section.get_absolute_url()),
    }


def _blocks(story: Story) -> list[dict[str, Any]]:
    return [{"kind": b.kind, "text": b.text, "items": list(b.items)} for b in story.body_blocks()]


def _story(request, story: Story) -> dict[str, Any]:
    return {
        **_teaser(request, story),
        "site": story.site_name,
        "dateline": story.dateline,
        "author": story.author,
        "status": story.status,
        "is_top_story": story.is_top_story,
        "edition": _edition(request, story.edition) if story.edition_id else None,
        "sections": [_section(request, s) for s in story.sections.all()],
        "captions": [
            {
                "text": c.shown_text,
                "credit": c.shown_credit,
                "image_url": c.image_url,
                "alt_text": c.alt_text,
                # the photo as the site stores and serves it (its widest rendition), if stored
                "photo": _url(request, c.photo.share_url) if c.photo_id else None,
            }
            for c in story.captions.all()
        ],
        "quick_looks": {
            "title": story.quick_looks_title,
            "bullets": [
                {
                    "text": b.text,
                    "source_sentences": [int(i) for i in b.source_sentences if isinstance(i, int)],
                }
                for b in story.bullets.all()
            ],
        },
        "deep_look": {
            "title": story.deep_look_title,
            "dateline": story.deep_look_dateline,
            "blocks": _blocks(story),
        },
        "source_url": story.source_url,
        "attribution": story.attribution,
    }


def _full(queryset):
    return queryset.select_related("edition").prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("storysection__order")),
        Prefetch("captions", queryset=Caption.objects.select_related("photo")),
        "bullets",
    )


def _page_of(objects, page: int, size: int, item):
    """One page of ``objects`` as the API answers it (``item`` renders each), or a 404 problem."""
    paginator = Paginator(objects, size, allow_empty_first_page=True)
    try:
        current = paginator.page(page)
    except EmptyPage:
        return _problem(404, f"No page {page}: there are {paginator.num_pages}.")
    return {
        "count": paginator.count,
        "page": page,
        "pages": paginator.num_pages,
        "results": [item(o) for o in current.object_list],
    }


# --- Read ------------------------------------------------------------------------------------


@api.get("/stories", response={200: schemas.StoryPage, 404: schemas.Problem}, tags=["read"])
def list_stories(
    request,
    section: str | None = Query(
        None, pattern=r"^[-a-zA-Z0-9_]{1,100}$", description="a section's slug"
    ),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """Published stories, newest first; ``section`` keeps those of one section."""
    stories = Story.objects.published().only("headline", "slug", "summary", "published_at")
    if section:
        found = Section.objects.filter(slug=section).first()
        if found is None:
            return _problem(404, f"No section with the slug {section!r}.")
        stories = stories.filter(sections=found)
    return _page_of(stories, page, page_size, lambda s: _teaser(request, s))


@api.get("/stories/{slug}", response={200: schemas.StoryOut, 404: schemas.Problem}, tags=["read"])
def get_story(request, slug: str):
    """One published story: sections, captions, Quick Looks bullets and Deep Look blocks."""
    story = _full(Story.objects.published()).filter(slug=slug).first() if SLUG.match(slug) else None
    if story is None:
        return _problem(404, f"No published story with the slug {slug!r}.")
    return _story(request, story)


@api.get("/sections", response=list[schemas.SectionOut], tags=["read"])
def list_sections(request):
    """Every section, in menu order."""
    return [_section(request, s) for s in Section.objects.all()]


@api.get("/editions", response={200: schemas.EditionPage, 404: schemas.Problem}, tags=["read"])
def list_editions(
    request,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """Editions, newest first."""
    return _page_of(Edition.objects.all(), page, page_size, lambda e: _edition(request, e))


@api.get(
    "/editions/{day}/{period}",
    response={200: schemas.EditionOut, 404: schemas.Problem},
    tags=["read"],
)
def get_edition(request, day: date, period: Literal["morning", "evening"]):
    """One edition with its published stories in running order."""
    edition = Edition.objects.filter(date=day, period=period).first()
    if edition is None:
        return _problem(404, f"No {period} edition on {day.isoformat()}.")
    return {
        **_edition(request, edition),
        "stories": [_teaser(request, s) for s in edition.running_order()],
    }


@api.get(
    "/search",
    response={200: schemas.SearchPage, 404: schemas.Problem, 429: schemas.Problem},
    tags=["read"],
)
def search(
    request,
    q: str = Query(
        ...,
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        description='words to find; "a phrase", or, -not',
    ),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """Published stories matching ``q``, best first, with highlighted headline and snippet.

    Searches count against the address's NEWSDESK_SEARCH_RATE_LIMIT, one budget with the
    search page; over it the answer is 429 with Retry-After."""
    query = clean_query(q)
    wait = search_limit.wait_seconds(request)
    if wait is not None:
        response = api.create_response(
            request,
            {
                "detail": f"Too many searches from your address (limit "
                f"{settings.NEWSDESK_SEARCH_RATE_LIMIT}); try again in {wait} seconds."
            },
            status=429,
        )
        response["Retry-After"] = str(wait)
        response["Cache-Control"] = "no-store"
        return response
    answer = _page_of(
        run_search(query),
        page,
        page_size,
        lambda s: {
            **_teaser(request, s),
            "headline_html": s.headline_html,
            "snippet_html": s.snippet_html,
            "score": float(s.score or 0),
        },
    )
    return {"query": query, **answer} if isinstance(answer, dict) else answer


# --- Write -----------------------------------------------------------------------------------

_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _scrub(value):
    """Article data a database can store: no NUL or control characters, no lone surrogates."""
    if isinstance(value, str):
        return _BAD_CHARS.sub("", value.encode("utf-8", "replace").decode("utf-8"))
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


def _checked(article: Article) -> Article:
    if not article.headline.strip() and not article.body_text.strip():
        raise InputError("the article has neither a headline nor a body (deep_look.blocks)")
    if article.published is not None and article.published.tzinfo is None:
        article = dataclasses.replace(article, published=article.published.replace(tzinfo=UTC))
    return article


def _check_urls(article: Article) -> None:
    """Raise InputError for a source_url or caption image that is not an http(s) URL."""
    named = [("source_url", article.source_url)] + [
        (f"captions[{i}].image", c.image) for i, c in enumerate(article.captions)
    ]
    for field, value in named:
        if value and not is_web_url(value):
            raise InputError(f"{field} {value[:100]!r} is not an http(s) URL")


def _may_write(user, publish: bool) -> str | None:
    if not user.has_perm("stories.add_story"):
        return f"User {user.get_username()!r} may not add stories."
    if publish and not user.has_perm("stories.publish_story"):
        return (
            f"User {user.get_username()!r} may not publish stories: "
            "send publish=false to store a draft."
        )
    return None


def _store(request, articles: list[Article], publish: bool) -> list[dict[str, Any]]:
    """Store the articles as the token's user (all or none); raises MayNotChange."""
    from newsdesk.site.ingestion.photos import store_story_photos

    stored = []
    with transaction.atomic():  # all of a request's stories, or none
        for article in articles:
            story, outcome = ingest(article, publish=publish, user=request.auth, via="api")
            stored.append((outcome, story.pk))
    for story in Story.objects.filter(pk__in=[pk for o, pk in stored if o != "duplicate"]):
        store_story_photos(story)  # after the transaction: a failed photo loses no story
    stories = {s.pk: s for s in _full(Story.objects.filter(pk__in=[pk for _, pk in stored]))}
    return [{"outcome": outcome, "story": _story(request, stories[pk])} for outcome, pk in stored]


def _created(stored: list[dict[str, Any]]) -> int:
    """201 when a story was stored anew, else 200: a duplicate or update names what exists."""
    return 201 if any(item["outcome"] == INGESTED for item in stored) else 200


@api.post(
    "/stories",
    response={
        200: schemas.StoredOut,
        201: schemas.StoredOut,
        400: schemas.Problem,
        401: schemas.Problem,
        403: schemas.Problem,
    },
    **WRITE,
)
def create_story(request, article: schemas.ArticleIn, publish: bool = True):
    """Store a story from Article JSON (summarized into Quick Looks unless it has bullets).

    The same story sent again is not stored twice: 200 with the stored story
    (``outcome``: ``duplicate``, or ``updated`` when it is a newer version); 201 when new.
    """
    refused = _may_write(request.auth, publish)
    if refused:
        return _problem(403, refused)
    if not request.body.lstrip().startswith(b"{"):  # the schema's defaults would fill anything else
        return _problem(400, "Bad article: Article JSON must be an object ({...}).")
    try:
        parsed = _checked(Article.from_dict(_scrub(article.model_dump(mode="json"))))
        _check_urls(parsed)  # documents keep their stories; the seam drops such URLs there
    except InputError as exc:
        return _problem(400, f"Bad article: {exc}")
    try:
        stored = _store(request, [parsed], publish)
    except MayNotChange as exc:
        return _problem(403, f"Refused: {exc}.")
    return Status(_created(stored), stored[0])


DOCUMENT_BODY = {
    "required": True,
    "description": "The document's raw bytes: plain text, an HTML page, an RSS/Atom/JSON feed or "
    "Article JSON (any encoding; gzip is fine).",
    "content": {
        kind: {"schema": {"type": "string"}}
        for kind in (
            "text/plain",
            "text/html",
            "application/rss+xml",
            "application/atom+xml",
            "application/json",
        )
    }
    | {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}


@api.post(
    "/documents",
    response={
        200: schemas.IngestedOut,
        201: schemas.IngestedOut,
        400: schemas.Problem,
        401: schemas.Problem,
        403: schemas.Problem,
        413: schemas.Problem,
    },
    openapi_extra={"requestBody": DOCUMENT_BODY},
    **WRITE,
)
def ingest_document(
    request,
    format: Literal["auto", "text", "html", "feed", "json"] = "auto",
    url: str | None = Query(
        None, max_length=1000, description="the document's address (for links)"
    ),
    publish: bool = True,
):
    """Parse a document (every story of a feed) and store its stories, all or none.

    201 when a story was stored anew; 200 when every story was already stored (a
    duplicate, or an update of it), with the stored stories.
    """
    refused = _may_write(request.auth, publish)
    if refused:
        return _problem(403, refused)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            return _problem(400, f"url {url[:100]!r} is not an http(s) URL.")
    from newsdesk.parse import parse_all
    from newsdesk.site.ingestion.limits import over_limit

    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    if problem := over_limit("The document", size):
        return _problem(413, f"{problem}.")
    try:
        body = request.body
    except RequestDataTooBig:
        return _problem(
            413, f"{over_limit('The document', settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}."
        )
    if problem := over_limit("The document", len(body)):
        return _problem(413, f"{problem}.")
    if not body.strip():
        return _problem(400, "The request body is empty: send the document's bytes.")
    try:
        articles = [
            _checked(Article.from_dict(_scrub(a.to_dict())))
            for a in parse_all(body, format=format, url=url or None, name="<request>")
        ]
    except (ParseError, InputError) as exc:
        return _problem(400, f"Cannot use the document: {exc}")
    if not articles:
        return _problem(400, "The document holds no stories.")
    try:
        stored = _store(request, articles, publish)
    except MayNotChange as exc:
        return _problem(403, f"Refused, nothing stored: {exc}.")
    return Status(_created(stored), {"count": len(stored), "stories": stored})


# Clusters of same-event stories: their own app's router (newsdesk.site.clusters.api).
from newsdesk.site.clusters.api import router as clusters_router  # noqa: E402

api.add_router("/clusters", clusters_router)
