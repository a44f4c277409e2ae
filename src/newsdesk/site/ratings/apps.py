"""ratings app."""

from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "newsdesk.site.ratings"
    label = "ratings"
    verbose_name = "Reader ratings"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from newsdesk.site.ratings.models import Vote

        post_delete.connect(_vote_deleted, sender=Vote, dispatch_uid="newsdesk-ratings-recount")


def _vote_deleted(sender, instance, **kwargs) -> None:
    """An editor removed a vote: recount that story (no summary row is made for a story being
    deleted, whose votes go with it)."""
    from newsdesk.site.ratings.services import rebuild

    rebuild(instance.story_id, create=False)  # one aggregate query per deleted vote
