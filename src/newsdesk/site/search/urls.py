"""URLs of the search app, namespaced ``search:``."""

from django.urls import path  # noqa: F401

app_name = "search"
urlpatterns: list = []
