"""The trail every change to a story leaves: a revision (django-reversion) and an audit entry.

Every road that writes a story (admin, API, CLI ingest, feed polling, the worker, restore)
calls ``record`` after its change, so the revisions page and the audit log say who changed
what and how.
"""

from __future__ import annotations

import reversion

from newsdesk.site.desk.models import AuditEntry
from newsdesk.site.stories.models import Story


def record(
    story: Story, *, user, via: str, action: str, note: str = "", from_status: str = ""
) -> AuditEntry:
    """Keep a revision of ``story`` as it is now (with its bullets, captions and sections)
    and an audit entry naming ``user`` (None: the system) and ``via``; returns the entry."""
    with reversion.create_revision():
        reversion.add_to_revision(story)
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(f"{action} (via {via})"[:200])
    return AuditEntry.objects.create(
        story=story,
        headline=story.headline[:300],
        action=action[:20],
        from_status=from_status or story.status,
        to_status=story.status,
        user=user,
        via=via,
        note=note[:300],
    )


def may_see(user, story: Story) -> bool:
    """Published stories are everyone's; the rest are their writer's and the editors'."""
    from newsdesk.site.desk.services import can_publish

    if story.status == Story.PUBLISHED:
        return True
    return bool(user) and (can_publish(user) or story.created_by_id == user.pk)
