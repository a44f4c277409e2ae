"""Editions in the editors' order; the newsletter: HTML email with inline CSS, text twin, CLI."""

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from newsdesk.site.desk.newsletter import export, render_html, render_text
from newsdesk.site.stories.models import Edition, EditionEntry

pytestmark = pytest.mark.django_db

DAY = date(2025, 5, 1)


@pytest.fixture
def morning(make_story):
    """Three published morning stories (07:00, 08:00, 09:00) and one evening one."""
    stories = [
        make_story(f"Morning story {i}", when=datetime(2025, 5, 1, 6 + i, tzinfo=UTC))
        for i in (1, 2, 3)
    ]
    make_story("Evening story", when=datetime(2025, 5, 1, 18, tzinfo=UTC))
    make_story("Morning draft", when=datetime(2025, 5, 1, 9, 30, tzinfo=UTC), publish=False)
    return Edition.objects.get(date=DAY, period="morning"), stories


class Email(HTMLParser):
    """Collects what the newsletter test asserts: tags, styles, links and text."""

    def __init__(self):
        super().__init__()
        self.tags, self.links, self.text, self.styled = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        self.styled += "style" in a
        if tag == "a":
            self.links.append(a["href"])
        if tag == "link":
            self.tags.append(f"link:{a.get('rel')}")

    def handle_data(self, data):
        self.text.append(data)


def test_new_edition_is_prefilled_with_its_half_days_published_stories(client, personas, morning):
    edition, stories = morning
    edition.delete()
    for s in stories:
        s.refresh_from_db()
    client.force_login(personas["erin"])
    response = client.post(
        reverse("admin:stories_edition_add"),
        {
            "date": "2025-05-01",
            "period": "morning",
            "entries-TOTAL_FORMS": "0",
            "entries-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    edition = Edition.objects.get(date=DAY, period="morning")
    assert [e.story.headline for e in edition.entries.all()] == [
        "Morning story 1",
        "Morning story 2",
        "Morning story 3",
    ]


def test_prefill_takes_published_stories_of_that_half_day_in_time_order(morning):
    edition, _ = morning
    assert edition.prefill() == 3
    assert [e.story.headline for e in edition.entries.all()] == [
        "Morning story 1",
        "Morning story 2",
        "Morning story 3",
    ]
    assert edition.prefill() == 0  # never refills a running order the editors made


def test_edition_page_follows_the_editors_order(client, morning):
    edition, (one, two, three) = morning
    edition.prefill()
    EditionEntry.objects.filter(story=three).update(order=1)
    EditionEntry.objects.filter(story=one).delete()
    response = client.get(edition.get_absolute_url())
    assert [s.headline for s in response.context["stories"]] == [
        "Morning story 3",
        "Morning story 2",
    ]
    page = response.content.decode()
    assert page.index("Morning story 3") < page.index("Morning story 2")


def test_edition_page_without_a_running_order_lists_by_time(client, morning):
    edition, _ = morning
    stories = client.get(edition.get_absolute_url()).context["stories"]
    assert [s.headline for s in stories] == [
        "Morning story 1",
        "Morning story 2",
        "Morning story 3",
    ]


def test_newsletter_html_has_every_story_and_only_inline_styles(morning):
    edition, stories = morning
    html = render_html(edition, base_url="https://news.example.org/")
    email = Email()
    email.feed(html)
    email.close()
    assert "table" in email.tags and email.styled > 10
    assert not {"script", "link:stylesheet"} & set(email.tags)
    # Inline styles carry the whole look; the one style block only re-colours it for dark
    # mode, so a client that drops the block still shows the light inline colours.
    (block,) = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    css = re.sub(r"/\*.*?\*/", "", block, flags=re.S).strip()
    assert css.startswith("@media (prefers-color-scheme: dark)") and css.count("@media") == 1
    assert css.endswith("}") and css.count("{") == css.count("}")
    text = " ".join(email.text)
    for story in stories:
        assert story.headline in text
        assert f"https://news.example.org{story.get_absolute_url()}" in email.links
        for bullet in story.bullets.all():
            assert bullet.text in text
    assert "Evening story" not in text and "Morning draft" not in text


def test_newsletter_text_twin_holds_the_same_stories(morning):
    edition, stories = morning
    text = render_text(edition, base_url="https://news.example.org")
    assert "<" not in text
    for story in stories:
        assert (
            story.headline in text and f"https://news.example.org{story.get_absolute_url()}" in text
        )
        assert all(f"* {b.text}" in text for b in story.bullets.all())


@pytest.mark.parametrize("who, status", [("erin", 200), ("walt", 200), ("rita", 302)])
def test_newsletter_preview_in_the_admin(client, personas, morning, who, status):
    edition, _ = morning
    client.force_login(personas[who])
    response = client.get(reverse("admin:stories_edition_newsletter", args=[edition.pk, "html"]))
    assert response.status_code == status
    if status == 200:
        assert "Morning story 1" in response.content.decode()
        policy = response["Content-Security-Policy"]
        assert "style-src 'unsafe-inline'" in policy and "script-src 'none'" in policy
        text = client.get(reverse("admin:stories_edition_newsletter", args=[edition.pk, "txt"]))
        assert text["Content-Type"].startswith("text/plain")
        assert (
            client.get(
                reverse("admin:stories_edition_newsletter", args=[edition.pk, "pdf"])
            ).status_code
            == 404
        )


def test_export_names_bad_input(morning):
    from newsdesk.errors import InputError

    assert "Morning story 1" in export("2025-05-01", "morning", fmt="text")
    for args, message in [
        (("2025-13-01", "morning"), "not a date"),
        (("2025-05-01", "noon"), "not an edition"),
        (("2024-01-01", "evening"), "no evening edition"),
    ]:
        with pytest.raises(InputError, match=message):
            export(*args)


def test_cli_prints_the_newsletter(morning, capsys):
    from newsdesk.cli import main

    assert (
        main(["edition", "2025-05-01", "morning", "--text", "--base-url", "https://n.example"]) == 0
    )
    out = capsys.readouterr().out
    assert "Morning story 2" in out and "https://n.example/story/" in out
    assert main(["edition", "2025-05-01", "morning", "--html"]) == 0
    assert capsys.readouterr().out.lstrip().startswith("<!DOCTYPE html>")
    assert main(["edition", "1999-01-01", "morning"]) == 2
    assert "no morning edition" in capsys.readouterr().err
