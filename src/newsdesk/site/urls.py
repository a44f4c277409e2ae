"""URL routes of the site."""

import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from newsdesk.site.media import serve_media

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

if settings.NEWSDESK_SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    # Stored photos, when no web server in front serves MEDIA_ROOT (docs/deploy.md).
    prefix = re.escape(settings.MEDIA_URL.strip("/"))
    urlpatterns.insert(0, re_path(rf"^{prefix}/(?P<path>.+)$", serve_media, name="media"))
