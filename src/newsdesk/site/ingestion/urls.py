"""URLs of the ingestion app, namespaced ``ingestion:``."""

from django.urls import path  # noqa: F401

app_name = "ingestion"
urlpatterns: list = []
