"""RSS 2.0, Atom and JSON Feed for the whole site, each section, tag, author and edition.

Each item carries the story's summary as its description and, as its content, the summary
plus the Quick Looks bullets. A feed is six queries whatever its length: the object, the
stories (with their edition), and one prefetch each for bullets, sections, captions and
authors.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join

from newsdesk.site.clusters.listing import one_per_cluster
from newsdesk.site.distribution.formats import AtomWithContent, JsonFeed, RssWithContent
from newsdesk.site.distribution.links import absolute
from newsdesk.site.stories.models import Author, Caption, Edition, Section, Story, Tag


@dataclass(frozen=True)
class Format:
    name: str
    filename: str
    generator: type
    mime_type: str  # for <link rel="alternate" type=…>
    label: str


FORMATS = {
    f.name: f
    for f in (
        Format("rss", "rss.xml", RssWithContent, "application/rss+xml", "RSS"),
        Format("atom", "atom.xml", AtomWithContent, "application/atom+xml", "Atom"),
        Format("json", "feed.json", JsonFeed, "application/feed+json", "JSON Feed"),
    )
}


def feed_size() -> int:
    return getattr(settings, "NEWSDESK_FEED_SIZE", 30)


def with_feed_relations(stories):
    """Prefetch what an item needs: bullets, sections (main first), captions and authors."""
    relations = (
        "bullets",
        Prefetch("sections", queryset=Section.objects.order_by("storysection__order")),
        Prefetch("captions", queryset=Caption.objects.select_related("photo")),
        Prefetch("authors", queryset=Author.objects.order_by("storyauthor__order")),
    )
    if isinstance(stories, list):
        prefetch_related_objects(stories, *relations)
        return stories
    return stories.prefetch_related(*relations)


def _published():
    return Story.objects.published().select_related("edition").defer("blocks", "attribution")


def quick_looks_title(story: Story) -> str:
    return story.quick_looks_title or f"{story.headline}: Quick Looks"


def item_content(story: Story, link: str) -> str:
    """The item's HTML: summary, the Quick Looks box and a link to the whole story."""
    bullets = list(story.bullets.all())
    parts = [format_html("<p>{}</p>", story.summary)] if story.summary else []
    if bullets:
        parts.append(format_html("<h2>{}</h2>", quick_looks_title(story)))
        parts.append(
            format_html(
                "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((b.text,) for b in bullets))
            )
        )
    parts.append(format_html('<p><a href="{}">Read the Deep Look</a></p>', link))
    return "".join(parts)


class StoryFeed(Feed):
    """The site's feed; a new instance serves each request (it keeps the request)."""

    def __init__(self, request, fmt: Format):
        super().__init__()
        self.request = request
        self.format = fmt
        self.feed_type = fmt.generator

    # --- the feed -------------------------------------------------------------------------
    def title(self, obj) -> str:
        return settings.NEWSDESK_SITE_NAME

    def description(self, obj) -> str:
        return f"Latest stories from {settings.NEWSDESK_SITE_NAME}"

    def link(self, obj) -> str:
        return absolute(self.request, reverse("stories:home"))

    def feed_url(self, obj) -> str:
        return absolute(self.request, self.request.path)

    def items(self, obj):
        # The site's feed: one entry per cluster, as on the home page.
        return with_feed_relations(one_per_cluster(_published())[: feed_size()])

    # --- each story -----------------------------------------------------------------------
    def item_title(self, story: Story) -> str:
        return story.headline

    def item_link(self, story: Story) -> str:
        return absolute(self.request, story.get_absolute_url())

    def item_description(self, story: Story) -> str:
        # RSS <description> and Atom <summary type="html"> are HTML to every feed reader:
        # the summary is plain text, so it goes out escaped (JsonFeed unescapes it again).
        return escape(story.summary)

    def item_pubdate(self, story: Story):
        return story.published_at

    def item_updateddate(self, story: Story):
        return story.updated_at

    def item_author_name(self, story: Story) -> str | None:
        return story.author or None

    def item_author_link(self, story: Story) -> str | None:
        """The page of the byline's first author, when the newsroom has one (prefetched)."""
        authors = list(story.authors.all())
        return absolute(self.request, authors[0].get_absolute_url()) if authors else None

    def item_categories(self, story: Story) -> list[str]:
        return [s.name for s in story.sections.all()]

    def item_extra_kwargs(self, story: Story) -> dict:
        images = [
            absolute(self.request, c.photo.share_url) for c in story.captions.all() if c.photo_id
        ]
        return {
            "content_html": item_content(story, self.item_link(story)),
            "image": images[0] if images else None,
        }


