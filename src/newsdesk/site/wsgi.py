"""WSGI entry point for production servers: Django behind the full-page cache."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.site.settings")
application = django_application = get_wsgi_application()
_database = settings.DATABASES["default"]
if _database["ENGINE"].endswith("sqlite3") and "memory" not in str(_database["NAME"]):
    from newsdesk.site import walcheckpoint

    walcheckpoint.start(_database["NAME"])  # the WAL is written back beside the requests
if settings.NEWSDESK_PAGE_CACHE:
    from newsdesk.site.pagecache import PageCache

    application = PageCache(django_application)
if settings.NEWSDESK_RATING_FAST_PATH:
    from newsdesk.site.ratings.fast import FastVotes

    application = FastVotes(application)  # anonymous readers' votes skip the full stack
