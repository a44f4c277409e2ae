from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "newsdesk.site.api"
    label = "api"
