"""The desk's story editor: the body blocks in a rich-text editor, mapped to HTML and back
without loss, sanitised on save, and edited through the admin's real change form."""

import pytest
from test_desk_copy import _form_data

from newsdesk.article import Block
from newsdesk.site.desk.editor import body_from_html, body_html
from newsdesk.site.ingestion.demo import load_demo
from newsdesk.site.stories.body import Body
from newsdesk.site.stories.models import Story

pytestmark = pytest.mark.django_db

EVERY_KIND = Body.of(
    [
        Block("paragraph", "The council met on Monday & voted 7–2 <for> the plan."),
        Block("heading", "What comes next"),
        Block("quote", "We will rebuild the harbour.\nAnd the piers."),
        Block("list", items=("Dredging", "New piers, with  two spaces", "")),
        Block("paragraph", "  Leading spaces, a line\nbreak and a trailing space "),
        Block("paragraph", ""),
    ]
)


def test_every_kind_of_block_survives_the_editors_html():
    html = body_html(EVERY_KIND)
    assert "<h3>What comes next</h3>" in html and "&amp; voted 7–2 &lt;for&gt;" in html
    assert body_from_html(html) == EVERY_KIND


def test_every_demo_story_survives_the_editors_html():
    load_demo()
    stories = list(Story.objects.all())
    assert len(stories) >= 12
    for story in stories:
        body = Body.from_json(story.blocks)
        assert body_from_html(body_html(body)) == body, story.headline


def change(client, story):
    url = f"/admin/stories/story/{story.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    return url, _form_data(page)


def save(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""


@pytest.mark.slow  # all 89 demo stories through the admin's change form: about a minute
def test_saving_every_demo_story_unchanged_keeps_its_blocks(client, personas):
    load_demo()
    client.force_login(personas["erin"])
    for story in Story.objects.all():
        before = story.blocks
        url, data = change(client, story)
        assert "body" in data and "blocks" not in data  # the editor, not the JSON box
        save(client, url, data)
        story.refresh_from_db()
        assert story.blocks == before, story.headline


def test_saving_a_story_of_every_kind_unchanged_keeps_its_blocks(client, personas, make_story):
    story = make_story("Harbour vote")
    Story.objects.filter(pk=story.pk).update(blocks=EVERY_KIND.to_json())
    client.force_login(personas["erin"])
    url, data = change(client, story)
    save(client, url, data)
    story.refresh_from_db()
    assert story.blocks == EVERY_KIND.to_json()
    # The editor respaces what it shows; a save that only respaced changes nothing either.
    data["body"] = data["body"].replace("<p>", "<p>\n  ").replace("</li>", "</li>\n")
    save(client, url, data)
    story.refresh_from_db()
    assert story.blocks == EVERY_KIND.to_json()


def test_an_edited_paragraph_is_stored_and_the_rest_kept(client, personas, make_story):
    story = make_story("Harbour vote")
    before = Body.from_json(story.blocks)
    client.force_login(personas["erin"])
    url, data = change(client, story)
    old = "The city council met on Monday to vote on the harbour plan."
    assert old in data["body"]
    data["body"] = data["body"].replace(old, "The council met on Tuesday.")
    save(client, url, data)
    story.refresh_from_db()
    after = Body.from_json(story.blocks)
    assert after.blocks[0] == Block("paragraph", "The council met on Tuesday.")
    assert after.blocks[1:] == before.blocks[1:]
    assert "The council met on Tuesday." in client.get(story.get_absolute_url()).content.decode()


def test_the_editor_sanitises_what_it_is_sent(client, personas, make_story):
    story = make_story("Harbour vote")
    client.force_login(personas["erin"])
    url, data = change(client, story)
    data["body"] = (
        '<p onclick="steal()">Plain <strong>bold</strong> <a href="javascript:x()">link</a></p>'
        "<script>alert(1)</script><img src=x onerror=alert(2)>"
        "<h1>A heading</h1><ol><li>One</li><li><p>Two</p></li></ol>"
        "<blockquote><p>Said</p><p>twice</p></blockquote>"
    )
    save(client, url, data)
    story.refresh_from_db()
    assert story.blocks == [
        {"kind": "paragraph", "text": "Plain bold link"},
        {"kind": "heading", "text": "A heading"},
        {"kind": "list", "items": ["One", "Two"]},
        {"kind": "quote", "text": "Said\ntwice"},
    ]
    page = client.get(story.get_absolute_url()).content.decode()
    assert "alert(" not in page and "steal()" not in page


def test_the_change_form_allows_the_editors_inline_pieces_and_nothing_else(
    client, personas, make_story
):
    import base64
    import hashlib
    import re

    story = make_story("Harbour vote")
    client.force_login(personas["erin"])
    response = client.get(f"/admin/stories/story/{story.pk}/change/")
    html = response.content.decode()
    assert "django_prose_editor/editor.js" in html and "data-django-prose-editor" in html
    maps = re.findall(r'<script type="importmap"[^>]*>(.*?)</script>', html, re.DOTALL)
    assert len(maps) == 1
    digest = base64.b64encode(hashlib.sha256(maps[0].encode()).digest()).decode()
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'", f"'sha256-{digest}'"]
    # and TipTap's one stylesheet, by its hash (the browser test sees no style refused)
    style_src = next(d for d in policy.split(";") if d.strip().startswith("style-src")).split()
    # (after the reader pages' own inlined stylesheet, allowed on every page by its hash)
    from django.conf import settings

    assert style_src[:3] == ["style-src", "'self'", settings.NEWSDESK_INLINE_STYLE_CSP]
    assert len(style_src) == 4 and style_src[3].startswith("'sha256-")
    # other pages keep the plain policy: no hash but the reader pages' stylesheet's
    home = client.get("/admin/")["Content-Security-Policy"]
    assert "sha256" not in home.replace(settings.NEWSDESK_INLINE_STYLE_CSP, "")
