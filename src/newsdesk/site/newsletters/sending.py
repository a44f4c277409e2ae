"""Sending an edition to its period's subscribers, at most once per address.

One ``Mailing`` per edition holds one ``Delivery`` row per recipient, made in the same
transaction as the mailing. A sender (a worker thread, or ``newsdesk edition --send``) then:

1. **claims** a batch of queued rows in a transaction (``claimed``, its claim id, the time);
2. per row, marks it ``sending`` (only if still its own claim), hands the message to the SMTP
   server, and marks it ``sent`` when the server answered 250 — or ``failed`` with the reason
   when the server refused it (a 4xx answer goes back to the queue until MAX_ATTEMPTS).

A sender that stops (crash, SIGKILL, power) leaves its rows ``claimed`` or ``sending``. After
NEWSDESK_NEWSLETTER_LEASE seconds the next sender takes ``claimed`` rows back: they were never
handed to SMTP, so sending them is safe. A row left ``sending`` is the crash window between
the server's acceptance and our "sent": the message may or may not have arrived, and nothing
can tell. newsdesk chooses **at most once**: such a row is marked ``failed`` with the reason
UNCERTAIN and is not resent by itself (an editor can requeue it from the admin after asking
the reader). So a crash never makes an address get an edition twice; it can make at most one
address per stopped sender miss it, named in the send log. The same holds when the SMTP
connection drops mid-message without an answer.
"""

from __future__ import annotations

import os
import secrets
import smtplib
import socket
import time as systime
from dataclasses import dataclass
from datetime import time, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from newsdesk.errors import InputError
from newsdesk.site.newsletters.mail import EditionMail, base_url
from newsdesk.site.newsletters.models import Delivery, Mailing, Subscriber
from newsdesk.site.stories.models import Edition

MAX_ATTEMPTS = 3  # temporary (4xx) refusals of one message before it is marked failed
UNCERTAIN = (
    "the sender stopped while the SMTP server was taking this message: it may have arrived, "
    "so it is not sent again (requeue it from the admin to send it anyway)"
)
UNSUBSCRIBED = "unsubscribed before it was sent"


@dataclass
class Report:
    """What one sender did: messages sent and failed, and whether the mailing is done."""

    sent: int = 0
    failed: int = 0
    finished: bool = False  # every row sent or failed


def prepare(edition: Edition) -> Mailing:
    """The edition's mailing, made once with a row for each confirmed subscriber of its period.

    Idempotent: a second call (another worker, a restart) returns the same mailing. Readers
    confirmed after this moment are not added to an edition already being sent.
    """
    existing = Mailing.objects.filter(edition=edition).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            mailing = Mailing.objects.create(
                edition=edition, subject=f"{settings.NEWSDESK_SITE_NAME}: {edition}"
            )
            ids = Subscriber.objects.filter(**{edition.period: True}).values_list("id", flat=True)
            Delivery.objects.bulk_create(
                (Delivery(mailing=mailing, subscriber_id=i) for i in ids.iterator()),
                batch_size=1000,
            )
    except IntegrityError:  # another sender made it at the same moment
        return Mailing.objects.get(edition=edition)
    return mailing


def new_claim() -> str:
    return f"{socket.gethostname()[:16]}:{os.getpid()}:{secrets.token_hex(4)}"


