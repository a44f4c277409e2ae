"""URLs of the ratings app, namespaced ``ratings:``."""

from django.urls import path

from newsdesk.site.ratings import views

app_name = "ratings"
urlpatterns = [
    path("story/<slug:slug>/rate/", views.vote, name="vote"),
    path("story/<slug:slug>/rating.json", views.numbers, name="numbers"),
]
