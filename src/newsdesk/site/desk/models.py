"""The audit log of publishing actions: who moved which story from what state to what, when."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"

    def __str__(self) -> str:
        who = self.user.get_username() if self.user_id else "the scheduler"
        return f"{who} {self.action} “{self.headline}” ({self.from_status} → {self.to_status})"
