"""URLs of the distribution app, namespaced ``distribution:``."""

from django.urls import path  # noqa: F401

app_name = "distribution"
urlpatterns: list = []
