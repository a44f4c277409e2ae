from django.apps import AppConfig


class IngestionConfig(AppConfig):
    name = "newsdesk.site.ingestion"
    label = "ingestion"
