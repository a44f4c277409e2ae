"""A reader in real Chromium: home page → top story → the Quick Looks box."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_follows_the_top_story_and_sees_quick_looks(live_server, page):
    from newsdesk.site.ingestion.demo import load_demo
    from newsdesk.site.stories.models import Story

    load_demo()
    top = Story.objects.get(is_top_story=True)
    page.goto(live_server.url + "/")
    page.locator("#top-story a").first.click()
    page.wait_for_url(f"**{top.get_absolute_url()}")
    box = page.locator("#quick-looks")
    assert box.is_visible()
    assert box.locator("li").count() >= 1
    assert page.locator("h1").inner_text() == top.headline
