from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "newsdesk.site.ratings"
    label = "ratings"