class SectionFeed(StoryFeed):
    def get_object(self, request, slug: str) -> Section:
        return Section.objects.get(slug=slug)

    def title(self, section: Section) -> str:
        return f"{section.name} · {settings.NEWSDESK_SITE_NAME}"

    def description(self, section: Section) -> str:
        return f"Latest {section.name} stories from {settings.NEWSDESK_SITE_NAME}"

    def link(self, section: Section) -> str:
        return absolute(self.request, section.get_absolute_url())

    def items(self, section: Section):
        # One entry per cluster, as on the section's page and the site's feed.
        return with_feed_relations(
            one_per_cluster(_published().filter(sections=section))[: feed_size()]
        )


class TagFeed(StoryFeed):
    def get_object(self, request, slug: str) -> Tag:
        return Tag.objects.get(slug=slug)

    def title(self, tag: Tag) -> str:
        return f"{tag.name} · {settings.NEWSDESK_SITE_NAME}"

    def description(self, tag: Tag) -> str:
        return f"Latest stories tagged {tag.name} from {settings.NEWSDESK_SITE_NAME}"

    def link(self, tag: Tag) -> str:
        return absolute(self.request, tag.get_absolute_url())

    def items(self, tag: Tag):
        # One entry per cluster, as on the tag's page and the site's feed.
        return with_feed_relations(one_per_cluster(_published().filter(tags=tag))[: feed_size()])


class AuthorFeed(StoryFeed):
    def get_object(self, request, slug: str) -> Author:
        return Author.objects.get(slug=slug)

    def title(self, author: Author) -> str:
        return f"{author.name} · {settings.NEWSDESK_SITE_NAME}"

    def description(self, author: Author) -> str:
        return f"Latest stories by {author.name} from {settings.NEWSDESK_SITE_NAME}"

    def link(self, author: Author) -> str:
        return absolute(self.request, author.get_absolute_url())

    def items(self, author: Author):
        return with_feed_relations(_published().filter(authors=author)[: feed_size()])


class EditionFeed(StoryFeed):
    def get_object(self, request, day: str, period: str) -> Edition:
        try:
            when, period = Edition.parse_key(day, period)
        except ValueError as exc:
            raise Http404(str(exc)) from exc
        return Edition.objects.get(date=when, period=period)

    def title(self, edition: Edition) -> str:
        return f"{edition} · {settings.NEWSDESK_SITE_NAME}"

    def description(self, edition: Edition) -> str:
        return f"The {edition} of {settings.NEWSDESK_SITE_NAME}, in running order"

    def link(self, edition: Edition) -> str:
        return absolute(self.request, edition.get_absolute_url())

    def items(self, edition: Edition):
        return with_feed_relations(edition.running_order())  # the editors' order


def feed_view(feed_class: type[StoryFeed], fmt: str):
    """A view serving ``feed_class`` in format ``fmt`` (a fresh feed object per request)."""
    chosen = FORMATS[fmt]

    def view(request, **kwargs):
        return feed_class(request, chosen)(request, **kwargs)

    view.__name__ = f"{feed_class.__name__.lower()}_{fmt}"
    return view


def feed_links(
    request,
    section: Section | None = None,
    edition: Edition | None = None,
    tag: Tag | None = None,
    author: Author | None = None,
) -> list[dict]:
    """Autodiscovery links for a page: its own feeds (section, tag, author or edition), then
    the site's."""
    links = []
    if author is not None:
        links += [
            _link(
                request,
                f,
                f"{author.name} · {settings.NEWSDESK_SITE_NAME} ({f.label})",
                "distribution:author-" + f.name,
                {"slug": author.slug},
            )
            for f in FORMATS.values()
        ]
    if tag is not None:
        links += [
            _link(
                request,
                f,
                f"{tag.name} · {settings.NEWSDESK_SITE_NAME} ({f.label})",
                "distribution:tag-" + f.name,
                {"slug": tag.slug},
            )
            for f in FORMATS.values()
        ]
    if section is not None:
        links += [
            _link(
                request,
                f,
                f"{section.name} · {settings.NEWSDESK_SITE_NAME} ({f.label})",
                "distribution:section-" + f.name,
                {"slug": section.slug},
            )
            for f in FORMATS.values()
        ]
    if edition is not None:
        links += [
            _link(
                request,
                f,
                f"{edition} · {settings.NEWSDESK_SITE_NAME} ({f.label})",
                "distribution:edition-" + f.name,
                {"day": edition.date.isoformat(), "period": edition.period},
            )
            for f in FORMATS.values()
        ]
    links += [
        _link(
            request,
            f,
            f"{settings.NEWSDESK_SITE_NAME} ({f.label})",
            "distribution:site-" + f.name,
            {},
        )
        for f in FORMATS.values()
    ]
    return links


def _link(request, fmt: Format, title: str, name: str, kwargs: dict) -> dict:
    return {
        "type": fmt.mime_type,
        "title": title,
        "href": absolute(request, reverse(name, kwargs=kwargs)),
    }
