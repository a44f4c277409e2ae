"""The desk's view of newsletters: subscribers (export or delete one's data on request), and
each mailing with its counts and per-recipient send log."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone

from newsdesk.site.newsletters.models import Delivery, Mailing, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "morning", "evening", "confirmed_at", "source", "unsubscribed_at"]
    list_filter = ["morning", "evening"]
    search_fields = ["email"]
    readonly_fields = ["email", "requested_at", "confirmed_at", "source", "unsubscribed_at"]
    fields = ["email", "morning", "evening", *readonly_fields[1:]]
    actions = ["export_data", "delete_data"]

    def has_add_permission(self, request) -> bool:
        return False  # readers subscribe themselves (double opt-in): consent is theirs to give

    @admin.action(description="Export the selected readers' data (JSON)", permissions=["view"])
    def export_data(self, request, queryset):
        data = [s.to_dict() for s in queryset.order_by("email")]  # one query per reader's log
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False) + "\n",
            content_type="application/json",
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.json"'
        return response

    @admin.action(
        description="Delete the selected readers' data (address, consent, send log)",
        permissions=["delete"],
    )
    def delete_data(self, request, queryset):
        count = queryset.count()
        deliveries, _ = Delivery.objects.filter(subscriber__in=queryset).delete()
        queryset.delete()
        self.message_user(
            request,
            f"Deleted {count} reader(s) and their {deliveries} delivery record(s).",
            messages.SUCCESS,
        )


def _count(status: str) -> Count:
    return Count("deliveries", filter=Q(deliveries__status=status))


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    list_display = ["edition", "created_at", "finished_at", "recipients", "sent", "failed", "open"]
    list_select_related = ["edition"]
    readonly_fields = ["edition", "subject", "created_at", "finished_at", "counts_now"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_all=Count("deliveries"),
                n_sent=_count(Delivery.SENT),
                n_failed=_count(Delivery.FAILED),
            )
        )

    def has_add_permission(self, request) -> bool:
        return False  # made by the worker or `newsdesk edition --send`

    @admin.display(description="recipients", ordering="n_all")
    def recipients(self, obj) -> int:
        return obj.n_all

    @admin.display(description="sent", ordering="n_sent")
    def sent(self, obj) -> int:
        return obj.n_sent

    @admin.display(description="failed", ordering="n_failed")
    def failed(self, obj) -> int:
        return obj.n_failed

    @admin.display(description="not yet sent")
    def open(self, obj) -> int:
        return obj.n_all - obj.n_sent - obj.n_failed

    @admin.display(description="counts")
    def counts_now(self, obj) -> str:
        return ", ".join(f"{status}: {n}" for status, n in obj.counts().items())


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The send log: one row per recipient of each mailing."""

    list_display = ["subscriber", "mailing", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", "mailing"]
    list_select_related = ["subscriber", "mailing__edition"]
    search_fields = ["subscriber__email"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["requeue"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(
        description="Send the selected failed deliveries again (may repeat an uncertain one)",
        permissions=["change"],
    )
    def requeue(self, request, queryset):
        rows = queryset.filter(status=Delivery.FAILED)
        mailings = set(rows.values_list("mailing_id", flat=True))
        n = rows.update(status=Delivery.QUEUED, claim="", attempts=0)
        Mailing.objects.filter(pk__in=mailings).update(finished_at=None)
        self.message_user(
            request, f"{n} delivery(ies) queued; the worker sends them within a minute."
        )
