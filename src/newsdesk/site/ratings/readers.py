"""Who is voting, and is the request really from our page: reader cookie, form token, origin.

Story pages are shared between readers by the full-page cache, so they cannot carry a
per-reader CSRF token. A vote is instead accepted only when the browser says it comes from
this site (``Sec-Fetch-Site``, else ``Origin``, else ``Referer`` — the headers Django's own
CSRF check starts with and every current browser sends on a POST), with a signed form token
the page was rendered with (this story, not expired) that the same reader cannot send twice.
The reader cookie is SameSite=Lax, so a cross-site POST never carries it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
import secrets
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core import signing

READER_COOKIE = "newsdesk_reader"
READER_SALT = "newsdesk.ratings.reader"
FORM_SALT = "newsdesk.ratings.form"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class Refused(Exception):
    """A vote refused for a reason the reader can read; ``status`` is the HTTP answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# --- the reader -----------------------------------------------------------------------------
def reader_from_cookie(request) -> str | None:
    """The reader key in the signed cookie; None without one. Raises Refused when tampered."""
    if READER_COOKIE not in request.COOKIES:
        return None
    try:
        value = request.get_signed_cookie(READER_COOKIE, salt=READER_SALT)
    except signing.BadSignature as exc:
        raise Refused(
            "The reader cookie is forged or tampered with; it was not accepted.", 400
        ) from exc
    if not re.fullmatch(r"r:[A-Za-z0-9_-]{16,40}", value):
        raise Refused("The reader cookie holds no valid reader key.", 400)
    return value


def new_reader() -> str:
    return "r:" + secrets.token_urlsafe(18)


def voter_of(request, nonce: str) -> tuple[str, str | None]:
    """(voter key, reader key to set as a cookie or None). A signed-in user votes as themself.

    A first vote without the cookie (no JavaScript: ratings.js gets one on page load) takes a
    key derived from the form's nonce, address and browser, so a double-clicked submit is the
    same reader sending the same form twice (a Replay), not two readers.
    """
    user = getattr(request, "user", None)
    if "sessionid" in request.COOKIES and user is not None and user.is_authenticated:
        return f"u:{user.pk}", None
    reader = reader_from_cookie(request)
    if reader:
        return reader, None
    seed = "|".join(
        (nonce, request.META.get("REMOTE_ADDR", ""), request.headers.get("User-Agent", ""))
    )
    digest = hmac.new(settings.SECRET_KEY.encode(), seed.encode(), hashlib.sha256).digest()
    reader = "r:" + base64.urlsafe_b64encode(digest[:18]).decode()
    return reader, reader


def set_reader_cookie(response, reader: str) -> None:
    response.set_signed_cookie(
        READER_COOKIE,
        reader,
        salt=READER_SALT,
        max_age=settings.NEWSDESK_RATING_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )


def address_hash(request) -> str:
    """A keyed hash of the address: editors can see stuffing from one place, not who it is."""
    ip = request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]


# --- the form ---------------------------------------------------------------------------------
def form_token(story_id: int) -> str:
    """A signed, timestamped token naming the story and a fresh nonce, for one vote form."""
    return signing.dumps(
        {"s": story_id, "n": secrets.token_urlsafe(12)}, salt=FORM_SALT, compress=False
    )


def check_form_token(token: str, story_id: int) -> str:
    """The token's nonce. Raises Refused when it is missing, forged, expired or another story's."""
    if not token:
        raise Refused("The vote form token is missing: vote from the story page.", 400)
    try:
        data = signing.loads(token, salt=FORM_SALT, max_age=settings.NEWSDESK_RATING_FORM_AGE)
    except signing.SignatureExpired as exc:
        raise Refused("This vote form has expired: reload the page and vote again.", 400) from exc
    except signing.BadSignature as exc:
        raise Refused("The vote form token is forged or damaged.", 400) from exc
    if not isinstance(data, dict) or data.get("s") != story_id or not data.get("n"):
        raise Refused("The vote form belongs to another story.", 400)
    return str(data["n"])


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def check_same_site(request) -> None:
    """Raise Refused (403) unless the browser says this POST comes from this site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        if fetch_site in ("same-origin", "none"):
            return
        raise Refused(f"Cross-site vote refused (Sec-Fetch-Site: {fetch_site}).", 403)
    ours = {
        f"{request.scheme}://{request.get_host()}".lower(),
        *(o.lower() for o in settings.CSRF_TRUSTED_ORIGINS),
    }
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        if origin.lower() in ours:
            return
        raise Refused(f"Cross-site vote refused (Origin: {origin}).", 403)
    referer = request.headers.get("Referer")
    if referer and _origin_of(referer) in ours:
        return
    raise Refused(
        "Vote refused: the request says neither where it comes from (Origin) nor "
        "which page sent it (Referer).",
        403,
    )


# --- the input --------------------------------------------------------------------------------
def clean_stars(raw) -> int:
    text = (raw or "").strip()
    if not text:
        raise Refused("Choose a rating from 1 to 5 stars.", 400)
    if not re.fullmatch(r"[1-5]", text):
        raise Refused(f"Stars must be a whole number from 1 to 5, not {text[:20]!r}.", 400)
    return int(text)


def clean_feedback(raw, stars: int) -> str:
    """Plain text of at most NEWSDESK_RATING_FEEDBACK_MAX characters; kept for 1–2 stars only."""
    text = raw or ""
    limit = settings.NEWSDESK_RATING_FEEDBACK_MAX
    if len(text) > limit:
        raise Refused(f"The feedback is {len(text)} characters long; the limit is {limit}.", 413)
    if stars > 2:
        return ""  # only a low rating asks "How could we improve this article?"
    text = html.unescape(nh3.clean(text, tags=set()))  # markup out, the words kept
    text = CONTROL.sub("", text)
    text = "\n".join(" ".join(line.split()) for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip()
