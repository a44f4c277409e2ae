"""URL routes of the site."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("newsdesk.site.ratings.urls")),
    path("", include("newsdesk.site.distribution.urls")),
    path("", include("newsdesk.site.search.urls")),
    path("", include("newsdesk.site.newsletters.urls")),
    path("api/", include("newsdesk.site.api.urls")),
    path("desk/", include("newsdesk.site.desk.urls")),
    path("", include("newsdesk.site.ingestion.urls")),
    path("", include("newsdesk.site.clusters.urls")),
    path("", include("newsdesk.site.front.urls")),
]
