"""Section, Tag, Author, Story, Photo, Caption, QuickLookBullet and Edition: what the site
stores."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from newsdesk.site.stories.body import Body

# Saves this soon after a story was stored or published (the publishing itself, a fix of a
# typo on the desk) do not make it "updated" for readers.
EDIT_GRACE = datetime.timedelta(minutes=10)


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    order = models.PositiveIntegerField(default=100)
    in_menu = models.BooleanField("shown in menu", default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stories:section", args=[self.slug])


class Tag(models.Model):
    """Anything a source calls a category, keyword or topic: many per story, never in the menu.

    Sections are the editors' few desks; ingest never creates one, it makes tags.
    """

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stories:tag", args=[self.slug])


class Author(models.Model):
    """A person who writes for the newsroom: a profile, a page and a feed.

    A story links its authors when its byline names them (``stories.bylines``); wire
    bylines no author matches ("Associated Press") stay plain text on the story.
    """

    name = models.CharField(max_length=200, help_text="As the byline writes it.")
    slug = models.SlugField(max_length=100, unique=True)
    bio = models.TextField("short bio", blank=True, max_length=1000)
    # An address until the photo library can hold the picture itself.
    photo_url = models.URLField("photo", max_length=1000, blank=True)
    links = models.TextField(
        blank=True, help_text="Web addresses, one a line: their site, social profiles."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff account of this author, if they have one.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stories:author", args=[self.slug])

    def link_list(self) -> list[str]:
        """The profile's web addresses (http and https only), in the editor's order."""
        from newsdesk.site.weburls import is_web_url

        return [line.strip() for line in self.links.splitlines() if is_web_url(line.strip())]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from newsdesk.site.weburls import is_web_url

        bad = [line.strip() for line in self.links.splitlines() if line.strip()]
        bad = [line for line in bad if not is_web_url(line)]
        if bad:
            raise ValidationError({"links": f"Not an http(s) address: {bad[0][:100]!r}"})


class Edition(models.Model):
    MORNING, EVENING = "morning", "evening"
    PERIODS = [(MORNING, "Morning Edition"), (EVENING, "Evening Edition")]

    date = models.DateField()
    period = models.CharField(max_length=7, choices=PERIODS)

    class Meta:
        ordering = ["-date", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["date", "period"], name="one_edition_per_half_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_period_display()}, {self.date:%B %-d, %Y}"

    def get_absolute_url(self) -> str:
        return reverse("stories:edition", args=[self.date.isoformat(), self.period])

    @property
    def name(self) -> str:
        return self.get_period_display()

    def running_order(self) -> list[Story]:
        """The edition's published stories in the editors' order (else by publish time).

        Two queries: the entries with their stories, and the fallback only when none.
        """
        entries = (
            EditionEntry.objects.filter(edition=self, story__in=Story.objects.published())
            .select_related("story__edition")
            .order_by("order", "id")
        )
        ordered = [e.story for e in entries]
        if ordered or self.entries.exists():
            return ordered
        return list(
            Story.objects.published()
            .filter(edition=self)
            .select_related("edition")
            .order_by("published_at", "id")
        )

    def _half_day(self) -> models.Q:
        """Published between local midnight and noon (morning) or noon and midnight (evening)."""
        from datetime import datetime, time, timedelta

        start = timezone.make_aware(
            datetime.combine(self.date, time(0 if self.period == self.MORNING else 12))
        )
        return models.Q(published_at__gte=start, published_at__lt=start + timedelta(hours=12))

    def prefill(self) -> int:
        """Fill an empty running order with the half-day's published stories; returns how many."""
        if self.entries.exists():
            return 0
        stories = (
            Story.objects.published()
            .filter(models.Q(edition=self) | self._half_day())
            .order_by("published_at", "id")
        )
        EditionEntry.objects.bulk_create(
            EditionEntry(edition=self, story=s, order=(i + 1) * 10) for i, s in enumerate(stories)
        )
        return self.entries.count()

    @staticmethod
    def parse_key(day: str, period: str) -> tuple[datetime.date, str]:
        """The (date, period) an edition's URL or command line names; ValueError if neither fits."""
        try:
            when = datetime.date.fromisoformat(day)
        except ValueError as exc:
            raise ValueError(f"{day!r} is not a date (YYYY-MM-DD)") from exc
        if period not in dict(Edition.PERIODS):
            raise ValueError(f"{period!r} is not an edition: use morning or evening")
        return when, period

    @staticmethod
    def period_of(moment) -> str:
        """Morning before local noon, evening after."""
        return Edition.MORNING if timezone.localtime(moment).hour < 12 else Edition.EVENING


