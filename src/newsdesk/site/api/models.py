"""API tokens: the write endpoints' credentials. Only a hash of each token is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFIX_CHARS = 8


def digest(raw: str) -> str:
    """SHA-256 of a token: tokens are 256 random bits, so a fast hash is enough."""
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


class Token(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    prefix = models.CharField(
        max_length=PREFIX_CHARS,
        editable=False,
        help_text="The token's first characters, to tell tokens apart.",
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    active = models.BooleanField(default=True, help_text="Untick to revoke the token.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user}{', ' + self.name if self.name else ''})"

    @classmethod
    def issue(cls, user, name: str = "") -> tuple[Token, str]:
        """A new token for ``user``: the row, and the raw token (shown once, never stored)."""
        raw = "nd_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name[:100], prefix=raw[:PREFIX_CHARS], key_hash=digest(raw)
        )
        return token, raw

    @classmethod
    def user_for(cls, raw: str):
        """The active user an active token belongs to, else None."""
        token = (
            cls.objects.select_related("user")
            .filter(key_hash=digest(raw), active=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
