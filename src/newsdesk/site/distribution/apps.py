from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "newsdesk.site.distribution"
    label = "distribution"
