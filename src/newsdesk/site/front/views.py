"""Reader pages: story, home, section, edition. Views only read models."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from newsdesk.site import pagecache
from newsdesk.site.clusters.listing import one_per_cluster
from newsdesk.site.clusters.views import coverage_html
from newsdesk.site.distribution.links import base_url
from newsdesk.site.ratings import services as ratings
from newsdesk.site.search.index import related
from newsdesk.site.stories.bylines import byline_pieces
from newsdesk.site.stories.models import (
    Author,
    Caption,
    Edition,
    Section,
    Story,
    StorySection,
    Tag,
)
from newsdesk.site.stories.photos import with_photos as _with_photos

LATEST_COUNT = 5
MORE_ON_COUNT = 5
RELATED_COUNT = 5
SECTION_TEASERS = 4
LEAD_COUNT = 4  # the lead grid beside the top story on the front page
EDITION_DAYS_PAGE = 60  # editions per page of the editions index
RATED = frozenset("12345")
TOKEN_SLOT = "{{form}}"  # noqa: S105 - never in a rendered rating block otherwise: slugs hold no braces


# What a link to a story needs: lists never load the body blocks.
TEASER_FIELDS = ("headline", "slug", "summary", "published_at", "edition__date", "edition__period")


def _published():
    return Story.objects.published().select_related("edition")


def _teasers():
    return _published().only(*TEASER_FIELDS)


def _latest(exclude: int | None = None):
    """Latest published stories, one query."""
    qs = _teasers()
    if exclude:
        qs = qs.exclude(pk=exclude)
    return list(qs[:LATEST_COUNT])


def _story_parts(slug: str, recent: Callable[[], list] | None = None) -> dict:
    """Everything on a story page that no reader changes: the story, its rendered body (with
    More on, Previous/Next and Similar stories) and the Latest News list. Kept per site and
    story version by ``pagecache.remembered`` behind the page cache. ``recent``: the newest
    LATEST_COUNT + 1 stories, shared by every story page of a site version (else one query here)."""
    # 1 query for the story and its edition, 5 prefetches (sections, authors, tags, captions,
    # bullets).
    story = get_object_or_404(
        _published()
        .select_related("rating_summary")
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("storysection__order")),
            Prefetch("authors", queryset=Author.objects.order_by("storyauthor__order")),
            "tags",
            Prefetch("captions", queryset=Caption.objects.select_related("photo")),
            "bullets",
        ),
        slug=slug,
    )
    sections = list(story.sections.all())
    first = sections[0] if sections else None
    more_on = (
        list(_teasers().filter(sections=first).exclude(pk=story.pk)[:MORE_ON_COUNT])
        if first
        else []
    )
    # Previous/next by publish time, ties broken by id so every story has one place.
    order = _teasers().order_by("published_at", "id")
    at = story.published_at
    previous = order.filter(Q(published_at__lt=at) | Q(published_at=at, id__lt=story.id)).last()
    following = order.filter(Q(published_at__gt=at) | Q(published_at=at, id__gt=story.id)).first()
    article = render_to_string(
        "stories/_story.html",
        {
            "story": story,
            "sections": sections,
            "byline": byline_pieces(story),
            "tags": list(story.tags.all()),
            "first_section": first,
            "more_on": more_on,
            "previous": previous,
            "next": following,
            # similar text, one query; never a story More on already lists
            "related": [
                item
                for item in related(story, n=RELATED_COUNT + len(more_on))
                if item.pk not in {m.pk for m in more_on}
            ][:RELATED_COUNT],
        },
    )
    if recent is None:
        latest = _latest(exclude=story.pk)
    else:
        latest = [item for item in recent() if item.pk != story.pk][:LATEST_COUNT]
    latest_html = render_to_string("stories/_latest.html", {"latest": latest})
    return {
        "coverage": coverage_html(story),  # other sources on the same event, if any
        "story": story,
        "sections": sections,
        "article": article,
        "latest": latest,
        "latest_html": latest_html,
    }


def story_detail(request, slug: str):
    seen = pagecache.story_version(request, slug)  # None: not behind the page cache, keep nothing
    key = ("story", slug, seen)
    if seen is None:
        parts = _story_parts(slug)
    else:

        def recent():
            newest = _teasers()[: LATEST_COUNT + 1]
            return pagecache.remembered(request, ("latest",), lambda: list(newest))

        parts = pagecache.remembered(request, key, lambda: _story_parts(slug, recent))
    story = parts["story"]
    rating = ratings.page_context(story)  # the rating loaded with the story, a fresh form token

    def head():
        return render_to_string("stories/_story_head.html", {"request": request, **parts, **rating})

    # The rating block differs between readers only by the form token and ?rated= (after a
    # vote without JavaScript): rendered once per variant, the token put in per request.
    rated = request.GET.get("rated", "")
    rated = rated if rated in RATED else ("x" if rated else "")

    def rating_block():
        return render_to_string(
            "ratings/rating.html",
            {
                **rating,
                "story": story,
                "rating_form": TOKEN_SLOT,
                "request": {"GET": {"rated": rated}},
            },
        )

    if seen is None:
        head_html, block = head(), rating_block()
    else:
        # The head's canonical URL and feed links name the host the page is served under.
        head_html = pagecache.remembered(request, ("head", slug, seen, base_url(request)), head)
        block = pagecache.remembered(request, ("rating", slug, seen, rated), rating_block)
    rating_html = mark_safe(block.replace(TOKEN_SLOT, escape(rating["rating_form"]), 1))  # noqa: S308
    return render(
        request,
        "stories/story_detail.html",
        {**parts, **rating, "head": head_html, "rating_html": rating_html},
    )


def home(request):
    """The front page: the top story, a lead grid, a block per menu section (its lead and
    headlines) and Latest News, each story once on the page. Constant queries."""
    stories = one_per_cluster(_published())  # one entry per cluster
    top = stories.filter(is_top_story=True).first() or stories.first()
    shown = {top.pk} if top else set()
    leads = [s for s in one_per_cluster(_teasers())[: LEAD_COUNT + 1] if s.pk not in shown][
        :LEAD_COUNT
    ]
    shown |= {s.pk for s in leads}
    # The newest few stories of every menu section in one query, whatever their number; a
    # margin over SECTION_TEASERS for the stories shown higher up (and in earlier sections).
    margin = SECTION_TEASERS + LEAD_COUNT + 1
    ranked = (
        StorySection.objects.filter(section__in_menu=True, story__in=one_per_cluster(_published()))
        .select_related("section", "story", "story__edition")
        .only(
            *(f"story__{f}" for f in TEASER_FIELDS),
            "section__name",
            "section__slug",
            "section__order",
            "section__in_menu",
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("section_id")],
                order_by=[F("story__published_at").desc(), F("story_id").desc()],
            )
        )
        .filter(rank__lte=margin + SECTION_TEASERS * 2)
        .order_by("section__order", "section__name", "rank")
    )
    teasers: list = []
    for link in ranked:
        if not teasers or teasers[-1][0].pk != link.section_id:
            teasers.append((link.section, []))
        items = teasers[-1][1]
        if link.story_id not in shown and len(items) < SECTION_TEASERS:
            items.append(link.story)
            shown.add(link.story_id)
    teasers = [(section, items) for section, items in teasers if items]
    latest = [
        s for s in one_per_cluster(_teasers())[: LATEST_COUNT + len(shown)] if s.pk not in shown
    ]
    _with_photos([top, *leads, *(items[0] for _, items in teasers)] if top else [])
    current = Edition.objects.filter(stories__in=Story.objects.published()).distinct().first()
    return render(
        request,
        "stories/home.html",
        {
            "top": top,
            "leads": leads,
            "latest": latest[:LATEST_COUNT],
            "teasers": teasers,
            "current_edition": current,
        },
    )


def _listing(request, stories, what: str, template: str, context: dict):
    """A page of ``stories``, newest first, with their photos and Latest News beside them."""
    paginator = Paginator(stories, settings.NEWSDESK_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404(f"No page {request.GET.get('page')!r} {what}") from exc
    _with_photos(list(page))
    return render(request, template, {**context, "page": page, "latest": _latest()})


def section_detail(request, slug: str):
    section = get_object_or_404(Section, slug=slug)
    return _listing(
        request,
        one_per_cluster(_teasers().filter(sections=section)),  # one entry per cluster
        f"in section {section.name}",
        "stories/section_detail.html",
        {"section": section},
    )


def tag_detail(request, slug: str):
    """A tag's stories, newest first, paged like a section's; tags are never in the menu."""
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(
        request,
        one_per_cluster(_teasers().filter(tags=tag)),  # one entry per cluster
        f"in tag {tag.name}",
        "stories/tag_detail.html",
        {"tag": tag},
    )


def author_detail(request, slug: str):
    """An author's profile and their published stories, newest first, paged like a section's."""
    author = get_object_or_404(Author, slug=slug)
    return _listing(
        request,
        _teasers().filter(authors=author),
        f"of stories by {author.name}",
        "stories/author_detail.html",
        {"author": author},
    )


def edition_detail(request, day: str, period: str):
    try:
        when, period = Edition.parse_key(day, period)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    edition = get_object_or_404(Edition, date=when, period=period)
    stories = _with_photos(edition.running_order())  # the editors' order, else by publish time
    # Morning comes before evening on a day (the period names do not sort that way).
    morning = edition.period == Edition.MORNING
    same_day = Q(date=edition.date)
    older = (
        Edition.objects.filter(
            Q(date__lt=edition.date) | (Q() if morning else same_day & Q(period=Edition.MORNING))
        )
        .exclude(pk=edition.pk)
        .order_by("-date", "period")  # the day's evening first
        .first()
    )
    newer = (
        Edition.objects.filter(
            Q(date__gt=edition.date) | (same_day & Q(period=Edition.EVENING) if morning else Q())
        )
        .exclude(pk=edition.pk)
        .order_by("date", "-period")  # the day's morning first
        .first()
    )
    return render(
        request,
        "stories/edition_detail.html",
        {
            "edition": edition,
            "stories": stories,
            "older": older,
            "newer": newer,
            "latest": _latest(),
        },
    )


def edition_list(request):
    """Every edition with published stories, newest first, grouped by day (Morning/Evening)."""
    editions = (
        Edition.objects.annotate(
            story_count=Count(
                "stories",
                filter=Q(stories__in=Story.objects.published()),
            )
        )
        .filter(story_count__gt=0)
        .order_by("-date", "-period")  # newest day first; its morning before its evening
    )
    paginator = Paginator(editions, EDITION_DAYS_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404(f"No page {request.GET.get('page')!r} of editions") from exc
    days: list = []
    for edition in page:
        if not days or days[-1][0] != edition.date:
            days.append((edition.date, []))
        days[-1][1].append(edition)
    return render(request, "stories/edition_list.html", {"page": page, "days": days})
