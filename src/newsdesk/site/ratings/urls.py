"""URLs of the ratings app, namespaced ``ratings:``."""

from django.urls import path  # noqa: F401

app_name = "ratings"
urlpatterns: list = []
