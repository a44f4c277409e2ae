"""A reader subscribes in real Chromium with JavaScript off: footer form, the mail that
arrives at a real SMTP server, the confirm button; then the edition's unsubscribe link."""

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "site"))
from smtpserver import SMTPServer  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_without_javascript_subscribes_confirms_and_unsubscribes(
    live_server, browser, settings, make_story
):
    from newsdesk.cli import main
    from newsdesk.site.newsletters.models import Subscriber

    story = make_story("Harbour reopens after the storm")
    with SMTPServer() as smtp:
        for name, value in smtp.settings().items():
            setattr(settings, name, value)
        settings.NEWSDESK_BASE_URL = live_server.url
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(live_server.url + story.get_absolute_url())
        footer = page.locator("footer form.subscribe")
        footer.get_by_label("Email address").fill("rita@example.org")
        footer.get_by_label("Editions").select_option("morning")
        footer.get_by_role("button", name="Subscribe").click()
        assert page.locator("h1").inner_text() == "Check your inbox"

        (mail,) = smtp.inbox.to("rita@example.org")
        link = re.search(
            r"http://\S+/newsletters/confirm/\S+/", mail.get_body(("plain",)).get_content()
        )
        page.goto(link.group(0))
        page.get_by_role("button", name="Yes, subscribe me").click()
        assert page.locator("h1").inner_text() == "You are subscribed"
        rita = Subscriber.objects.get()
        assert (rita.morning, rita.evening, rita.source) == (True, False, story.get_absolute_url())

        day = story.edition.date.isoformat()
        assert main(["edition", day, story.edition.period, "--send"]) == 0
        edition_mail = smtp.inbox.to("rita@example.org")[-1]
        html = edition_mail.get_body(("html",)).get_content()
        unsubscribe = re.search(r'href="([^"]+/newsletters/unsubscribe/[^"]+)"', html).group(1)
        page.goto(unsubscribe)
        page.get_by_role("button", name="Unsubscribe").click()
        assert page.locator("h1").inner_text() == "You are unsubscribed"
    rita.refresh_from_db()
    assert not rita.periods and rita.unsubscribed_at
