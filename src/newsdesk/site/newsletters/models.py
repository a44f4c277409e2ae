"""Subscribers (with their consent record), and each edition's mailing with one row per
recipient: the record that makes sending idempotent (see sending.py)."""

from __future__ import annotations

from django.db import models

from newsdesk.site.stories.models import Edition


class Subscriber(models.Model):
    """An email address confirmed (double opt-in) for the Morning and/or Evening Edition.

    A row exists only once the reader clicked the confirmation link: before that the request
    lives in the signed link itself, so an address nobody confirmed is never stored.
    """

    email = models.EmailField(max_length=254, unique=True)  # lower-cased: see tokens.normalize
    morning = models.BooleanField(default=False)
    evening = models.BooleanField(default=False)
    # The consent record: when it was asked for and given, and from which page.
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField()
    source = models.CharField(max_length=200, blank=True, help_text="the page the form was on")
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def periods(self) -> list[str]:
        return [p for p in (Edition.MORNING, Edition.EVENING) if getattr(self, p)]

    def to_dict(self) -> dict:
        """Everything stored about this reader, for an export on request."""
        return {
            "email": self.email,
            "periods": self.periods,
            "requested_at": self.requested_at.isoformat(),
            "confirmed_at": self.confirmed_at.isoformat(),
            "source": self.source,
            "unsubscribed_at": self.unsubscribed_at.isoformat() if self.unsubscribed_at else None,
            "deliveries": [
                {
                    "edition": str(d.mailing.edition),
                    "status": d.status,
                    "sent_at": d.sent_at.isoformat() if d.sent_at else None,
                    "error": d.error,
                }
                for d in self.deliveries.select_related("mailing__edition").order_by("id")
            ],
        }


class Mailing(models.Model):
    """The sending of one edition to its period's subscribers: one per edition, ever."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="mailing")
    subject = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.edition)

    def counts(self) -> dict[str, int]:
        """Recipients by status (one grouped query)."""
        found = dict(
            self.deliveries.values_list("status").annotate(n=models.Count("id")).order_by()
        )
        return {status: found.get(status, 0) for status, _ in Delivery.STATUSES}


class Delivery(models.Model):
    """One recipient of one mailing: queued, claimed by a sender, sending, sent or failed."""

    QUEUED, CLAIMED, SENDING, SENT, FAILED = "queued", "claimed", "sending", "sent", "failed"
    STATUSES = [
        (QUEUED, "queued"),
        (CLAIMED, "claimed"),
        (SENDING, "sending"),
        (SENT, "sent"),
        (FAILED, "failed"),
    ]

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=7, choices=STATUSES, default=QUEUED)
    claim = models.CharField(max_length=40, blank=True)  # the sender that holds this row
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["mailing", "subscriber"], name="one_delivery_each")
        ]
        indexes = [models.Index(fields=["mailing", "status"], name="delivery_by_status")]

    def __str__(self) -> str:
        return f"{self.subscriber_id} · {self.status}"
