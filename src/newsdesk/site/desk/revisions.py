"""Readable diffs between a story's revisions (django-reversion) and one-click restore."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from reversion.models import Version

from newsdesk.site.desk.models import AuditEntry
from newsdesk.site.search import index as search_index
from newsdesk.site.stories.body import Body
from newsdesk.site.stories.models import QuickLookBullet, Story

TEXT_FIELDS = (
    "headline",
    "summary",
    "dateline",
    "author",
    "quick_looks_title",
    "deep_look_title",
    "status",
)


@dataclass(frozen=True)
class Snapshot:
    """What one revision held: the story's fields, its body as text, its bullets in order."""

    fields: dict
    body: str
    bullets: list[str]


def snapshot(version: Version) -> Snapshot:
    """The story as ``version`` saved it, with the bullets of the same revision."""
    fields = version.field_dict
    bullet_type = ContentType.objects.get_for_model(QuickLookBullet)
    rows = [v.field_dict for v in version.revision.version_set.filter(content_type=bullet_type)]
    rows.sort(key=lambda r: (r.get("order", 0), r.get("id", 0)))
    lock = lambda r: " [locked]" if r.get("locked") else ""  # noqa: E731
    return Snapshot(
        fields={f: str(fields.get(f) or "") for f in TEXT_FIELDS},
        body=Body.from_json(fields.get("blocks")).text(),
        bullets=[f"{r.get('text', '')}{lock(r)}" for r in rows],
    )


def history(story: Story) -> list[Version]:
    """The story's versions, newest first (each with its revision's user and date)."""
    return list(Version.objects.get_for_object(story).select_related("revision__user"))


def diff(old: Snapshot | None, new: Snapshot) -> list[str]:
    """A unified diff of fields, body and bullets, as lines ('' old → new)."""
    old = old or Snapshot(fields=dict.fromkeys(TEXT_FIELDS, ""), body="", bullets=[])
    lines: list[str] = []
    for name in TEXT_FIELDS:
        if old.fields.get(name) != new.fields.get(name):
            lines += [f"@@ {name}", f"- {old.fields.get(name)}", f"+ {new.fields.get(name)}"]
    body = list(
        difflib.unified_diff(
            old.body.splitlines(), new.body.splitlines(), "body", "body", lineterm="", n=1
        )
    )
    lines += body[2:] and ["@@ body"] + [line for line in body[2:] if not line.startswith("@@")]
    bullets = list(difflib.unified_diff(old.bullets, new.bullets, lineterm="", n=0))
    lines += bullets[2:] and ["@@ bullets"] + [
        line for line in bullets[2:] if not line.startswith("@@")
    ]
    return lines


def timeline(story: Story) -> list[tuple[Version, list[str]]]:
    """Each version, newest first, with its diff against the one before it."""
    versions = history(story)
    snaps = [snapshot(v) for v in versions]
    return [
        (v, diff(snaps[i + 1] if i + 1 < len(snaps) else None, snaps[i]))
        for i, v in enumerate(versions)
    ]


WORKFLOW_FIELDS = ("status", "published_at", "edition_id", "slug", "created_by_id", "is_top_story")


@transaction.atomic
@search_index.deferred()  # one search document write, at the end
def restore(story: Story, version_id: int, user, *, via: str = "admin") -> Story:
    """Put the story's content back as ``version_id`` saved it (bullets too), as a new revision.

    Its workflow state, publish time and URL stay as they are now.
    Raises Version.DoesNotExist when the version is not one of this story's.
    """
    version = Version.objects.get_for_object(story).get(pk=version_id)
    when = version.revision.date_created
    # Content comes back; the workflow state and the URL stay (they change by transitions only).
    kept = {f: getattr(story, f) for f in WORKFLOW_FIELDS}
    with reversion.create_revision():
        version.revision.revert(delete=True)
        story.refresh_from_db()
        for name, value in kept.items():
            setattr(story, name, value)
        story.save()
        reversion.set_user(user)
        reversion.set_comment(f"restored the revision of {when:%Y-%m-%d %H:%M:%S}")
    AuditEntry.objects.create(
        story=story,
        headline=story.headline[:300],
        action="restored",
        from_status=story.status,
        to_status=story.status,
        user=user,
        via=via,
        note=f"the revision of {when:%Y-%m-%d %H:%M:%S}",
    )
    return story
