"""The audit log: who changed which story, how (the road: admin, API, CLI, feed…), when."""

from __future__ import annotations

from django.conf import settings
from django.db import models

# The roads a change to a story can come by (AuditEntry.via).
ROADS = ("admin", "api", "cli", "feed", "worker", "scheduler")


class AuditEntry(models.Model):
    story = models.ForeignKey(
        "stories.Story", null=True, on_delete=models.SET_NULL, related_name="audit"
    )
    headline = models.CharField(
        max_length=300, help_text="The headline at the time, kept if the story goes."
    )
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=11)
    to_status = models.CharField(max_length=11)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)
    via = models.CharField(
        max_length=10, blank=True, help_text="The road the change came by: " + ", ".join(ROADS)
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"

    def __str__(self) -> str:
        who = self.user.get_username() if self.user_id else "the scheduler"
        road = f" via {self.via}" if self.via else ""
        return (
            f"{who} {self.action} “{self.headline}” ({self.from_status} → {self.to_status}){road}"
        )
