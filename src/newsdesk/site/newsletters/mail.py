"""The messages newsletters send: the confirmation, and an edition for one subscriber, each
with a one-click unsubscribe (RFC 8058) where it applies."""

from __future__ import annotations

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from newsdesk.errors import InputError
from newsdesk.site.desk import newsletter
from newsdesk.site.newsletters import tokens
from newsdesk.site.stories.models import Edition

# Rendered once per mailing in place of each reader's link, then replaced per message: a
# 10,000-reader send renders the edition's templates once, not 10,000 times.
UNSUBSCRIBE_SLOT = "https://unsubscribe.invalid/newsdesk-slot/"


def base_url() -> str:
    """NEWSDESK_BASE_URL: mail needs absolute links. Raises InputError when unset."""
    base = settings.NEWSDESK_BASE_URL
    if not base:
        raise InputError("NEWSDESK_BASE_URL is not set: email needs the site's absolute address")
    return base


def unsubscribe_url(base: str, subscriber_id: int, email: str) -> str:
    token = tokens.unsubscribe_token(subscriber_id, email)
    return base + reverse("newsletters:unsubscribe", args=[token])


def _list_headers(base: str, unsubscribe: str, message_id: str) -> dict[str, str]:
    host = urlsplit(base).hostname or "localhost"
    return {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058: a POST, no page
        "List-Id": f"{settings.NEWSDESK_SITE_NAME} editions <editions.{host}>",
        "Message-ID": message_id,
    }


def confirmation(email: str, periods: list[str], source: str, base: str) -> EmailMultiAlternatives:
    """The double opt-in mail: a signed, expiring link that confirms the subscription.

    Its List-Unsubscribe link is the confirm page itself: nobody is subscribed yet, and
    ignoring the mail is the whole of unsubscribing."""
    link = base + reverse(
        "newsletters:confirm", args=[tokens.confirm_token(email, periods, source)]
    )
    names = dict(Edition.PERIODS)
    context = {
        "site_name": settings.NEWSDESK_SITE_NAME,
        "confirm_url": link,
        "editions": " and ".join(names[p] for p in periods),
        "hours": settings.NEWSDESK_SUBSCRIBE_CONFIRM_AGE // 3600,
        "home_url": base + "/",
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription to {settings.NEWSDESK_SITE_NAME}",
        body=render_to_string("newsletters/confirm_email.txt", context),
        to=[email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("newsletters/confirm_email.html", context), "text/html"
    )
    return message


class EditionMail:
    """An edition rendered once (HTML and text) and addressed to one subscriber at a time."""

    def __init__(self, edition: Edition, base: str) -> None:
        self.edition, self.base = edition, base
        self.subject = f"{settings.NEWSDESK_SITE_NAME}: {edition}"
        self.html = newsletter.render_html(edition, base_url=base, unsubscribe_url=UNSUBSCRIBE_SLOT)
        self.text = newsletter.render_text(edition, base_url=base, unsubscribe_url=UNSUBSCRIBE_SLOT)
        self.domain = urlsplit(base).hostname or "localhost"

    def message_id(self, key: str) -> str:
        return make_msgid(
            idstring=f"{self.edition.date:%Y%m%d}.{self.edition.period}.{key}", domain=self.domain
        )

    def to(
        self, email: str, subscriber_id: int | None, *, connection=None
    ) -> EmailMultiAlternatives:
        """The message for one reader (``subscriber_id`` None: a test copy, no unsubscribe)."""
        if subscriber_id is None:
            link = self.base + reverse("newsletters:subscribe")
            headers = {"Message-ID": self.message_id("test")}
        else:
            link = unsubscribe_url(self.base, subscriber_id, email)
            headers = _list_headers(self.base, link, self.message_id(str(subscriber_id)))
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text.replace(UNSUBSCRIBE_SLOT, link),
            to=[email],
            headers=headers,
            connection=connection,
        )
        message.attach_alternative(self.html.replace(UNSUBSCRIBE_SLOT, link), "text/html")
        return message