class PublishedQuerySet(models.QuerySet):
    def published(self) -> PublishedQuerySet:
        return self.filter(status=Story.PUBLISHED, published_at__lte=timezone.now())


class Story(models.Model):
    DRAFT, REVIEW, SCHEDULED, PUBLISHED, UNPUBLISHED = (
        "draft",
        "review",
        "scheduled",
        "published",
        "unpublished",
    )
    STATUSES = [
        (DRAFT, "Draft"),
        (REVIEW, "In review"),
        (SCHEDULED, "Scheduled"),
        (PUBLISHED, "Published"),
        (UNPUBLISHED, "Unpublished"),
    ]

    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True)
    site_name = models.CharField(max_length=100, blank=True)
    dateline = models.CharField(max_length=100, blank=True)
    author = models.CharField(max_length=200, blank=True)
    edition = models.ForeignKey(
        Edition, null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=11, choices=STATUSES, default=DRAFT)
    # Page roles a source's labels name ("Top Story", "Breaking", "Featured"): flags, not sections.
    is_top_story = models.BooleanField("top story", default=False)
    is_breaking = models.BooleanField("breaking", default=False)
    is_featured = models.BooleanField("featured", default=False)
    quick_looks_title = models.CharField(max_length=300, blank=True)
    deep_look_title = models.CharField(max_length=300, blank=True)
    deep_look_dateline = models.CharField(max_length=100, blank=True)
    blocks = models.JSONField("body blocks", default=list, blank=True)
    source_url = models.URLField(max_length=1000, blank=True)
    attribution = models.TextField(
        blank=True, help_text="Credit shown under the story (licence terms)."
    )
    sections = models.ManyToManyField(Section, through="StorySection", related_name="stories")
    tags = models.ManyToManyField(Tag, blank=True, related_name="stories")
    authors = models.ManyToManyField(
        Author, through="StoryAuthor", blank=True, related_name="stories"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        help_text="The writer who owns the story.",
    )

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "stories"
        permissions = [("publish_story", "Can schedule, publish and unpublish stories")]
        indexes = [models.Index(fields=["status", "published_at"], name="story_status_published")]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("stories:detail", args=[self.slug])

    def body_blocks(self) -> Body:
        """The Deep Look body, read from ``blocks`` (see ``stories.body``)."""
        return Body.from_json(self.blocks)

    def body_text(self) -> str:
        """The Deep Look body as plain text, one block a paragraph."""
        return self.body_blocks().text()

    @property
    def edition_name(self) -> str:
        return self.edition.name if self.edition_id else ""

    @property
    def edited_at(self) -> datetime.datetime | None:
        """When the story was last changed, if that was an edit after it was stored and
        published (the page's "Updated" time); None for a story untouched since."""
        if not (self.updated_at and self.published_at and self.created_at):
            return None
        settled = max(self.created_at, self.published_at) + EDIT_GRACE
        return self.updated_at if self.updated_at > settled else None


class StorySection(models.Model):
    """A story's place in a section; order 0 is its first (main) section."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE)
    section = models.ForeignKey(Section, on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["story", "section"], name="story_in_section_once")
        ]

    def __str__(self) -> str:
        return f"{self.story} in {self.section}"


class StoryAuthor(models.Model):
    """An author's place on a story's byline; order 0 is the first name."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["story", "author"], name="author_on_story_once")
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.story}"


