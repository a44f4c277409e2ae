"""URLs of the search app, namespaced ``search:``."""

from django.urls import path

from newsdesk.site.search import views

app_name = "search"
urlpatterns = [
    path("search/", views.results, name="results"),
]
