"""newsletters app."""

from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsdesk.site.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"
