"""Authors as people: bylines link the newsroom's authors, wire bylines stay plain text, and
each author has a page and feeds. Stories arrive through the API and CLI, as they do for real."""

import json
from html.parser import HTMLParser

import feedparser
import pytest
from django.contrib.auth.models import Group, User

from newsdesk.site.api.models import Token
from newsdesk.site.stories.bylines import byline_pieces, names_in
from newsdesk.site.stories.models import Author, Story

pytestmark = pytest.mark.django_db

BODY = [
    {"kind": "paragraph", "text": "Dock workers walked out at dawn on Monday over pay."},
    {"kind": "paragraph", "text": "The union said the strike would last until talks resume."},
    {"kind": "quote", "text": "We are not going back until the offer changes."},
]


def article(headline, author, url):
    return {
        "headline": headline,
        "author": author,
        "summary": f"{headline}: the summary.",
        "published": "2025-05-02T08:00:00Z",
        "deep_look": {"title": None, "dateline": "ROTTERDAM", "blocks": BODY},
        "source_url": url,
    }


@pytest.fixture
def jane(db):
    """A staff writer with an author profile."""
    user = User.objects.create_user("jane", "jane@example.org", None, is_staff=True)
    return Author.objects.create(
        name="Jane Doe",
        slug="jane-doe",
        bio="Jane covers ports and shipping.",
        links="https://example.org/jane\nhttps://social.example/@jane",
        user=user,
    )


@pytest.fixture
def token(db):
    """An Editor's token: editors may publish, and update published stories."""
    from newsdesk.site.desk.roles import EDITOR, ensure_roles

    ensure_roles()
    user = User.objects.create_user("wire", "w@example.org", None, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return Token.issue(user, "wire feed")[1]


def send(client, token, data):
    response = client.post(
        "/api/stories",
        json.dumps(data),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code in (200, 201), response.content
    return response.json()


class Links(HTMLParser):
    """The links inside the story's byline, and the JSON-LD."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.byline_links: list[tuple[str, str]] = []
        self.byline_text = ""
        self._href = None
        self._script = None
        self.json_ld = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "byline-author":
            self.depth = 1
        elif self.depth and tag == "span":
            self.depth += 1
        if self.depth and tag == "a":
            self._href = attrs["href"]
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._script = ""

    def handle_endtag(self, tag):
        if self.depth and tag == "span":
            self.depth -= 1
        if tag == "script" and self._script is not None:
            self.json_ld.append(json.loads(self._script))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script += data
        if self.depth:
            self.byline_text += data
            if self._href:
                self.byline_links.append((self._href, data))
                self._href = None


def listing(page: str) -> str:
    """The page's list of stories (not the Latest News beside it)."""
    start = page.index('id="listing"')
    return page[start : page.index("</ol>", start)]


def story_page(client, slug):
    response = client.get(f"/story/{slug}/")
    assert response.status_code == 200
    page = Links()
    page.feed(response.content.decode())
    return page


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jane Doe and Associated Press", ["Jane Doe", "Associated Press"]),
        ("Jane Doe, Max Roe & AP", ["Jane Doe", "Max Roe", "AP"]),
        ("by  Ann Anderson", ["Ann Anderson"]),  # "and" inside a name is no separator
        ("", []),
    ],
)
def test_names_in_a_byline(byline, names):
    assert names_in(byline) == names


def test_a_staff_authors_byline_links_to_their_page_and_wire_names_stay_text(client, token, jane):
    sent = send(
        client,
        token,
        article(
            "Dock strike shuts the port",
            "By jane  doe and Associated Press",
            "https://example.org/a",
        ),
    )
    story = sent["story"]
    assert story["author"] == "By jane  doe and Associated Press"  # the byline as written
    assert story["authors"] == [
        {"name": "Jane Doe", "slug": "jane-doe", "url": "http://testserver/authors/jane-doe/"}
    ]
    page = story_page(client, story["slug"])
    assert page.byline_links == [("/authors/jane-doe/", "jane  doe")]
    assert " ".join(page.byline_text.split()) == "By jane doe and Associated Press"
    (ld,) = page.json_ld
    assert ld["author"] == [
        {"@type": "Person", "name": "jane  doe", "url": "http://testserver/authors/jane-doe/"},
        {"@type": "Person", "name": "Associated Press"},
    ]


