"""Newsletters through a real SMTP server (aiosmtpd): subscribe, confirm, send, unsubscribe.

Every message here crosses a real SMTP session on a local port; the links in what arrives are
followed through the site's real views.
"""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from smtpserver import SMTPServer
from test_pagecache import get

from newsdesk.cli import main
from newsdesk.site.newsletters.models import Delivery, Mailing, Subscriber

pytestmark = pytest.mark.django_db
SITE = "http://testserver"
DAY = "2025-05-01"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    """Each test counts requests per address afresh, in this process's memory."""
    import secrets

    settings.CACHES = {
        **settings.CACHES,
        "ratings": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"newsletters-test-{secrets.token_hex(6)}",
        },
    }


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        settings.NEWSDESK_BASE_URL = SITE
        yield server


def token_on(client, path="/") -> str:
    html = client.get(path).content.decode()
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def subscribe(client, email, edition="both", *, token=None, source="/", **headers):
    data = {"email": email, "edition": edition, "source": source}
    data["token"] = token if token is not None else token_on(client)
    return client.post("/newsletters/subscribe/", data, **{"HTTP_ORIGIN": SITE, **headers})


def header(message, name: str) -> str:
    """A header's value, unfolded (a long List-Unsubscribe is folded before its "<")."""
    return str(message[name]).strip()


def link_in(message, kind: str) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"{SITE}(/newsletters/{kind}/[^/\s]+/)", text).group(1)


def confirmed(client, smtp, email, edition="both") -> Subscriber:
    """A reader subscribed the way readers do: form, mail, link, button."""
    assert subscribe(client, email, edition).status_code == 200
    path = link_in(smtp.inbox.to(email)[-1], "confirm")
    assert client.post(path).status_code == 200
    return Subscriber.objects.get(email=email)


@pytest.fixture
def edition(make_story, settings, tmp_path):
    from importlib import resources

    from newsdesk.site.stories.models import Edition
    from newsdesk.site.stories.photos import store_photo

    settings.MEDIA_ROOT = tmp_path / "media"
    first = make_story("Harbour reopens after the storm")  # 09:00 UTC: the morning edition
    make_story("Council votes on the new piers")
    demo = resources.files("newsdesk.site").joinpath("demo", "photos", "delphi-tholos.jpg")
    photo = store_photo(demo.read_bytes(), name="harbour.jpg")  # 960 px wide: its own size
    first.captions.update(photo=photo, alt_text="The harbour at dawn")
    return Edition.objects.get(date=DAY, period="morning")


# --- subscribe and confirm -------------------------------------------------------------------
def test_every_page_has_a_subscribe_form_without_javascript(client, edition):
    for path in ["/", edition.get_absolute_url()]:
        html = client.get(path).content.decode()
        form = re.search(r'<form class="subscribe[^"]*" method="post" action="([^"]+)"', html)
        assert form and form.group(1) == "/newsletters/subscribe/"
        assert 'type="email"' in html and 'name="edition"' in html and "<script" not in html
    # The edition page's own form comes with its edition chosen.
    html = client.get(edition.get_absolute_url()).content.decode()
    assert '<option value="morning" selected>' in html


def test_subscribing_mails_a_confirmation_and_stores_nothing_yet(client, smtp):
    response = subscribe(client, " Rita@Example.org ", "evening", source="/story/harbour/")
    assert response.status_code == 200 and b"Check your inbox" in response.content
    assert response["Cache-Control"] == "no-store"
    assert not Subscriber.objects.exists()
    (message,) = smtp.inbox.to("rita@example.org")
    assert message["Subject"] == "Confirm your subscription to newsdesk"
    assert header(message, "List-Unsubscribe").startswith(f"<{SITE}/newsletters/confirm/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Evening Edition" in text and "Confirm my subscription" in html
    assert link_in(message, "confirm") in html


def test_the_confirmation_link_subscribes_and_records_consent(client, smtp):
    before = datetime.now(UTC)
    subscribe(client, "rita@example.org", "morning", source="/story/harbour/")
    path = link_in(smtp.inbox.to("rita@example.org")[0], "confirm")
    page = client.get(path)  # a mail scanner following the link subscribes nobody
    assert page.status_code == 200 and b"Yes, subscribe me" in page.content
    assert not Subscriber.objects.exists()
    assert client.post(path).status_code == 200
    rita = Subscriber.objects.get()
    assert (rita.email, rita.morning, rita.evening) == ("rita@example.org", True, False)
    assert rita.source == "/story/harbour/"
    assert before - timedelta(seconds=2) <= rita.requested_at <= rita.confirmed_at


def test_a_confirmation_link_expires(client, smtp):
    subscribe(client, "rita@example.org")
    path = link_in(smtp.inbox.to("rita@example.org")[0], "confirm")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=4)):
        response = client.post(path)
    assert response.status_code == 410 and b"expired" in response.content
    assert not Subscriber.objects.exists()


