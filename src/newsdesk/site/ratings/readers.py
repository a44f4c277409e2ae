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
import functools
import hashlib
import hmac
import html
import json
import re
import secrets
import time
import zlib
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core import signing
from django_ratelimit.core import is_ratelimited

READER_COOKIE = "newsdesk_reader"
READER_SALT = "newsdesk.ratings.reader"
FORM_SALT = "newsdesk.ratings.form"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class Refused(Exception):
    """A vote refused for a reason the reader can read; ``status`` is the HTTP answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# --- signatures -----------------------------------------------------------------------------
class Seal:
    """Django's TimestampSigner formats (``signing.dumps`` and signed cookies), with the HMAC
    keys derived once rather than on every call.

    Each Django signature first hashes the salt and the secret into a key; a vote checks two
    signatures and makes one, and those key derivations were a tenth of its time. The values
    are the same bytes Django reads and writes (tests/site/test_ratings_seal.py), and old keys
    in SECRET_KEY_FALLBACKS are still accepted.
    """

    def __init__(self, salts_and_secrets: list[tuple[str, bytes]]) -> None:
        """Signs with the first (salt, secret) pair; accepts a signature by any of them."""
        self.keys = [
            hashlib.sha256((salt + "signer").encode() + secret).digest()
            for salt, secret in salts_and_secrets
        ]

    def _signature(self, value: str, key: bytes) -> str:
        return signing.b64_encode(hmac.digest(key, value.encode(), "sha256")).decode()

    def sign(self, value: str) -> str:
        value = f"{value}:{signing.b62_encode(int(time.time()))}"
        return f"{value}:{self._signature(value, self.keys[0])}"

    def unsign(self, signed: str, max_age: float | None = None) -> str:
        """The value; raises signing.BadSignature, or SignatureExpired after ``max_age`` s."""
        value, sep, sig = signed.rpartition(":")
        if not sep or not any(
            hmac.compare_digest(sig.encode(), self._signature(value, key).encode())
            for key in self.keys
        ):
            raise signing.BadSignature(f'Signature "{sig}" does not match')
        value, _, stamp = value.rpartition(":")
        try:
            age = time.time() - signing.b62_decode(stamp)
        except ValueError as exc:
            raise signing.BadSignature("Bad timestamp") from exc
        if max_age is not None and age > max_age:
            raise signing.SignatureExpired(f"Signature age {age} > {max_age} seconds")
        return value

    def dumps(self, obj) -> str:
        """``signing.dumps(obj, salt=…)`` with the default JSON serializer, uncompressed."""
        return self.dumps_json(json.dumps(obj, separators=(",", ":")))

    def dumps_json(self, text: str) -> str:
        """dumps() of an object already written as compact JSON text."""
        return self.sign(signing.b64_encode(text.encode("latin-1")).decode())

    def loads(self, token: str, max_age: float | None = None):
        data = self.unsign(token, max_age).encode()
        try:
            if data[:1] == b".":  # signing.dumps(compress=True)
                return json.loads(zlib.decompress(signing.b64_decode(data[1:])).decode("latin-1"))
            return json.loads(signing.b64_decode(data).decode("latin-1"))
        except (ValueError, zlib.error) as exc:
            raise signing.BadSignature("Bad payload") from exc


@functools.lru_cache(maxsize=16)
def _seal(salt: str, cookie: str, secret: str, fallbacks: tuple[str, ...], legacy: bool) -> Seal:
    secrets_ = [k.encode() for k in (secret, *fallbacks)]
    if not cookie:
        return Seal([(salt, k) for k in secrets_])
    # As HttpResponse.set_signed_cookie and HttpRequest.get_signed_cookie: the cookie's own
    # key and salt, and the older salt (no length prefix) that Django still accepts.
    salts = []
    if hasattr(signing, "_cookie_signer_salt"):
        salts.append(signing._cookie_signer_salt(cookie, salt))
    if legacy or not salts:
        salts.append(cookie + salt)
    return Seal([(s, b"django.http.cookies" + k) for s in salts for k in secrets_])


def seal(salt: str, *, cookie: str = "") -> Seal:
    """The Seal for ``salt`` (and a signed ``cookie``'s name) under the current SECRET_KEY."""
    return _seal(
        salt,
        cookie,
        settings.SECRET_KEY,
        tuple(settings.SECRET_KEY_FALLBACKS),
        getattr(settings, "SIGNED_COOKIE_LEGACY_SALT_FALLBACK", True),
    )


def read_token(
    token: str, salt: str, max_age: float, *, missing: str, expired: Refused, forged: str
):
    """The payload of a signed, timestamped token (a form's, a link's), checked for age.

    Raises Refused(``missing``) when there is no token, ``expired`` when it is older than
    ``max_age`` seconds, Refused(``forged``) when its signature or payload is bad; the caller
    checks what the payload says.
    """
    if not token:
        raise Refused(missing, 400)
    try:
        return seal(salt).loads(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise expired from exc
    except signing.BadSignature as exc:
        raise Refused(forged, 400) from exc


# --- the reader -----------------------------------------------------------------------------
def reader_of(cookie: str | None) -> str | None:
    """The reader key in a signed reader cookie's value; None without one. Raises Refused
    when it is forged or tampered with."""
    if cookie is None:
        return None
    try:
        value = seal(READER_SALT, cookie=READER_COOKIE).unsign(cookie)
    except signing.BadSignature as exc:
        raise Refused(
            "The reader cookie is forged or tampered with; it was not accepted.", 400
        ) from exc
    if not re.fullmatch(r"r:[A-Za-z0-9_-]{16,40}", value):
        raise Refused("The reader cookie holds no valid reader key.", 400)
    return value


def reader_from_cookie(request) -> str | None:
    """The reader key in the request's signed cookie (see reader_of)."""
    return reader_of(request.COOKIES.get(READER_COOKIE))


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


def address_hash(ip: str) -> str:
    """A keyed hash of the address: editors can see stuffing from one place, not who it is."""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]


# --- the form ---------------------------------------------------------------------------------
def form_token(story_id: int) -> str:
    """A signed, timestamped token naming the story and a fresh nonce, for one vote form."""
    nonce = secrets.token_urlsafe(12)  # URL-safe characters: nothing to escape in JSON
    return seal(FORM_SALT).dumps_json(f'{{"s":{int(story_id)},"n":"{nonce}"}}')


def check_form_token(token: str, story_id: int) -> str:
    """The token's nonce. Raises Refused when it is missing, forged, expired or another story's."""
    data = read_token(
        token,
        FORM_SALT,
        settings.NEWSDESK_RATING_FORM_AGE,
        missing="The vote form token is missing: vote from the story page.",
        expired=Refused("This vote form has expired: reload the page and vote again.", 400),
        forged="The vote form token is forged or damaged.",
    )
    if not isinstance(data, dict) or data.get("s") != story_id or not data.get("n"):
        raise Refused("The vote form belongs to another story.", 400)
    return str(data["n"])


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def check_same_site(request, what: str = "vote") -> None:
    """Raise Refused (403) unless the browser says this POST comes from this site.

    ``what`` names the request in the message (newsletters' subscribe form uses this too)."""
    headers = request.headers
    same_site(
        headers.get("Sec-Fetch-Site"),
        headers.get("Origin"),
        headers.get("Referer"),
        lambda: f"{request.scheme}://{request.get_host()}",
        what,
    )


def same_site(
    fetch_site: str | None, origin: str | None, referer: str | None, ours, what: str = "vote"
) -> None:
    """check_same_site on the header values; ``ours()`` gives this site's scheme://host."""
    if fetch_site:
        if fetch_site in ("same-origin", "none"):
            return
        raise Refused(f"Cross-site {what} refused (Sec-Fetch-Site: {fetch_site}).", 403)
    origins = {ours().lower(), *(o.lower() for o in settings.CSRF_TRUSTED_ORIGINS)}
    if origin and origin != "null":
        if origin.lower() in origins:
            return
        raise Refused(f"Cross-site {what} refused (Origin: {origin}).", 403)
    if referer and _origin_of(referer) in origins:
        return
    raise Refused(
        f"{what.capitalize()} refused: the request says neither where it comes from (Origin) "
        "nor which page sent it (Referer).",
        403,
    )


# --- the input --------------------------------------------------------------------------------
def check_rate_limit(request) -> None:
    """Count this vote against the address; Refused (429) over NEWSDESK_RATING_RATE_LIMIT.

    ``request`` needs only ``META`` and ``method`` (the short road passes its environ)."""
    limit = settings.NEWSDESK_RATING_RATE_LIMIT
    if limit and is_ratelimited(
        request, group="ratings.vote", key="ip", rate=limit, increment=True
    ):
        raise Refused(f"Too many votes from your address (limit {limit}); try again soon.", 429)


def clean_vote(form, story_id: int) -> tuple[int, str, str]:
    """The posted form's (stars, feedback, form token's nonce) for ``story_id``, each checked
    in that order; raises Refused naming the first problem."""
    stars = clean_stars(form.get("stars"))
    feedback = clean_feedback(form.get("feedback"), stars)
    return stars, feedback, check_form_token(form.get("form", ""), story_id)


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
