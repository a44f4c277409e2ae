from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "newsdesk.site.clusters"
    label = "clusters"
    verbose_name = "Clusters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from newsdesk.site.clusters import services
        from newsdesk.site.stories.models import Story

        post_save.connect(services.story_saved, sender=Story, dispatch_uid="newsdesk-clusters")