def test_a_tampered_confirmation_link_is_refused(client, smtp):
    subscribe(client, "rita@example.org")
    path = link_in(smtp.inbox.to("rita@example.org")[0], "confirm")
    forged = path.replace("/confirm/", "/confirm/x")
    assert client.post(forged).status_code == 400
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": ""},
    ],
)
def test_a_cross_site_subscribe_is_refused(client, smtp, headers):
    response = subscribe(client, "rita@example.org", **headers)
    assert response.status_code == 403 and b"subscription refused" in response.content.lower()
    assert not smtp.inbox.messages


def test_a_missing_or_forged_form_token_is_refused(client, smtp):
    assert subscribe(client, "rita@example.org", token="").status_code == 400
    forged = token_on(client)[:-2] + "xx"
    response = subscribe(client, "rita@example.org", token=forged)
    assert response.status_code == 400 and b"forged" in response.content
    assert not smtp.inbox.messages


def test_an_old_cached_form_gives_a_fresh_one_with_the_address_kept(client, smtp):
    old = token_on(client)
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
        response = subscribe(client, "rita@example.org", token=old)
        assert response.status_code == 400 and b"expired" in response.content
        html = response.content.decode()
        assert 'value="rita@example.org"' in html
        fresh = re.search(r'name="token" value="([^"]+)"', html).group(1)
        assert subscribe(client, "rita@example.org", token=fresh).status_code == 200
    assert len(smtp.inbox.to("rita@example.org")) == 1


@pytest.mark.parametrize(
    ("email", "edition", "problem"),
    [("", "both", b"Enter your email"), ("not-an-address", "both", b"is not an email")],
)
def test_a_bad_address_or_choice_is_refused_by_name(client, smtp, email, edition, problem):
    response = subscribe(client, email, edition)
    assert response.status_code == 400 and problem in response.content
    response = subscribe(client, "rita@example.org", "weekly")
    assert response.status_code == 400 and b"Choose Morning, Evening or both" in response.content
    assert not smtp.inbox.messages


def test_subscribing_is_rate_limited_per_address_and_per_ip(client, smtp, settings):
    settings.NEWSDESK_SUBSCRIBE_ADDRESS_RATE_LIMIT = "2/h"
    settings.NEWSDESK_SUBSCRIBE_RATE_LIMIT = "4/h"
    codes = [subscribe(client, "rita@example.org").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert len(smtp.inbox.to("rita@example.org")) == 2
    assert subscribe(client, "ben@example.org").status_code == 200  # another address
    # The fifth request from this IP address is refused whatever the address.
    response = subscribe(client, "carl@example.org")
    assert response.status_code == 429 and b"from your address" in response.content
    assert not smtp.inbox.to("carl@example.org")


def test_an_unreachable_smtp_server_is_said_and_nothing_is_stored(client, settings):
    from smtpserver import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    response = subscribe(client, "rita@example.org")
    assert response.status_code == 503 and b"could not be sent" in response.content
    assert not Subscriber.objects.exists()


# --- send ------------------------------------------------------------------------------------
def test_an_edition_goes_to_its_periods_subscribers_with_both_parts(client, smtp, edition):
    for address, choice in [
        ("rita@example.org", "morning"),
        ("ben@example.org", "both"),
        ("eve@example.org", "evening"),
    ]:
        confirmed(client, smtp, address, choice)
    smtp.inbox.messages.clear()

    assert main(["edition", DAY, "morning", "--send"]) == 0

    assert smtp.inbox.per_address() == {"rita@example.org": 1, "ben@example.org": 1}
    (message,) = smtp.inbox.to("rita@example.org")
    assert message["Subject"] == "newsdesk: Morning Edition, May 1, 2025"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        rf"<{SITE}/newsletters/unsubscribe/[^/]+/>", header(message, "List-Unsubscribe")
    )
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "Harbour reopens after the storm" in part and "Council votes" in part
        assert "First point" in part and "Second point" in part  # each story's Quick Looks
        assert f"{SITE}/story/" in part  # absolute links from NEWSDESK_BASE_URL
        assert header(message, "List-Unsubscribe")[1:-1] in part  # the same link in the body
    photo = f"{SITE}/media/photos/renditions/"  # the stored photo's 960 px rendition
    assert re.search(
        rf'<img src="{photo}[0-9]+-[0-9a-f]+-960\.jpg" alt="The harbour at dawn"', html
    )
    assert "prefers-color-scheme: dark" in html and 'name="color-scheme"' in html
    assert not re.search(r'href="/', html)  # no relative link survives into mail
    # Each reader's link is their own.
    other = header(smtp.inbox.to("ben@example.org")[0], "List-Unsubscribe")
    assert other != header(message, "List-Unsubscribe")

    mailing = Mailing.objects.get(edition=edition)
    assert mailing.finished_at and mailing.counts()["sent"] == 2
    assert all(d.sent_at for d in Delivery.objects.all())