def claim(mailing: Mailing, claim_id: str, size: int) -> list[tuple[int, int, str, bool]]:
    """Take up to ``size`` queued rows for ``claim_id``: (delivery, subscriber, email, still
    subscribed). First takes back a stopped sender's rows (see the module's docstring)."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NEWSDESK_NEWSLETTER_LEASE)
    rows = Delivery.objects.filter(mailing=mailing)
    with transaction.atomic():
        rows.filter(status=Delivery.CLAIMED, claimed_at__lt=stale).update(
            status=Delivery.QUEUED, claim=""
        )
        rows.filter(status=Delivery.SENDING, claimed_at__lt=stale).update(
            status=Delivery.FAILED, error=UNCERTAIN
        )
        ids = list(
            rows.filter(status=Delivery.QUEUED)
            .order_by("attempts", "id")  # a row refused for now goes behind the others
            .values_list("id", flat=True)[:size]
        )
        # The status in the WHERE: a sender that read the same ids on PostgreSQL updates
        # none of the rows this one took (READ COMMITTED re-checks it after the row lock).
        rows.filter(id__in=ids, status=Delivery.QUEUED).update(
            status=Delivery.CLAIMED, claim=claim_id, claimed_at=now
        )
    period = f"subscriber__{mailing.edition.period}"
    return list(
        rows.filter(id__in=ids, claim=claim_id, status=Delivery.CLAIMED)
        .order_by("id")
        .values_list("id", "subscriber_id", "subscriber__email", period)
    )


def _mark(delivery_id: int, claim_id: str, **fields) -> int:
    return Delivery.objects.filter(id=delivery_id, claim=claim_id).update(**fields)


def _refused(delivery_id: int, claim_id: str, exc: smtplib.SMTPResponseException) -> str:
    """The server answered no: safe to retry a 4xx (it did not take the message)."""
    reason = f"SMTP {exc.smtp_code}: {exc.smtp_error.decode(errors='replace')[:500]}"
    if 400 <= exc.smtp_code < 500:
        retry = Delivery.objects.filter(id=delivery_id, attempts__lt=MAX_ATTEMPTS)
        if retry.filter(claim=claim_id).update(status=Delivery.QUEUED, claim="", error=reason):
            return Delivery.QUEUED
    _mark(delivery_id, claim_id, status=Delivery.FAILED, error=reason)
    return Delivery.FAILED


def _answer(exc: smtplib.SMTPRecipientsRefused) -> smtplib.SMTPResponseException:
    code, text = next(iter(exc.recipients.values()))
    return smtplib.SMTPResponseException(code, text)


def _alive(connection) -> bool:
    """The SMTP session still answers (a NOOP): a message is never started on a dead one, so
    a disconnect during a message really is the crash window, not an idle timeout."""
    try:
        return connection.connection is not None and connection.connection.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def send(mailing: Mailing, *, claim_id: str | None = None, batch: int | None = None) -> Report:
    """Send the mailing's queued rows until none is left; returns what this sender did.

    Raises InputError without NEWSDESK_BASE_URL, and the SMTP error when the server cannot be
    reached at all (the claimed rows go back to the queue; the worker's task retries later).
    """
    claim_id = claim_id or new_claim()
    size = batch or settings.NEWSDESK_NEWSLETTER_BATCH
    mail = EditionMail(mailing.edition, base_url())
    report = Report()
    connection = get_connection(fail_silently=False)
    open_rows = mailing.deliveries.filter(
        status__in=[Delivery.QUEUED, Delivery.CLAIMED, Delivery.SENDING]
    )
    try:
        while True:
            rows = claim(mailing, claim_id, size)
            if not rows:
                if not open_rows.exists():
                    break
                # Rows held by another sender, live or stopped: wait for them to be sent or
                # for their lease to run out (then claim() takes them back).
                systime.sleep(min(5.0, settings.NEWSDESK_NEWSLETTER_LEASE / 4))
                continue
            if not _alive(connection):
                connection.close()
                try:
                    connection.open()
                except (smtplib.SMTPException, OSError):
                    Delivery.objects.filter(claim=claim_id, status=Delivery.CLAIMED).update(
                        status=Delivery.QUEUED, claim=""
                    )
                    raise
            for delivery_id, subscriber_id, email, subscribed in rows:
                if not subscribed:  # recorded, not counted as a failure
                    _mark(delivery_id, claim_id, status=Delivery.FAILED, error=UNSUBSCRIBED)
                    continue
                message = mail.to(email, subscriber_id, connection=connection)
                if not _mark(
                    delivery_id,
                    claim_id,
                    status=Delivery.SENDING,
                    claimed_at=timezone.now(),
                    attempts=F("attempts") + 1,
                ):
                    continue  # taken back by another sender after our lease: theirs now
                try:
                    connection.send_messages([message])
                except smtplib.SMTPRecipientsRefused as exc:
                    report.failed += (
                        _refused(delivery_id, claim_id, _answer(exc)) == Delivery.FAILED
                    )
                except smtplib.SMTPResponseException as exc:
                    report.failed += _refused(delivery_id, claim_id, exc) == Delivery.FAILED
                except (smtplib.SMTPException, OSError) as exc:
                    # No answer: the server may have taken it. At most once (see above).
                    _mark(
                        delivery_id, claim_id, status=Delivery.FAILED, error=f"{UNCERTAIN} ({exc})"
                    )
                    report.failed += 1
                    connection.close()
                    break  # the rest of the batch goes back to the queue after the lease
                else:
                    _mark(
                        delivery_id,
                        claim_id,
                        status=Delivery.SENT,
                        sent_at=timezone.now(),
                        error="",
                    )
                    report.sent += 1
            # Rows of this batch not started (a broken connection): back to the queue now.
            Delivery.objects.filter(claim=claim_id, status=Delivery.CLAIMED).update(
                status=Delivery.QUEUED, claim=""
            )
    finally:
        connection.close()
    Mailing.objects.filter(pk=mailing.pk, finished_at=None).update(finished_at=timezone.now())
    report.finished = True
    return report


def send_test_copy(edition: Edition, address: str) -> None:
    """One copy of the edition to ``address`` (no unsubscribe link, nothing recorded)."""
    from newsdesk.site.newsletters.tokens import normalize
    from newsdesk.site.ratings.readers import Refused

    try:
        email = normalize(address)
    except Refused as exc:
        raise InputError(str(exc)) from exc
    EditionMail(edition, base_url()).to(email, None).send(fail_silently=False)


def _at(value: str, name: str) -> time | None:
    if value.strip().lower() in {"", "off"}:
        return None
    try:
        return time.fromisoformat(value.strip())
    except ValueError as exc:
        raise InputError(f"{name}={value!r} is not a time of day like 07:00") from exc


def due_editions(now=None) -> list[Edition]:
    """Today's editions whose send time (NEWSDESK_NEWSLETTER_MORNING_AT / _EVENING_AT, local
    time) has come, that have published stories, subscribers and no mailing yet. Only
    today's: a worker down for a day does not send yesterday's news late."""
    local = timezone.localtime(now or timezone.now())
    due = []
    for period, name in (
        (Edition.MORNING, "NEWSDESK_NEWSLETTER_MORNING_AT"),
        (Edition.EVENING, "NEWSDESK_NEWSLETTER_EVENING_AT"),
    ):
        at = _at(getattr(settings, name), name)
        if at is None or local.time() < at:
            continue
        edition = (
            Edition.objects.filter(date=local.date(), period=period, mailing__isnull=True)
            .order_by()
            .first()
        )
        readers = Subscriber.objects.filter(**{period: True})
        if edition is not None and readers.exists() and edition.running_order():
            due.append(edition)
    return due


def unfinished() -> list[Mailing]:
    """Mailings with rows nobody is sending: queued (the server was away), or held by a
    sender whose lease ran out (it stopped). A mailing a live sender is on is left to it."""
    stale = timezone.now() - timedelta(seconds=settings.NEWSDESK_NEWSLETTER_LEASE)
    waiting = Delivery.objects.filter(mailing=OuterRef("pk")).filter(
        Q(status=Delivery.QUEUED)
        | Q(status__in=[Delivery.CLAIMED, Delivery.SENDING], claimed_at__lt=stale)
    )
    return list(
        Mailing.objects.filter(finished_at=None).filter(Exists(waiting)).select_related("edition")
    )
