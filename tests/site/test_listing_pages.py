"""Home, section and edition pages, and their 404s."""

from datetime import UTC, datetime

import pytest

from newsdesk.site.stories.models import Edition, Section

pytestmark = pytest.mark.django_db


def test_home_shows_top_story_latest_and_each_sections_latest(client, make_story):
    top = make_story("The top story", sections=("US",))
    top.is_top_story = True
    top.save()
    make_story("A newer science story", sections=("Science",))
    body = client.get("/").content.decode()
    top_block = body[body.index('id="top-story"') :]
    assert "The top story" in top_block[:600]
    assert "Latest News" in body and "A newer science story" in body
    assert 'href="/section/science/"' in body and 'href="/section/us/"' in body


def test_home_with_no_stories_still_renders(client, db):
    response = client.get("/")
    assert response.status_code == 200 and b"No stories are published yet." in response.content


def test_empty_section_says_so(client, db):
    Section.objects.create(name="Health", slug="health")
    response = client.get("/section/health/")
    assert response.status_code == 200 and b"No stories in Health yet." in response.content


def test_section_pages_paginate_and_bad_pages_404(client, make_story, settings):
    settings.NEWSDESK_PAGE_SIZE = 2
    for _ in range(5):
        make_story(sections=("World",))
    assert client.get("/section/world/?page=3").status_code == 200
    assert b"Page 1 of 3" in client.get("/section/world/").content
    assert client.get("/section/world/?page=4").status_code == 404
    assert client.get("/section/world/?page=abc").status_code == 404
    assert client.get("/section/nowhere/").status_code == 404


def test_edition_page_lists_the_half_days_stories(client, make_story):
    morning = make_story("Dawn story", when=datetime(2025, 5, 2, 7, tzinfo=UTC))
    evening = make_story("Dusk story", when=datetime(2025, 5, 2, 19, tzinfo=UTC))
    assert morning.edition.period == Edition.MORNING and evening.edition.period == Edition.EVENING
    page = client.get("/edition/2025-05-02/morning/").content.decode()
    body = page[page.index("<main") : page.index("</main>")]
    assert (
        "Morning Edition, May 2, 2025" in body and "Dawn story" in body and "Dusk story" not in body
    )
    for bad in (
        "/edition/2025-13-40/morning/",
        "/edition/2025-05-02/noon/",
        "/edition/2030-01-01/evening/",
    ):
        assert client.get(bad).status_code == 404
