"""Tasks of ``newsdesk worker`` (Huey): send each edition at its time, finish stopped sends."""

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from newsdesk.site.newsletters import sending
from newsdesk.site.newsletters.models import Mailing

log = logging.getLogger(__name__)


@db_task(retries=5, retry_delay=60)  # the SMTP server away: try again a minute later
def send_mailing(mailing_id: int) -> dict:
    """Send one mailing until every row is sent or failed (see sending.send)."""
    mailing = Mailing.objects.select_related("edition").get(pk=mailing_id)
    report = sending.send(mailing)
    log.info("mailing %s: %s sent, %s failed", mailing, report.sent, report.failed)
    return {"sent": report.sent, "failed": report.failed}


@db_periodic_task(crontab(minute="*"))
def send_due_editions() -> list[int]:
    """Each minute: start today's editions whose time has come, and go on with any mailing a
    stopped worker left unfinished. Two workers doing this at once share the rows."""
    if not settings.NEWSDESK_BASE_URL:  # mail needs absolute links: nothing starts without
        if sending.due_editions():
            log.warning("editions are due but not sent: set NEWSDESK_BASE_URL")
        return []
    started = [sending.prepare(edition).pk for edition in sending.due_editions()]
    for mailing in sending.unfinished():
        send_mailing(mailing.pk)
    return started


@HUEY.on_startup()
def _resume_on_start() -> None:
    # A restarted worker picks up where a stopped one left off now, not at the next minute.
    send_due_editions()