def test_a_wire_byline_stays_plain_text(client, token, jane):
    sent = send(client, token, article("Port reopens", "Associated Press", "https://example.org/b"))
    assert sent["story"]["authors"] == []
    page = story_page(client, sent["story"]["slug"])
    assert page.byline_links == [] and page.byline_text.strip() == "By Associated Press"
    assert page.json_ld[0]["author"] == [{"@type": "Person", "name": "Associated Press"}]


def test_a_newer_version_links_an_author_added_since(client, token):
    first = send(client, token, article("Port talks", "Max Roe", "https://example.org/c"))
    assert first["story"]["authors"] == []
    Author.objects.create(name="Max Roe", slug="max-roe")
    newer = article("Port talks resume", "Max Roe", "https://example.org/c")
    newer["published"] = "2025-05-02T10:00:00Z"
    again = send(client, token, newer)
    assert again["outcome"] == "updated"
    assert [a["slug"] for a in again["story"]["authors"]] == ["max-roe"]


def test_cli_ingest_links_a_wire_texts_byline(tmp_path, jane, capsys):
    from newsdesk.cli import main

    wire = tmp_path / "wire.txt"
    wire.write_text(
        "Harbour cranes stand idle\n\nBy JANE DOE\n\nROTTERDAM (AP) — Cranes stood idle at the "
        "harbour on Tuesday as the strike went into a second day.\n\n"
        "Shipping lines said they would send vessels to other ports.\n",
        encoding="utf-8",
    )
    assert main(["ingest", str(wire)]) == 0
    story = Story.objects.get()
    assert story.author == "JANE DOE" and list(story.authors.all()) == [jane]


def test_author_page_lists_their_stories_paginates_and_shows_the_profile(
    client, token, jane, settings
):
    settings.NEWSDESK_PAGE_SIZE = 2
    for n in range(3):
        send(client, token, article(f"Port story {n}", "Jane Doe", f"https://example.org/p{n}"))
    send(client, token, article("A wire story", "Associated Press", "https://example.org/w"))
    page = client.get("/authors/jane-doe/").content.decode()
    first = listing(page)
    assert "<h1>Jane Doe</h1>" in page and "Jane covers ports and shipping." in page
    assert 'href="https://social.example/@jane"' in page and "Page 1 of 2" in page
    assert "Port story 2" in first and "Port story 1" in first and "Port story 0" not in first
    assert "A wire story" not in first
    second = listing(client.get("/authors/jane-doe/?page=2").content.decode())
    assert "Port story 0" in second
    assert client.get("/authors/jane-doe/?page=3").status_code == 404
    assert client.get("/authors/nobody/").status_code == 404


