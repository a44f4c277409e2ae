"""URLs of the desk app, namespaced ``desk:``."""

from django.urls import path  # noqa: F401

app_name = "desk"
urlpatterns: list = []
