"""The signed values of newsletters: the subscribe form, the confirmation link, the
unsubscribe link. Signed with the ratings' Seal (Django's TimestampSigner format)."""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from newsdesk.site.ratings.readers import Refused, read_token, seal
from newsdesk.site.stories.models import Edition

FORM_SALT = "newsdesk.newsletters.form"
CONFIRM_SALT = "newsdesk.newsletters.confirm"
UNSUBSCRIBE_SALT = "newsdesk.newsletters.unsubscribe"
CHOICES = {
    "both": [Edition.MORNING, Edition.EVENING],
    Edition.MORNING: [Edition.MORNING],
    Edition.EVENING: [Edition.EVENING],
}


def normalize(raw) -> str:
    """The address, trimmed and lower-cased. Raises Refused naming a bad one."""
    email = (raw or "").strip().lower()
    if not email:
        raise Refused("Enter your email address to subscribe.", 400)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise Refused(f"{email[:80]!r} is not an email address.", 400) from exc
    return email


def periods_of(raw) -> list[str]:
    """The editions chosen in the form (both, morning or evening). Raises Refused."""
    choice = (raw or "both").strip().lower()
    if choice not in CHOICES:
        raise Refused(f"Choose Morning, Evening or both, not {choice[:20]!r}.", 400)
    return CHOICES[choice]


# --- the subscribe form ----------------------------------------------------------------------
def form_token() -> str:
    """A signed, timestamped token for one subscribe form (the page cache shares it)."""
    return seal(FORM_SALT).dumps_json('{"f":"subscribe"}')


class FormExpired(Refused):
    """The form's token is older than NEWSDESK_SUBSCRIBE_FORM_AGE: show a fresh form."""


def check_form_token(token: str) -> None:
    """Raises Refused when the token is missing or forged, FormExpired when too old."""
    data = read_token(
        token,
        FORM_SALT,
        settings.NEWSDESK_SUBSCRIBE_FORM_AGE,
        missing="The subscribe form token is missing: subscribe from a page of the site.",
        expired=FormExpired("This form has expired: press Subscribe once more.", 400),
        forged="The subscribe form token is forged or damaged.",
    )
    if data != {"f": "subscribe"}:
        raise Refused("The subscribe form token is not a subscribe form's.", 400)


# --- the confirmation link -------------------------------------------------------------------
def confirm_token(email: str, periods: list[str], source: str) -> str:
    """The signed request: address, editions, page and time; expires after
    NEWSDESK_SUBSCRIBE_CONFIRM_AGE."""
    return seal(CONFIRM_SALT).dumps({"e": email, "p": periods, "s": source, "t": int(time.time())})


def read_confirm_token(token: str) -> dict:
    """The request in a confirmation link. Raises Refused when forged or expired."""
    damaged = "This confirmation link is damaged or forged."
    data = read_token(
        token,
        CONFIRM_SALT,
        settings.NEWSDESK_SUBSCRIBE_CONFIRM_AGE,
        missing=damaged,
        expired=Refused(
            "This confirmation link has expired: subscribe again to get a new one.", 410
        ),
        forged=damaged,
    )
    if not isinstance(data, dict) or not {"e", "p", "s", "t"} <= set(data):
        raise Refused(damaged, 400)
    return data


# --- the unsubscribe link --------------------------------------------------------------------
def unsubscribe_token(subscriber_id: int, email: str) -> str:
    """A signed token naming one subscriber; it never expires (old newsletters keep working)."""
    return seal(UNSUBSCRIBE_SALT).dumps_json(f'{{"u":{int(subscriber_id)}}}') + _tag(email)


def _tag(email: str) -> str:
    # The address's own check (not in the token's clear text): a row deleted and the id reused
    # by another reader does not make an old link unsubscribe the new one.
    digest = hmac.new(settings.SECRET_KEY.encode(), email.encode(), hashlib.sha256).hexdigest()
    return "." + digest[:12]


def read_unsubscribe_token(token: str, email_of) -> int:
    """The subscriber id in an unsubscribe token, checked against ``email_of(id)``.

    Raises Refused when the token is forged or names nobody stored any more.
    """
    signed, _, tag = token.rpartition(".")
    try:
        data = seal(UNSUBSCRIBE_SALT).loads(signed)
    except signing.BadSignature as exc:
        raise Refused("This unsubscribe link is damaged or forged.", 400) from exc
    pk = data.get("u") if isinstance(data, dict) else None
    email = email_of(pk) if isinstance(pk, int) else None
    if email is None or not hmac.compare_digest(_tag(email), "." + tag):
        raise Refused("This unsubscribe link names no subscriber: you are not subscribed.", 404)
    return pk
