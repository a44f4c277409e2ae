"""A story's body is read one way by every reader: page, API, search index and revisions.

The body column is JSON an editor can rewrite in the admin, so it may hold entries no
parser produced (an unknown kind, a bare string). Each reader shows the same blocks.
"""

import json

import pytest
from django.urls import reverse
from test_desk_copy import _form_data

from newsdesk.site.desk.revisions import timeline
from newsdesk.site.search.index import search
from newsdesk.site.stories.models import Story

pytestmark = pytest.mark.django_db

EDITED = [
    {"kind": "paragraph", "text": "The harbour board met on Tuesday."},
    {"kind": "aside", "text": "Dredging starts after the herring season."},  # not a kind
    "a stray string the admin's JSON box accepted",
    {"kind": "list", "items": ["Dredging", "Three piers"]},
    {"text": "A block with no kind about the lighthouse."},
]


@pytest.fixture
def edited(client, make_story, personas):
    """A published story whose body erin rewrote through the admin's change form."""
    story = make_story("Harbour board approves dredging")
    client.force_login(personas["erin"])
    url = reverse("admin:stories_story_change", args=[story.pk])
    data = _form_data(client.get(url))
    data["blocks"] = json.dumps(EDITED)
    assert client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.blocks == EDITED  # stored as typed: nothing the editor wrote is lost
    return story


def test_every_reader_sees_the_same_blocks(client, edited):
    kinds = [(b.kind, b.text, b.items) for b in edited.body_blocks()]
    assert kinds == [
        ("paragraph", "The harbour board met on Tuesday.", ()),
        ("paragraph", "Dredging starts after the herring season.", ()),
        ("list", "", ("Dredging", "Three piers")),
        ("paragraph", "A block with no kind about the lighthouse.", ()),
    ]
    api = client.get(f"/api/stories/{edited.slug}").json()["deep_look"]["blocks"]
    assert [(b["kind"], b["text"], tuple(b["items"])) for b in api] == kinds

    page = client.get(edited.get_absolute_url()).content.decode()
    assert "<p>Dredging starts after the herring season.</p>" in page
    assert "<li>Three piers</li>" in page
    assert "lighthouse" in page and "stray string" not in page

    for word in ("herring", "lighthouse", "piers"):
        assert [s.headline for s in search(word)[0:5]] == [edited.headline], word

    (newest, lines), _ = timeline(edited)
    assert "+Dredging starts after the herring season." in lines
    assert "+Three piers" in lines
    assert edited.body_text() == (
        "The harbour board met on Tuesday.\n\nDredging starts after the herring season.\n\n"
        "Dredging\nThree piers\n\nA block with no kind about the lighthouse."
    )


def test_ingested_body_round_trips_through_the_column(make_story):
    story = Story.objects.get(pk=make_story().pk)
    assert [b.kind for b in story.body_blocks()] == ["paragraph", "heading", "quote", "list"]
    assert story.body_blocks().to_json() == story.blocks
