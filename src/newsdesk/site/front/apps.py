"""App config for front: the reader pages, composed from stories, ratings, search and
distribution. No models of its own."""

from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "newsdesk.site.front"
    label = "front"
    verbose_name = "Reader pages"
