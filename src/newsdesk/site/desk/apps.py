from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "newsdesk.site.desk"
    label = "desk"

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib import admin
        from django.utils.functional import lazy

        # The admin is the newsroom's desk: it carries the site's name (read per request,
        # so a changed NEWSDESK_SITE_NAME shows without a restart of anything but settings).
        def name(suffix: str):
            return lazy(lambda: f"{settings.NEWSDESK_SITE_NAME}{suffix}", str)()

        admin.site.site_header = name(" desk")
        admin.site.site_title = name(" desk")
        admin.site.index_title = "The desk"
