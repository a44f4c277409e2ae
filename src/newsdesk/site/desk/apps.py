from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "newsdesk.site.desk"
    label = "desk"
