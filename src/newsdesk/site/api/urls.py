"""URLs of the api app, namespaced ``api:``: the django-ninja API (see ``api.api``)."""

from newsdesk.site.api.api import api

app_name = "api"
urlpatterns = api.urls[0]
