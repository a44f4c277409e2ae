"""Subscribe (double opt-in), confirm and unsubscribe: plain forms, no account, no JavaScript.

Pages are shared by the full-page cache, so the subscribe form carries no per-reader CSRF
token: a subscribe POST is accepted with the ratings' checks instead (the browser says it
comes from this site, and a signed form token; ratings/readers.py). Confirm and unsubscribe
are authorised by the signed token in their link; a GET only shows a button (mail scanners
follow links), the POST does it. RFC 8058's one-click POST needs no page and no cookie.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from newsdesk.site.newsletters import mail, tokens
from newsdesk.site.newsletters.models import Subscriber
from newsdesk.site.ratings.readers import Refused, check_same_site
from newsdesk.site.stories.models import Edition

log = logging.getLogger(__name__)


def _page(request, template: str, context: dict, status: int = 200):
    response = render(request, f"newsletters/{template}", context, status=status)
    response["Cache-Control"] = "no-store"  # an answer to this one request: never cached
    return response


def _refuse(request, exc: Refused, form: dict | None = None):
    context = {"message": str(exc), "form": form, "subscribe_form": tokens.form_token()}
    return _page(request, "refused.html", context, exc.status)


def _source(raw) -> str:
    source = (raw or "").strip()[:200]
    return source if source.startswith("/") else ""


def _limit(request, group: str, rate: str, key) -> bool:
    return rate.strip().lower() not in {"", "off"} and is_ratelimited(
        request, group=group, key=key, rate=rate, increment=True
    )


def _base(request) -> str:
    return settings.NEWSDESK_BASE_URL or f"{request.scheme}://{request.get_host()}"


@require_GET
def subscribe_page(request):
    """The subscribe form on a page of its own (linked from the footer and from mail)."""
    period = request.GET.get("edition", "both")
    return _page(
        request,
        "subscribe.html",
        {
            "subscribe_form": tokens.form_token(),
            "chosen": period if period in tokens.CHOICES else "both",
        },
    )


@csrf_exempt  # pages are shared by the page cache: see the module's docstring
@require_POST
def subscribe(request):
    """Mail a confirmation link to the address; nothing is stored until it is followed."""
    form = None
    try:
        check_same_site(request, "subscription")
        if _limit(request, "newsletters.ip", settings.NEWSDESK_SUBSCRIBE_RATE_LIMIT, "ip"):
            raise Refused(
                "Too many subscriptions from your address "
                f"(limit {settings.NEWSDESK_SUBSCRIBE_RATE_LIMIT}); try again later.",
                429,
            )
        try:
            data = request.POST
        except RequestDataTooBig as exc:
            raise Refused("The form is too large to accept.", 413) from exc
        form = {"email": data.get("email", "")[:254], "edition": data.get("edition", "both")}
        email = tokens.normalize(data.get("email"))
        periods = tokens.periods_of(data.get("edition"))
        tokens.check_form_token(data.get("token", ""))
        if _limit(
            request,
            "newsletters.address",
            settings.NEWSDESK_SUBSCRIBE_ADDRESS_RATE_LIMIT,
            lambda group, request: email,
        ):
            raise Refused(
                "A confirmation was sent to that address a short while ago: look for it in "
                "your inbox (and spam folder), or try again later.",
                429,
            )
    except tokens.FormExpired as exc:
        return _refuse(request, exc, form)
    except Refused as exc:
        return _refuse(request, exc, form if exc.status == 400 else None)
    try:
        mail.confirmation(email, periods, _source(data.get("source")), _base(request)).send()
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("confirmation mail to %s not sent: %s", email, exc)
        return _refuse(
            request, Refused("The confirmation mail could not be sent; try again later.", 503), form
        )
    return _page(request, "check_inbox.html", {"email": email})


def _confirm_data(token: str) -> dict:
    data = tokens.read_confirm_token(token)
    periods = [p for p in data["p"] if p in (Edition.MORNING, Edition.EVENING)]
    if not periods:
        raise Refused("This confirmation link is damaged or forged.", 400)
    return {**data, "p": periods}


@csrf_exempt  # authorised by the signed link; the POST only says "yes" to it
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET: the request and a Confirm button. POST: the subscription, with its consent record."""
    try:
        data = _confirm_data(token)
    except Refused as exc:
        return _refuse(request, exc)
    names = dict(Edition.PERIODS)
    context = {"email": data["e"], "editions": " and ".join(names[p] for p in data["p"])}
    if request.method == "GET":
        return _page(request, "confirm.html", context)
    requested = datetime.fromtimestamp(data["t"], tz=UTC)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=data["e"]).first()
        if subscriber and subscriber.unsubscribed_at and subscriber.unsubscribed_at > requested:
            return _refuse(
                request,
                Refused("You unsubscribed after asking for this link: subscribe again.", 410),
            )
        subscriber = subscriber or Subscriber(email=data["e"])
        subscriber.morning = Edition.MORNING in data["p"]
        subscriber.evening = Edition.EVENING in data["p"]
        subscriber.requested_at = requested
        subscriber.confirmed_at = timezone.now()
        subscriber.source = data["s"]
        subscriber.unsubscribed_at = None
        subscriber.save()
    return _page(request, "confirmed.html", context)


def _email_of(pk: int) -> str | None:
    return Subscriber.objects.filter(pk=pk).values_list("email", flat=True).first()


@csrf_exempt  # authorised by the signed link; RFC 8058's POST comes from the mail provider
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET: an Unsubscribe button. POST (the button, or RFC 8058 one-click): unsubscribed."""
    try:
        pk = tokens.read_unsubscribe_token(token, _email_of)
    except Refused as exc:
        return _refuse(request, exc)
    subscriber = Subscriber.objects.get(pk=pk)
    if request.method == "GET":
        return _page(request, "unsubscribe.html", {"subscriber": subscriber})
    Subscriber.objects.filter(pk=pk).update(
        morning=False, evening=False, unsubscribed_at=timezone.now()
    )
    return _page(request, "unsubscribed.html", {"subscriber": subscriber})
