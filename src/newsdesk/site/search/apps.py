from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "newsdesk.site.search"
    label = "search"
