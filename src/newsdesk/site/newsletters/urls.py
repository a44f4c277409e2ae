"""Routes of newsletters: subscribe, confirm, unsubscribe."""

from django.urls import path

from newsdesk.site.newsletters import views

app_name = "newsletters"
urlpatterns = [
    path("newsletters/", views.subscribe_page, name="subscribe"),
    path("newsletters/subscribe/", views.subscribe, name="subscribe-post"),
    path("newsletters/confirm/<str:token>/", views.confirm, name="confirm"),
    path("newsletters/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
