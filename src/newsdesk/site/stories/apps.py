"""App config for stories."""

from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "newsdesk.site.stories"
    label = "stories"
    verbose_name = "Stories"

    def ready(self) -> None:
        from newsdesk.site import pagecache

        pagecache.connect()
