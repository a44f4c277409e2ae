"""What a save on the desk changed, in an editor's words: ``sections: US → World``.

The admin's own change message names inline rows by their ``str`` ("Changed section for
story section “StorySection object (433)”"); revisions and the audit log carry this one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from newsdesk.site.stories.models import Caption, QuickLookBullet, Story

LONG_FIELDS = {"summary", "attribution", "body"}  # said to be edited, not quoted
SHORT = 60  # characters of a value quoted in full


@dataclass(frozen=True)
class Before:
    """A story as stored before a save, with the names of its related rows."""

    story: Story
    sections: list[str]
    authors: list[str]
    tags: list[str]

    @classmethod
    def of(cls, pk: int) -> Before:
        story = Story.objects.select_related("edition").get(pk=pk)
        return cls(story, *_related(story))


def _related(story: Story) -> tuple[list[str], list[str], list[str]]:
    sections = list(
        story.storysection_set.order_by("order", "id").values_list("section__name", flat=True)
    )
    authors = list(
        story.storyauthor_set.order_by("order", "id").values_list("author__name", flat=True)
    )
    tags = sorted(story.tags.values_list("name", flat=True))
    return sections, authors, tags


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    text = str(value)
    return f"“{text}”" if len(text) <= SHORT else f"“{text[: SHORT - 1]}…”"


def _names(names: list[str]) -> str:
    return ", ".join(names) or "—"


def _rows(formset, what: str) -> str | None:
    counts = [
        (len(formset.changed_objects), "edited"),
        (len(formset.new_objects), "added"),
        (len(formset.deleted_objects), "deleted"),
    ]
    said = ", ".join(f"{n} {verb}" for n, verb in counts if n)
    return f"{what}: {said}" if said else None


def describe(before: Before, story: Story, form, formsets) -> str:
    """The save's changes, field by field, then sections, authors, tags, bullets and captions.

    ``story`` is the saved story (its inlines saved too); "no changes" when nothing differs.
    """
    parts = []
    for name in form.changed_data:
        if name in ("tags",):
            continue  # from the stored rows below
        label = form.fields[name].label or name
        label = str(label).lower()
        if name in LONG_FIELDS:
            parts.append(f"{label} edited")
            continue
        old, new = getattr(before.story, name, None), getattr(story, name, None)
        if old != new:
            parts.append(f"{label}: {_show(old)} → {_show(new)}")
    sections, authors, tags = _related(story)
    for label, old, new in (
        ("sections", before.sections, sections),
        ("authors", before.authors, authors),
        ("tags", before.tags, tags),
    ):
        if old != new:
            parts.append(f"{label}: {_names(old)} → {_names(new)}")
    for formset in formsets:
        if formset.model is QuickLookBullet and (said := _rows(formset, "bullets")):
            parts.append(said)
        elif formset.model is Caption and (said := _rows(formset, "captions")):
            parts.append(said)
    return "; ".join(parts) or "no changes"
