"""The story workflow: draft → in review → scheduled → published → unpublished.

Every transition checks the acting user's rights, keeps a revision and writes the audit
log; ``publish_due`` is what the scheduler runs each minute.
"""

from __future__ import annotations

from datetime import datetime

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from newsdesk.site.desk.models import AuditEntry
from newsdesk.site.stories.models import Edition, EditionEntry, Story

PUBLISH_PERMISSION = "stories.publish_story"


def can_publish(user) -> bool:
    return bool(user and user.has_perm(PUBLISH_PERMISSION))


def can_edit(user, story: Story) -> bool:
    """Editors edit every story; a writer edits only their own, and only while it is a draft."""
    if can_publish(user) and user.has_perm("stories.change_story"):
        return True
    return bool(
        user
        and user.has_perm("stories.change_story")
        and story.created_by_id == user.pk
        and story.status == Story.DRAFT
    )


def _move(story: Story, to: str, action: str, user, note: str = "", *, via: str = "admin") -> Story:
    before = story.status
    story.status = to
    with reversion.create_revision():
        story.save()
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(f"{action}: {before} → {to}")
    AuditEntry.objects.create(
        story=story,
        headline=story.headline[:300],
        action=action,
        from_status=before,
        to_status=to,
        user=user,
        note=note[:300],
        via=via,
    )
    return story


def _file_in_edition(story: Story) -> None:
    """Put the story in the edition of its publish time (the URL, its slug, never changes)."""
    edition, _ = Edition.objects.get_or_create(
        date=timezone.localdate(story.published_at), period=Edition.period_of(story.published_at)
    )
    story.edition = edition


@transaction.atomic
def submit(story: Story, user) -> Story:
    """A writer hands a draft to the editors. Raises PermissionDenied or ValidationError."""
    if not can_edit(user, story):
        raise PermissionDenied(f"{user} may not submit “{story}”")
    if story.status not in (Story.DRAFT, Story.UNPUBLISHED):
        raise ValidationError(
            f"only a draft can be submitted; “{story}” is {story.get_status_display()}"
        )
    return _move(story, Story.REVIEW, "submitted", user)


@transaction.atomic
def publish(
    story: Story, user, *, at: datetime | None = None, now: datetime | None = None
) -> Story:
    """Publish now, or schedule for ``at`` when it is in the future. Editors only."""
    if not can_publish(user):
        raise PermissionDenied(f"{user} may not publish")
    if story.status == Story.PUBLISHED:
        raise ValidationError(f"“{story}” is already published")
    now = now or timezone.now()
    when = at or now
    story.published_at = when
    _file_in_edition(story)
    if when > now:
        return _move(story, Story.SCHEDULED, "scheduled", user, note=f"for {when.isoformat()}")
    return _move(story, Story.PUBLISHED, "published", user)


@transaction.atomic
def unpublish(story: Story, user) -> Story:
    """Take a published or scheduled story off the site. Editors only."""
    if not can_publish(user):
        raise PermissionDenied(f"{user} may not unpublish")
    if story.status not in (Story.PUBLISHED, Story.SCHEDULED):
        raise ValidationError(f"“{story}” is not published")
    EditionEntry.objects.filter(story=story).delete()
    return _move(story, Story.UNPUBLISHED, "unpublished", user)


@transaction.atomic
def send_back(story: Story, user) -> Story:
    """An editor returns a story in review to its writer as a draft."""
    if not can_publish(user):
        raise PermissionDenied(f"{user} may not send stories back")
    if story.status != Story.REVIEW:
        raise ValidationError(f"“{story}” is not in review")
    return _move(story, Story.DRAFT, "sent back", user)


def publish_due(now: datetime | None = None) -> list[Story]:
    """Publish every scheduled story whose time has come; returns them.

    Each story is saved one by one (not a bulk update) so the page cache and revisions
    see it; ``select_for_update(skip_locked)`` lets two workers run without doubling up.
    """
    now = now or timezone.now()
    done = []
    with transaction.atomic():
        due = Story.objects.select_for_update(skip_locked=True).filter(
            status=Story.SCHEDULED, published_at__lte=now
        )
        for story in due:
            done.append(
                _move(
                    story,
                    Story.PUBLISHED,
                    "published",
                    None,
                    note="at its scheduled time",
                    via="scheduler",
                )
            )
    return done