def test_sending_again_sends_nothing_twice(client, smtp, edition):
    confirmed(client, smtp, "rita@example.org")
    smtp.inbox.messages.clear()
    assert main(["edition", DAY, "morning", "--send"]) == 0
    assert main(["edition", DAY, "morning", "--send"]) == 0
    assert smtp.inbox.per_address() == {"rita@example.org": 1}
    assert Delivery.objects.get().status == "sent"


def test_one_click_unsubscribe_works_end_to_end(client, smtp, edition):
    rita = confirmed(client, smtp, "rita@example.org")
    confirmed(client, smtp, "ben@example.org")
    main(["edition", DAY, "morning", "--send"])
    link = header(smtp.inbox.to("rita@example.org")[-1], "List-Unsubscribe")[1:-1]
    # RFC 8058: the mail provider POSTs this body, from its own servers (no Origin, no cookie).
    response = client.generic(
        "POST",
        link.removeprefix(SITE),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200 and b"unsubscribed" in response.content
    rita.refresh_from_db()
    assert (rita.morning, rita.evening) == (False, False) and rita.unsubscribed_at
    # The link in the body: a page with a button (a GET changes nothing), then the button.
    path = link_in(smtp.inbox.to("ben@example.org")[-1], "unsubscribe")
    assert b'<button type="submit">Unsubscribe</button>' in client.get(path).content
    assert Subscriber.objects.get(email="ben@example.org").morning
    assert client.post(path).status_code == 200
    assert not Subscriber.objects.filter(morning=True).exists()


def test_an_unsubscribed_reader_gets_no_further_edition(client, smtp, edition, make_story):
    from newsdesk.site.stories.models import Edition

    confirmed(client, smtp, "rita@example.org")
    main(["edition", DAY, "morning", "--send"])
    path = link_in(smtp.inbox.to("rita@example.org")[-1], "unsubscribe")
    client.post(path)
    make_story(when=datetime(2025, 5, 2, 8, tzinfo=UTC))
    assert Edition.objects.filter(date="2025-05-02", period="morning").exists()
    before = len(smtp.inbox.messages)
    assert main(["edition", "2025-05-02", "morning", "--send"]) == 0
    assert len(smtp.inbox.messages) == before


def test_a_refused_recipient_is_recorded_with_the_reason(client, smtp, edition):
    confirmed(client, smtp, "rita@example.org")
    confirmed(client, smtp, "gone@example.org")
    smtp.inbox.messages.clear()
    smtp.inbox.refuse["gone@example.org"] = "550 5.1.1 No such mailbox"
    assert main(["edition", DAY, "morning", "--send"]) == 1
    assert smtp.inbox.per_address() == {"rita@example.org": 1}
    failed = Delivery.objects.get(subscriber__email="gone@example.org")
    assert failed.status == "failed" and "550" in failed.error and "No such mailbox" in failed.error
    assert Mailing.objects.get().counts() == {
        "queued": 0,
        "claimed": 0,
        "sending": 0,
        "sent": 1,
        "failed": 1,
    }


def test_a_temporary_refusal_is_retried_then_sent(client, smtp, edition):
    confirmed(client, smtp, "rita@example.org")
    smtp.inbox.messages.clear()
    smtp.inbox.refuse_once["rita@example.org"] = "451 4.3.0 Try again later"
    assert main(["edition", DAY, "morning", "--send"]) == 0
    delivery = Delivery.objects.get()
    assert delivery.status == "sent" and delivery.attempts == 2
    assert smtp.inbox.per_address() == {"rita@example.org": 1}


def test_a_recipient_refused_for_now_every_time_fails_after_three_tries(client, smtp, edition):
    confirmed(client, smtp, "rita@example.org")
    smtp.inbox.messages.clear()
    smtp.inbox.refuse["rita@example.org"] = "451 4.3.0 Try again later"
    assert main(["edition", DAY, "morning", "--send"]) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 3) and "451" in delivery.error
    assert not smtp.inbox.messages


