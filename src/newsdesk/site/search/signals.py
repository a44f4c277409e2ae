"""Keep the search index in step: a story's document follows every save and delete.

Stories and their Quick Looks bullets saved one by one reindex here. Inside
``index.deferred()`` (ingest, the admin's change form, regenerating bullets, restoring a
revision) a change is only noted, and the story is reindexed once when the block ends.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save


def _from_story_delete(origin) -> bool:
    """A bullet deleted because its story is: the story's document goes with it."""
    from newsdesk.site.stories.models import Story

    return isinstance(origin, Story) or (isinstance(origin, QuerySet) and origin.model is Story)


def story_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    from newsdesk.site.search.index import note, reindex

    if note(instance.pk):
        return
    if raw:  # loaddata: the instance is only a row; read the story back from the database
        reindex(instance.pk)
    else:
        reindex(instance, created=created)


def story_deleted(sender, instance, **kwargs) -> None:
    from newsdesk.site.search.index import note, remove

    if not note(instance.pk):  # else reindexed at the block's end: gone, so no document
        remove(instance.pk)


def bullet_changed(sender, instance, raw=False, **kwargs) -> None:
    from newsdesk.site.search.index import note, reindex

    if _from_story_delete(kwargs.get("origin")):
        return
    if not note(instance.story_id):
        reindex(instance.story_id)


def connect() -> None:
    from newsdesk.site.stories.models import QuickLookBullet, Story

    post_save.connect(story_saved, sender=Story, dispatch_uid="newsdesk-search-story-save")
    post_delete.connect(story_deleted, sender=Story, dispatch_uid="newsdesk-search-story-delete")
    post_save.connect(
        bullet_changed, sender=QuickLookBullet, dispatch_uid="newsdesk-search-bullet-save"
    )
    post_delete.connect(
        bullet_changed, sender=QuickLookBullet, dispatch_uid="newsdesk-search-bullet-delete"
    )
