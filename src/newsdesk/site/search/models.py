"""The search document of a published story: the text its full-text index is built from.

One row per published story, written by ``search.index.reindex``. The database keeps its
own index in step with these rows: on SQLite an FTS5 table over them (external content,
kept by triggers), on PostgreSQL a generated, weighted ``tsvector`` column with a GIN index
(both created in this app's migration, see ``search.backends``).
"""

from django.db import models

from newsdesk.site.stories.models import Story


class StoryDocument(models.Model):
    story = models.OneToOneField(
        Story, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    headline = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    bullets = models.TextField(blank=True)
    body = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.headline
