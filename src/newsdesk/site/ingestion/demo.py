"""The demo content: Wikinews stories and freely licensed photos shipped with the package,
loaded into an empty site."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources

from django.db import transaction
from django.utils.text import slugify

from newsdesk.article import Article, Block, DeepLook
from newsdesk.site.ingestion.store import ingest
from newsdesk.site.stories.models import Caption, Section, Story
from newsdesk.site.stories.photos import store_photo

DEMO_FILE = "wikinews.jsonl"
PHOTOS_MANIFEST = "manifest.jsonl"  # in demo/photos: file, story_headline, caption, credit, …


def demo_articles() -> list[tuple[Article, str]]:
    """Each demo story as an Article with its licence attribution."""
    text = resources.files("newsdesk.site").joinpath("demo", DEMO_FILE).read_text("utf-8")
    out = []
    for i, line in enumerate(text.splitlines()):
        row = json.loads(line)
        day = datetime.fromisoformat(row["date"])
        # Alternate morning and evening so both editions have stories.
        published = day.replace(hour=8 if i % 2 == 0 else 18, minute=i % 60, tzinfo=UTC)
        article = Article(
            headline=row["headline"],
            sections=(row["section"],),
            site="Wikinews",
            published=published,
            deep_look=DeepLook(blocks=tuple(Block(kind="paragraph", text=p) for p in row["body"])),
            source_url=row["source_url"],
        )
        out.append((article, row["attribution"]))
    return out


@transaction.atomic
def load_demo() -> int:
    """Load the demo into a site with no stories; return how many were loaded (0 if any exist)."""
    if Story.objects.exists():
        return 0
    # The demo desk's sections, in the order the demo names them: ingest only maps to them.
    articles = demo_articles()
    names = dict.fromkeys(name for article, _ in articles for name in article.sections)
    for order, name in enumerate(names, start=1):
        Section.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "order": order * 10}
        )
    stories = [ingest(article, attribution=credit)[0] for article, credit in articles]
    illustrated = load_demo_photos()
    # The front page leads with the newest story, with a photo when any story has one.
    latest = max(illustrated or stories, key=lambda s: s.published_at)
    Story.objects.filter(pk=latest.pk).update(is_top_story=True)
    return len(stories)


def load_demo_photos() -> list[Story]:
    """Store each demo photo in the photo library, with its caption, credit and licence as
    its manifest gives them, as the photo of the story it illustrates (none for a generic
    one); return the stories that got one."""
    folder = resources.files("newsdesk.site").joinpath("demo", "photos")
    by_headline = {s.headline: s for s in Story.objects.all()}
    illustrated = []
    for line in folder.joinpath(PHOTOS_MANIFEST).read_text("utf-8").splitlines():
        row = json.loads(line)
        photo = store_photo(
            folder.joinpath(row["file"]).read_bytes(),
            name=row["file"],
            caption=row["caption"],
            credit=row["credit"],
            licence=row["licence"],
            licence_url=row.get("licence_url") or "",
        )
        story = by_headline.get(row["story_headline"] or "")
        if story is not None:
            # The caption's text and credit stay the photo's own (empty here).
            Caption.objects.create(story=story, order=0, photo=photo)
            illustrated.append(story)
    return illustrated