class Photo(models.Model):
    """A photo the site stores (Django's storage API), with its words and its renditions.

    The library's one copy: a story shows it through a Caption, and many stories may.
    ``renditions`` lists the resized copies made when it was stored (``stories.photos``):
    ``{"width", "height", "webp", "jpeg"}`` with storage names, narrowest first.
    """

    image = models.ImageField(
        upload_to="photos/%Y/%m/",
        width_field="width",
        height_field="height",
        help_text="JPEG, PNG, WebP or GIF; sized copies are made on save.",
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    caption = models.TextField(blank=True, help_text="What the photo shows, as readers see it.")
    credit = models.CharField(max_length=300, blank=True, help_text="e.g. Photo: Jane Doe / AP")
    licence = models.CharField(max_length=200, blank=True, help_text="e.g. CC BY 2.0")
    licence_url = models.URLField("licence link", max_length=500, blank=True)
    alt_text = models.CharField(
        max_length=300, blank=True, help_text="For readers who cannot see it; empty: the caption."
    )
    source_url = models.URLField(
        max_length=1000, blank=True, help_text="Where it was fetched from, if it was."
    )
    renditions = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["source_url"], name="photo_source_url")]

    def __str__(self) -> str:
        return (self.caption or self.image.name)[:80]

    def _url(self, name: str) -> str:
        return self.image.storage.url(name)

    def _srcset(self, kind: str) -> str:
        return ", ".join(f"{self._url(r[kind])} {r['width']}w" for r in self.renditions)

    @property
    def srcset_webp(self) -> str:
        return self._srcset("webp")

    @property
    def srcset_jpeg(self) -> str:
        return self._srcset("jpeg")

    @property
    def largest(self) -> dict:
        """The widest rendition (else the original): its width, height and JPEG's name."""
        if self.renditions:
            return self.renditions[-1]
        return {"width": self.width, "height": self.height, "jpeg": self.image.name}

    @property
    def portrait(self) -> bool:
        """Taller than wide, as shown (the renditions are upright; the original may not be)."""
        big = self.largest
        return big["height"] > big["width"]

    @property
    def src(self) -> str:
        """The <img src> for browsers without srcset: the widest rendition up to 960 px."""
        fits = [r for r in self.renditions if r["width"] <= 960]
        if fits:
            return self._url(fits[-1]["jpeg"])
        return self._url(self.largest["jpeg"])

    @property
    def share_url(self) -> str:
        """The photo for feeds, link previews and mail: its widest JPEG rendition."""
        return self._url(self.largest["jpeg"])

    @property
    def licence_label(self) -> str:
        """The licence as its link's text: the licence's name, unless the credit names it."""
        if self.licence and self.licence.lower() not in self.credit.lower():
            return self.licence
        return "licence" if self.licence_url else ""


class Caption(models.Model):
    """A story's photo in its place: ``order`` among the story's photos, and the words shown.

    ``photo`` is the stored image (None: a caption copied from the source without its
    image, or one whose image could not be fetched); ``text`` and ``credit`` empty mean
    the photo's own. ``image_url`` is where the source had the image: it is fetched from
    there and stored, never shown from there.
    """

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="captions")
    order = models.PositiveSmallIntegerField(default=0)
    photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="captions"
    )
    text = models.TextField(blank=True, help_text="Empty: the photo's own caption.")
    credit = models.CharField(max_length=300, blank=True)
    image_url = models.URLField(max_length=1000, blank=True)
    alt_text = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "photo"

    def __str__(self) -> str:
        return self.shown_text[:80] or f"photo {self.order}"

    # Each reads self.photo: a query unless it was loaded with the caption (select_related).
    @property
    def shown_text(self) -> str:
        return self.text or (self.photo.caption if self.photo_id else "")

    @property
    def shown_credit(self) -> str:
        return self.credit or (self.photo.credit if self.photo_id else "")

    @property
    def alt(self) -> str:
        own = self.photo.alt_text if self.photo_id else ""
        return self.alt_text or own or self.shown_text


class QuickLookBullet(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="bullets")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)
    source_sentences = models.JSONField(default=list, blank=True)
    locked = models.BooleanField(default=False, help_text="Kept when the bullets are regenerated.")
    # The source sentence when the machine cut words from it to write this bullet; empty for
    # a sentence taken whole or a bullet an editor wrote. The desk shows what was cut.
    original = models.TextField(
        blank=True, help_text="The sentence the machine compressed into this bullet, if any."
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def compressed(self) -> bool:
        return bool(self.original)


class EditionEntry(models.Model):
    """A story's place in an edition's running order (the edition page and newsletter)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="entries")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="edition_entries")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "edition entries"
        constraints = [
            models.UniqueConstraint(fields=["edition", "story"], name="story_in_edition_once")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.story}"
