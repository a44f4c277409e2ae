from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "newsdesk.site.search"
    label = "search"

    def ready(self) -> None:
        from newsdesk.site.search import signals

        signals.connect()
