"""The desk in real Chromium: walt pastes copy, edits a bullet, submits; erin publishes it."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COPY = """Harbour council approves new piers after long debate

TALLINN, ESTONIA (AP) — The city council voted on Monday to rebuild the old harbour with three new piers. The plan will cost 40 million euros over five years. Mayor Anna Kask said the vote ended a decade of delays. Fishermen welcomed the decision but asked for lower berth fees.

Opposition members argued that the budget leaves no room for schools. The port authority expects dredging to start in the spring. Ferry services will continue during the works, the authority said.
"""
HEADLINE = "Harbour council approves new piers after long debate"
EDITED = "Council backs three new piers after a decade of delays."


def _login(browser, base, name):
    page = browser.new_context().new_page()
    page.goto(base + "/admin/login/")
    page.locator("#id_username").fill(name)
    page.locator("#id_password").fill("pw")
    page.locator("input[type=submit]").click()
    page.locator("#user-tools").wait_for()
    return page


def test_walt_writes_from_copy_and_erin_publishes(live_server, browser, personas):
    from playwright.sync_api import expect

    from newsdesk.site.stories.models import Story

    for name in ("walt", "erin"):
        personas[name].set_password("pw")
        personas[name].save()
    base = live_server.url
    walt = _login(browser, base, "walt")
    walt.goto(base + "/admin/stories/story/")
    walt.locator("#new-from-copy").click()
    walt.locator("#id_copy").fill(COPY)
    walt.locator("#create-draft").click()
    expect(walt.locator("#story-status")).to_have_text("Draft")
    # Each bullet sits beside its source sentence; walt rewrites the first one. The lead
    # sentence ("The city council voted on Monday…") alone is the dek, so no bullet repeats it
    # and the first bullet comes from the sentence after it.
    first_row = walt.locator("#bullets-0")
    expect(first_row.locator("td.field-sources")).to_contain_text(
        "The plan will cost 40 million euros over five years."
    )
    expect(first_row.locator("td.field-sources")).not_to_contain_text("The city council voted")
    first_row.locator("input[name=bullets-0-text]").fill(EDITED)
    walt.locator("input[name=_continue]").click()
    expect(walt.locator("ul.messagelist")).to_contain_text("was changed successfully")
    walt.locator("#step-submit").click()
    expect(walt.locator("#story-status")).to_have_text("In review")
    expect(walt.locator("#step-publish")).to_have_count(0)

    erin = _login(browser, base, "erin")
    erin.goto(base + "/admin/stories/story/?status__exact=review")
    erin.get_by_role("link", name=HEADLINE).click()
    expect(erin.locator("input[name=bullets-0-text]")).to_have_value(EDITED)
    erin.locator("#step-publish").click()
    expect(erin.locator("#story-status")).to_have_text("Published")

    story = Story.objects.get(headline=HEADLINE)
    reader = browser.new_context().new_page()
    reader.goto(base + "/")
    reader.get_by_role("link", name=HEADLINE).first.click()
    reader.wait_for_url(re.compile(re.escape(story.get_absolute_url()) + "$"))
    expect(reader.locator("#quick-looks")).to_contain_text(EDITED)
    reader.goto(base + story.edition.get_absolute_url())
    expect(
        reader.locator("main, body").first.get_by_role("link", name=HEADLINE).first
    ).to_be_visible()
