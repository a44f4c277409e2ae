"""App config for stories."""

from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "newsdesk.site.stories"
    label = "stories"
    verbose_name = "Stories"

    def ready(self) -> None:
        from newsdesk.site import pagecache
        from newsdesk.site.stories import photos

        pagecache.connect()
        photos.connect()  # a photo's files leave storage with it