def test_to_sends_one_test_copy_and_records_nothing(client, smtp, edition):
    assert main(["edition", DAY, "morning", "--to", "erin@example.org"]) == 0
    (message,) = smtp.inbox.to("erin@example.org")
    assert "Harbour reopens after the storm" in message.get_body(("plain",)).get_content()
    assert "List-Unsubscribe" not in message
    assert not Mailing.objects.exists()


def test_sending_needs_the_sites_address(client, smtp, edition, settings, capsys):
    settings.NEWSDESK_BASE_URL = ""
    assert main(["edition", DAY, "morning", "--send"]) == 2
    assert "NEWSDESK_BASE_URL" in capsys.readouterr().err
    assert not Mailing.objects.exists()


def test_an_editions_send_time_makes_it_due(client, smtp, edition, settings):
    from newsdesk.site.newsletters.sending import due_editions

    settings.NEWSDESK_NEWSLETTER_MORNING_AT = "07:00"
    with time_machine.travel(datetime(2025, 5, 1, 11, 0, tzinfo=UTC)):
        assert due_editions() == []  # nobody to send it to
        confirmed(client, smtp, "rita@example.org", "morning")
    with time_machine.travel(datetime(2025, 5, 1, 6, 59, tzinfo=UTC)):
        assert due_editions() == []
    with time_machine.travel(datetime(2025, 5, 1, 7, 0, tzinfo=UTC)):
        assert due_editions() == []  # its stories (09:00, 10:00) are not out yet
    with time_machine.travel(datetime(2025, 5, 1, 11, 0, tzinfo=UTC)):
        assert due_editions() == [edition]
    with time_machine.travel(datetime(2025, 5, 2, 7, 0, tzinfo=UTC)):
        assert due_editions() == []  # yesterday's news is not sent late
    settings.NEWSDESK_NEWSLETTER_MORNING_AT = "off"
    with time_machine.travel(datetime(2025, 5, 1, 11, 0, tzinfo=UTC)):
        assert due_editions() == []


# --- the desk --------------------------------------------------------------------------------
def test_an_editor_exports_and_deletes_a_readers_data(client, smtp, edition, personas):
    confirmed(client, smtp, "rita@example.org", "morning")
    main(["edition", DAY, "morning", "--send"])
    client.force_login(personas["erin"])
    rita = Subscriber.objects.get()
    url = "/admin/newsletters/subscriber/"
    response = client.post(url, {"action": "export_data", "_selected_action": [rita.pk]})
    assert response["Content-Type"] == "application/json"
    (data,) = json.loads(response.content)
    assert data["email"] == "rita@example.org" and data["periods"] == ["morning"]
    assert data["source"] == "/" and data["confirmed_at"] and data["requested_at"]
    assert data["deliveries"][0]["status"] == "sent"

    response = client.post(url, {"action": "delete_data", "_selected_action": [rita.pk]})
    assert response.status_code == 302
    assert not Subscriber.objects.exists() and not Delivery.objects.exists()


def test_the_mailing_admin_shows_counts_and_the_send_log(client, smtp, edition, personas):
    confirmed(client, smtp, "rita@example.org")
    confirmed(client, smtp, "gone@example.org")
    smtp.inbox.refuse["gone@example.org"] = "550 No such mailbox"
    main(["edition", DAY, "morning", "--send"])
    client.force_login(personas["erin"])
    page = client.get("/admin/newsletters/mailing/").content.decode()
    assert "Morning Edition, May 1, 2025" in page
    cells = re.findall(r'<td class="field-(recipients|sent|failed|open)">(\d+)</td>', page)
    assert dict(cells) == {"recipients": "2", "sent": "1", "failed": "1", "open": "0"}
    log = client.get("/admin/newsletters/delivery/?status__exact=failed").content.decode()
    assert "gone@example.org" in log and "No such mailbox" in log


def test_writers_cannot_see_subscribers(client, personas):
    client.force_login(personas["walt"])
    assert client.get("/admin/newsletters/subscriber/").status_code == 403


@pytest.fixture
def cached(tmp_path):
    from test_pagecache import cached_site

    yield from cached_site.__wrapped__(tmp_path)


def test_the_form_in_a_page_served_from_the_page_cache_is_accepted(client, smtp, edition, cached):
    """A cached page carries one form token for every reader; it is no per-reader secret."""
    app, _ = cached
    first = get(app, "/")
    second = get(app, "/")
    assert second[1]["X-Cache"] == "hit" and second[2] == first[2]
    token = re.search(rb'name="token" value="([^"]+)"', second[2]).group(1).decode()
    assert subscribe(client, "rita@example.org", token=token).status_code == 200
    assert subscribe(client, "ben@example.org", token=token).status_code == 200
    assert set(smtp.inbox.per_address()) == {"rita@example.org", "ben@example.org"}