def test_author_pages_hide_drafts(client, token, jane):
    client.post(
        "/api/stories?publish=false",
        json.dumps(article("A draft by Jane", "Jane Doe", "https://example.org/d")),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert Story.objects.get().authors.get() == jane
    assert "A draft by Jane" not in client.get("/authors/jane-doe/").content.decode()


@pytest.mark.parametrize("fmt", ["rss.xml", "atom.xml"])
def test_author_feed_holds_their_stories_only(client, token, jane, fmt):
    send(client, token, article("Cranes idle", "Jane Doe", "https://example.org/f1"))
    send(client, token, article("Wire: port news", "Associated Press", "https://example.org/f2"))
    page = client.get("/authors/jane-doe/").content.decode()
    assert f'href="http://testserver/authors/jane-doe/{fmt}"' in page  # advertised on the page
    response = client.get(f"/authors/jane-doe/{fmt}")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title.startswith("Jane Doe")
    assert [e.title for e in feed.entries] == ["Cranes idle"]
    if fmt == "atom.xml":
        assert feed.entries[0].author_detail.href == "http://testserver/authors/jane-doe/"
    assert client.get(f"/authors/nobody/{fmt}").status_code == 404


def test_byline_pieces_without_byline_text_name_the_authors(jane):
    story = Story(headline="x", slug="x")
    story.save()
    max_roe = Author.objects.create(name="Max Roe", slug="max-roe")
    story.authors.add(jane, through_defaults={"order": 0})
    story.authors.add(max_roe, through_defaults={"order": 1})
    text = "".join(p.text for p in byline_pieces(story))
    assert text in ("Jane Doe and Max Roe", "Max Roe and Jane Doe")


def test_author_links_must_be_web_addresses(jane):
    from django.core.exceptions import ValidationError

    jane.links = "https://example.org/jane\njavascript:alert(1)"
    with pytest.raises(ValidationError, match="javascript"):
        jane.full_clean()


# --- the desk ---------------------------------------------------------------------------------


def test_editing_the_byline_in_the_desk_links_the_author(client, personas, make_story, jane):
    from test_desk_copy import _form_data

    story = make_story("Harbour vote", author="Associated Press")
    assert list(story.authors.all()) == []
    client.force_login(personas["erin"])
    url = f"/admin/stories/story/{story.pk}/change/"
    data = _form_data(client.get(url))
    data["author"] = "Jane Doe and Associated Press"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert list(story.authors.all()) == [jane]
    page = story_page(client, story.slug)
    assert page.byline_links == [("/authors/jane-doe/", "Jane Doe")]


def test_an_author_added_by_hand_in_the_desk_stays(client, personas, make_story, jane):
    from test_desk_copy import _form_data

    story = make_story("Ferry timetable", author="Staff")
    client.force_login(personas["erin"])
    url = f"/admin/stories/story/{story.pk}/change/"
    data = _form_data(client.get(url))
    data["author"] = "Staff writer"
    n = int(data["storyauthor_set-TOTAL_FORMS"])
    data["storyauthor_set-TOTAL_FORMS"] = str(n + 1)
    data[f"storyauthor_set-{n}-author"] = str(jane.pk)
    data[f"storyauthor_set-{n}-order"] = "0"
    data[f"storyauthor_set-{n}-story"] = str(story.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert list(story.authors.all()) == [jane]
    # No byline name is Jane's: the page names her as a linked author by the byline text only.
    assert story_page(client, story.slug).byline_links == []


@pytest.mark.parametrize(("who", "status"), [("erin", 302), ("walt", 403), ("rita", 302)])
def test_only_editors_add_authors_in_the_desk(client, personas, who, status):
    client.force_login(personas[who])
    response = client.post(
        "/admin/stories/author/add/",
        {"name": "Max Roe", "slug": "max-roe", "bio": "", "photo_url": "", "links": "", "user": ""},
    )
    assert response.status_code == status
    stored = Author.objects.filter(slug="max-roe").exists()
    assert stored == (who == "erin")  # rita (not staff) is sent to the login page


def test_author_pages_are_in_the_sitemap_once_they_have_a_published_story(client, token, jane):
    Author.objects.create(name="Max Roe", slug="max-roe")  # nothing published yet
    send(client, token, article("Cranes idle", "Jane Doe", "https://example.org/s1"))
    body = client.get("/sitemap-authors.xml").content.decode()
    assert "<loc>http://testserver/authors/jane-doe/</loc>" in body
    assert "max-roe" not in body


def test_a_newer_version_keeps_authors_the_desk_set_by_hand(client, token, jane):
    first = send(client, token, article("Ferry strike", "Staff", "https://example.org/h"))
    story = Story.objects.get(slug=first["story"]["slug"])
    story.authors.add(jane, through_defaults={"order": 0})  # the desk knows who "Staff" is
    newer = article("Ferry strike ends", "Staff", "https://example.org/h")
    newer["published"] = "2025-05-02T11:00:00Z"
    assert send(client, token, newer)["outcome"] == "updated"
    assert list(story.authors.all()) == [jane]
    newer["author"], newer["published"] = "Associated Press", "2025-05-02T12:00:00Z"
    newer["headline"] = "Ferry strike ends after talks"
    assert send(client, token, newer)["outcome"] == "updated"
    assert list(story.authors.all()) == []  # a new byline: its own names, here none
