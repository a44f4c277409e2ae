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


def _overlap(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("width", [1280, 800])
def test_workflow_buttons_do_not_cover_the_title(live_server, browser, personas, make_story, width):
    story = make_story(
        "Harbour council approves three new piers after a decade of delays and protests",
        publish=False,
    )
    story.published_at = story.published_at.replace(year=2099)  # a Schedule button too
    story.save()
    personas["erin"].set_password("pw")
    personas["erin"].save()
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("erin")
    page.locator("#id_password").fill("pw")
    page.locator("input[type=submit]").click()
    page.locator("#user-tools").wait_for()
    page.goto(f"{live_server.url}/admin/stories/story/{story.pk}/change/")
    titles = [
        page.locator("#content > h1").bounding_box(),
        page.locator("#content > h2").bounding_box(),
    ]
    tools = page.locator(".object-tools > li")
    assert tools.count() >= 5  # status, submit, publish, schedule, revisions
    for i in range(tools.count()):
        box = tools.nth(i).bounding_box()
        for title in titles:
            assert not _overlap(box, title), (i, box, title)
