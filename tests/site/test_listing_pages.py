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


def story_links(html):
    import re

    return re.findall(r'href="(/story/[^"]+/)"', html)


def test_front_page_shows_each_story_once_with_top_lead_and_sections(client, make_story):
    for n in range(14):
        make_story(f"Front story {n}", sections=(("World", "Business", "Science")[n % 3],))
    body = client.get("/").content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    aside = body[body.index('id="latest-news"') :]
    links = story_links(main) + story_links(aside[: aside.index("</aside>")])
    # each teaser links its headline once (a photo link may repeat its own story's)
    headlines = [line for line in main.split("teaser-headline")[1:]]
    assert len(headlines) >= 1 + 4 + 3
    shown = [story_links(h)[0] for h in headlines]
    assert len(shown) == len(set(shown)), "a story is on the front page twice"
    assert not set(story_links(aside[: aside.index("</aside>")])) & set(links[: len(shown)])
    assert 'id="lead-grid"' in main and main.count('class="section-block"') == 3


def test_home_links_the_current_edition_and_the_editions_index_lists_days(client, make_story):
    make_story("Dawn", when=datetime(2025, 5, 2, 7, tzinfo=UTC))
    make_story("Dusk", when=datetime(2025, 5, 2, 19, tzinfo=UTC))
    make_story("Next dawn", when=datetime(2025, 5, 3, 7, tzinfo=UTC))
    home = client.get("/").content.decode()
    banner = home[home.index('id="current-edition"') :][:400]
    assert 'href="/edition/2025-05-03/morning/"' in banner
    index = client.get("/editions/").content.decode()
    main = index[index.index("<main") : index.index("</main>")]
    assert main.index("Saturday, May 3, 2025") < main.index("Friday, May 2, 2025")
    day = main[main.index("Friday, May 2, 2025") :]
    assert day.index("/edition/2025-05-02/morning/") < day.index("/edition/2025-05-02/evening/")
    assert "1 story" in day
    assert client.get("/editions/?page=9").status_code == 404


def test_a_storys_edition_label_links_its_edition_and_editions_link_neighbours(client, make_story):
    make_story("Dawn", when=datetime(2025, 5, 2, 7, tzinfo=UTC))
    dusk = make_story("Dusk", when=datetime(2025, 5, 2, 19, tzinfo=UTC))
    page = client.get(dusk.get_absolute_url()).content.decode()
    slug_line = page[page.index('id="slug-line"') : page.index('id="summary"')]
    assert '<a href="/edition/2025-05-02/evening/" id="edition-link">Evening Edition/</a>' in (
        slug_line
    )
    edition = client.get("/edition/2025-05-02/evening/").content.decode()
    nav = edition[edition.index('id="edition-nav"') :]
    assert 'rel="prev" href="/edition/2025-05-02/morning/"' in nav and 'rel="next"' not in nav


def test_similar_stories_never_repeat_more_on(client, make_story):
    story = make_story("Harbour dredging plan approved", sections=("Science",))
    for n in range(3):
        make_story(f"Harbour dredging plan debated {n}", sections=("Science",))
        make_story(f"Harbour dredging plan elsewhere {n}", sections=("Sport",))
    page = client.get(story.get_absolute_url()).content.decode()
    more_on = set(story_links(page[page.index('id="more-on"') : page.index('id="prev-next"')]))
    similar = page[page.index('id="related-stories"') :]
    similar = set(story_links(similar[: similar.index("</nav>")]))
    assert more_on and similar and not more_on & similar


def test_the_headline_is_at_top_weight_once_and_edits_show_an_updated_time(client, make_story):
    from django.utils import timezone

    from newsdesk.site.stories.models import Story

    story = make_story("Harbour plan approved")
    page = client.get(story.get_absolute_url()).content.decode()
    assert page.count("<h1") == 1 and 'id="published"' in page and 'id="updated"' not in page
    Story.objects.filter(pk=story.pk).update(
        updated_at=timezone.now() + timezone.timedelta(hours=1)
    )
    assert 'id="updated"' in client.get(story.get_absolute_url()).content.decode()
