"""Periodic tasks run by ``newsdesk worker`` (Huey): publish scheduled stories when due."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from newsdesk.site.desk.services import publish_due


@db_periodic_task(crontab(minute="*"))
def publish_scheduled_stories() -> int:
    """Each minute: publish the scheduled stories whose time has come."""
    return len(publish_due())
