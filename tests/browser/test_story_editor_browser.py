"""The story editor in real Chromium: erin edits a paragraph of the body and saves it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "The city council met on Monday to vote on the harbour plan."


def test_erin_edits_a_paragraph_in_the_editor_and_saves(live_server, browser, personas, make_story):
    from playwright.sync_api import expect

    from newsdesk.site.stories.body import Body
    from newsdesk.site.stories.models import Story

    story = make_story("Harbour vote")
    before = Body.from_json(story.blocks)
    assert before.blocks[0].text == FIRST
    personas["erin"].set_password("pw")
    personas["erin"].save()
    base = live_server.url
    page = browser.new_context().new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    failed = []  # the admin links no favicon: the browser's own guess at one may 404
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )
    page.goto(base + "/admin/login/")
    page.locator("#id_username").fill("erin")
    page.locator("#id_password").fill("pw")
    page.locator("input[type=submit]").click()
    page.locator("#user-tools").wait_for()

    page.goto(f"{base}/admin/stories/story/{story.pk}/change/")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    expect(editor).to_be_visible()
    # The body shows as text, subhead, quote and list, not as JSON.
    expect(editor.locator("h3")).to_have_text("What comes next")
    expect(editor.locator("blockquote")).to_contain_text("We will rebuild the harbour.")
    expect(editor.locator("ul li")).to_have_count(2)
    expect(page.locator("textarea[name=blocks]")).to_have_count(0)

    paragraph = editor.locator("> p").first
    paragraph.click()
    page.keyboard.press("End")
    page.keyboard.type(" Fishermen cheered.")
    page.locator("input[name=_continue]").click()
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    expect(editor.locator("> p").first).to_have_text(FIRST + " Fishermen cheered.")

    after = Body.from_json(Story.objects.get(pk=story.pk).blocks)
    assert after.blocks[0].text == FIRST + " Fishermen cheered."
    assert after.blocks[1:] == before.blocks[1:]
    problems = [p for p in problems if not p.startswith("Failed to load resource")]
    assert not problems, problems  # nothing refused by the CSP, no script error
    assert not failed, failed
