"""A reader rates a story in real Chromium: with JavaScript (no reload) and without (form POST)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_clicks_a_star_and_sees_the_numbers_change(live_server, browser, make_story):
    from playwright.sync_api import expect

    from newsdesk.site.ratings.models import Vote

    story = make_story("Harbour reopens after the storm")
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + story.get_absolute_url())
    summary = page.locator("#rating-summary")
    expect(summary).to_have_text("Average rating 0 / 5. Vote count: 0")
    expect(page.locator("#rating-empty")).to_be_visible()
    url = page.url

    page.get_by_label("4 stars").check()  # a radio in a labelled group, as a keyboard user does
    expect(summary).to_have_text("Average rating 4.0 / 5. Vote count: 1")
    expect(page.locator("#rating-thanks")).to_be_visible()
    expect(page.locator("#rating-empty")).to_be_hidden()
    assert page.url == url  # no reload

    page.get_by_label("1 star", exact=True).check()  # a low rating asks for feedback
    expect(summary).to_have_text("Average rating 1.0 / 5. Vote count: 1")
    box = page.get_by_label("How could we improve this article?")
    expect(box).to_be_visible()
    box.fill("Add a map of the harbour")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator("#rating-thanks")).to_have_text("Thank you for your feedback!")
    vote = Vote.objects.get(story=story)
    assert (vote.stars, vote.feedback) == (1, "Add a map of the harbour")

    page.reload()  # the live numbers and the reader's own vote come back from rating.json
    expect(page.get_by_label("1 star", exact=True)).to_be_checked()
    expect(summary).to_have_text("Average rating 1.0 / 5. Vote count: 1")
    assert not [e for e in errors if "Content Security Policy" in e]


def test_reader_without_javascript_votes_with_the_form(live_server, browser, make_story):
    from playwright.sync_api import expect

    story = make_story("Council approves the harbour plan")
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + story.get_absolute_url())
    page.get_by_label("5 stars").check()
    page.get_by_role("button", name="Rate this article").click()
    page.wait_for_url(f"**{story.get_absolute_url()}?rated=5#rating")
    expect(page.locator("#rating-summary")).to_have_text("Average rating 5.0 / 5. Vote count: 1")
    expect(page.locator("#rating-thanks")).to_be_visible()
