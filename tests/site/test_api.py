"""The JSON API under /api/: read endpoints, token-authenticated writes, its OpenAPI schema."""

import json
import os

import pytest
from django.contrib.auth.models import Permission, User
from hypothesis import HealthCheck, settings

from newsdesk.site.api.models import Token, digest
from newsdesk.site.stories.models import Story

ARTICLE = {
    "headline": "Dock strike ends after ten days",
    "sections": ["Business", "World"],
    "author": "J. Mansour",
    "published": "2025-06-01T07:30:00+00:00",
    "summary": "Dock workers return on Monday.",
    "captions": [{"text": "Cranes at dawn.", "credit": "AP Photo/ Jane Doe"}],
    "quick_looks": {
        "title": "Dock strike: Quick Looks",
        "bullets": ["Workers return Monday.", "Pay rises 5%."],
    },
    "deep_look": {
        "title": "Deep Look: the strike",
        "dateline": "ROTTERDAM",
        "blocks": [
            {"kind": "paragraph", "text": "The dock strike ended on Friday after ten days."},
            {"kind": "heading", "text": "What changes"},
            {"kind": "list", "items": ["Higher pay", "Shorter shifts"]},
        ],
    },
    "source_url": "https://example.org/dock-strike",
}


@pytest.fixture
def token(db):
    """A token of an editor allowed to add and publish stories."""
    user = User.objects.create_user("wire", "w@example.org", "pw")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="stories", codename__in=["add_story", "publish_story"]
        )
    )
    return Token.issue(user, "wire feed")[1]


def post(client, url, data, token=None, content_type="application/json"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    body = (
        json.dumps(data)
        if content_type == "application/json" and not isinstance(data, bytes | str)
        else data
    )
    return client.post(url, body, content_type=content_type, **headers)


# --- Read ---------------------------------------------------------------------------------------


def test_stories_list_is_paginated_and_filters_by_section(client, make_story):
    for _ in range(3):
        make_story(sections=("World",))
    make_story(sections=("Business",))
    make_story(sections=("Business",), publish=False)
    data = client.get("/api/stories", {"page_size": 2}).json()
    assert data["count"] == 4 and data["pages"] == 2 and len(data["results"]) == 2
    assert data["results"][0]["url"].startswith("http://testserver/story/")
    assert len(client.get("/api/stories", {"page_size": 2, "page": 2}).json()["results"]) == 2
    business = client.get("/api/stories", {"section": "business"}).json()
    assert business["count"] == 1
    assert client.get("/api/stories", {"section": "nope"}).status_code == 404
    assert client.get("/api/stories", {"page": 99}).status_code == 404
    assert client.get("/api/stories", {"page": 0}).status_code == 422
    assert client.get("/api/stories", {"page_size": 1000}).status_code == 422


def test_story_detail_has_bullets_captions_and_blocks(client, make_story):
    story = make_story(sections=("World", "Business"))
    data = client.get(f"/api/stories/{story.slug}").json()
    assert data["headline"] == story.headline
    assert [s["slug"] for s in data["sections"]] == ["world", "business"]
    assert [b["text"] for b in data["quick_looks"]["bullets"]] == ["First point", "Second point"]
    assert data["captions"][0]["credit"] == "AP Photo/ Jane Doe"
    assert data["deep_look"]["blocks"][3] == {
        "kind": "list",
        "text": "",
        "items": ["Dredging", "New piers"],
    }
    assert data["edition"]["period"] in {"morning", "evening"}
    draft = make_story(publish=False)
    assert client.get(f"/api/stories/{draft.slug}").status_code == 404
    assert (
        client.get("/api/stories/no-such-story").json()["detail"].startswith("No published story")
    )


def test_sections_and_editions(client, make_story):
    first = make_story(sections=("World",))
    second = make_story(sections=("Science",))
    assert [s["name"] for s in client.get("/api/sections").json()] == ["Science", "World"]
    editions = client.get("/api/editions").json()
    assert editions["count"] == 1
    edition = editions["results"][0]
    detail = client.get(f"/api/editions/{edition['date']}/{edition['period']}").json()
    assert [s["slug"] for s in detail["stories"]] == [first.slug, second.slug]
    assert client.get("/api/editions/2001-01-01/morning").status_code == 404
    assert client.get("/api/editions/2001-01-01/noon").status_code == 422
    assert client.get("/api/editions/not-a-date/morning").status_code == 422


def test_search_endpoint(client, make_story):
    make_story("Harbour council approves dredging")
    make_story("Election night", publish=False)
    data = client.get("/api/search", {"q": "dredging"}).json()
    assert data["count"] == 1
    assert data["results"][0]["headline_html"] == "Harbour council approves <mark>dredging</mark>"
    assert client.get("/api/search", {"q": "election"}).json()["count"] == 0
    assert client.get("/api/search", {"q": '"AND( *'}).status_code == 200
    assert client.get("/api/search").status_code == 422


# --- Write --------------------------------------------------------------------------------------


def test_create_story_from_article_json(client, token):
    response = post(client, "/api/stories", ARTICLE, token)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["outcome"] == "ingested"
    story = Story.objects.get(slug=data["story"]["slug"])
    assert story.status == Story.PUBLISHED and story.author == "J. Mansour"
    assert list(story.bullets.values_list("text", flat=True)) == [
        "Workers return Monday.",
        "Pay rises 5%.",
    ]
    assert client.get(f"/api/stories/{story.slug}").status_code == 200
    assert client.get("/api/search", {"q": "rotterdam strike"}).json()["count"] in (0, 1)
    assert client.get("/api/search", {"q": "shifts"}).json()["count"] == 1
    again = post(client, "/api/stories", ARTICLE, token)
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    assert Story.objects.count() == 1


def test_create_draft(client, token):
    response = client.post(
        "/api/stories?publish=false",
        json.dumps(ARTICLE),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201
    assert response.json()["story"]["status"] == "draft"
    assert client.get("/api/search", {"q": "dock"}).json()["count"] == 0


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Token abc", "Bearer "])
def test_writes_need_a_valid_token(client, token, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(
        "/api/stories", json.dumps(ARTICLE), content_type="application/json", **extra
    )
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"] and response["WWW-Authenticate"].startswith(
        "Bearer"
    )
    assert (
        client.post("/api/documents", b"text", content_type="text/plain", **extra).status_code
        == 401
    )
    assert Story.objects.count() == 0


def test_revoked_token_and_inactive_user_are_refused(client, token):
    Token.objects.update(active=False)
    assert post(client, "/api/stories", ARTICLE, token).status_code == 401
    Token.objects.update(active=True)
    User.objects.update(is_active=False)
    assert post(client, "/api/stories", ARTICLE, token).status_code == 401


def test_only_a_hash_of_the_token_is_stored(token):
    row = Token.objects.get()
    assert row.key_hash == digest(token) and token not in (row.key_hash, row.prefix)
    assert token.startswith(row.prefix)


def test_permissions(client, db):
    reader = User.objects.create_user("reader")
    raw = Token.issue(reader)[1]
    response = post(client, "/api/stories", ARTICLE, raw)
    assert response.status_code == 403 and "may not add stories" in response.json()["detail"]
    reader.user_permissions.add(Permission.objects.get(codename="add_story"))
    response = post(client, "/api/stories", ARTICLE, raw)
    assert response.status_code == 403 and "publish=false" in response.json()["detail"]
    assert (
        client.post(
            "/api/stories?publish=false",
            json.dumps(ARTICLE),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        ).status_code
        == 201
    )


@pytest.mark.parametrize(
    "body, status, names",
    [
        ({**ARTICLE, "deep_look": {"blocks": [{"kind": "poem", "text": "x"}]}}, 422, "kind"),
        ({**ARTICLE, "published": "yesterday"}, 422, "published"),
        ({**ARTICLE, "headline": "x" * 301}, 422, "headline"),
        ({**ARTICLE, "sections": "World"}, 422, "sections"),
        ({"summary": "no headline, no body"}, 400, "neither a headline nor a body"),
        ("{not json", 400, ""),
        ([1, 2], 400, "must be an object"),
    ],
)
def test_bad_article_is_refused_and_nothing_stored(client, token, body, status, names):
    data = body if isinstance(body, str) else json.dumps(body)
    response = client.post(
        "/api/stories", data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == status, response.content
    assert names in json.dumps(response.json())
    assert Story.objects.count() == 0


def test_nul_characters_and_naive_dates_are_stored_safely(client, token):
    article = {**ARTICLE, "headline": "Nul\u0000 byte story", "published": "2025-06-01T07:30:00"}
    response = post(client, "/api/stories", article, token)
    assert response.status_code == 201
    story = Story.objects.get()
    assert story.headline == "Nul byte story" and story.published_at.tzinfo is not None


FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Bridge opens to traffic</title><link>https://example.org/bridge</link>
<description>The new bridge opened on Monday. Commuters crossed it in the morning.
Traffic eased.</description>
<pubDate>Mon, 02 Jun 2025 08:00:00 GMT</pubDate></item>
<item><title>Library extends hours</title><link>https://example.org/library</link>
<description>The city library will stay open late. Students asked for it.
The council agreed.</description>
<pubDate>Mon, 02 Jun 2025 09:00:00 GMT</pubDate></item>
</channel></rss>"""


def test_ingest_documents_text_and_feed(client, token):
    text = (
        b"Port reopens\n\nThe port reopened on Tuesday after repairs. Ships were waiting outside."
    )
    response = post(client, "/api/documents?format=text", text, token, content_type="text/plain")
    assert response.status_code == 201, response.content
    assert response.json()["stories"][0]["story"]["headline"] == "Port reopens"
    response = post(client, "/api/documents", FEED, token, content_type="application/rss+xml")
    assert response.status_code == 201, response.content
    assert [s["story"]["headline"] for s in response.json()["stories"]] == [
        "Bridge opens to traffic",
        "Library extends hours",
    ]
    assert Story.objects.count() == 3
    assert client.get("/api/search", {"q": "library"}).json()["count"] == 1


@pytest.mark.parametrize(
    "url, body, detail",
    [
        ("/api/documents", b"", "empty"),
        ("/api/documents?format=feed", b"<rss>nope", "no stories"),
        ("/api/documents?format=json", b"{bad json", "Cannot use the document"),
        ("/api/documents?url=javascript:alert(1)", b"Some text here.", "not an http(s) URL"),
    ],
)
def test_bad_documents_are_refused(client, token, url, body, detail):
    response = post(client, url, body, token, content_type="text/plain")
    assert response.status_code == 400, response.content
    assert detail in response.json()["detail"]
    assert Story.objects.count() == 0
    assert (
        post(
            client, "/api/documents?format=pdf", b"x", token, content_type="text/plain"
        ).status_code
        == 422
    )


def test_cli_token_create(db, capsys):
    from newsdesk.cli import main

    User.objects.create_user("desk")
    assert main(["token", "create", "desk", "--name", "bot"]) == 0
    raw = capsys.readouterr().out.strip()
    assert Token.user_for(raw).username == "desk"
    assert main(["token", "create", "nobody"]) == 2
    assert "no user 'nobody'" in capsys.readouterr().err


def test_openapi_schema_and_docs_are_served(client, db):
    schema = client.get("/api/openapi.json").json()
    assert {
        "/api/stories",
        "/api/stories/{slug}",
        "/api/sections",
        "/api/editions",
        "/api/editions/{day}/{period}",
        "/api/search",
        "/api/documents",
    } <= set(schema["paths"])
    assert schema["paths"]["/api/stories"]["post"]["security"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"/static/ninja/swagger-ui-bundle.js" in docs.content
    assert b"cdn." not in docs.content  # no internet needed


# --- Schemathesis: the served schema, fuzzed in-process ----------------------------------------


def _schema():
    import schemathesis
    from django.core.handlers.wsgi import WSGIHandler

    return schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


schema = _schema()


@pytest.fixture
def in_test_transaction():
    """Requests served straight by the WSGI handler keep the test's database connection.

    (Django's own test client does the same: a finished request would otherwise close a
    connection that is inside the test's transaction.)
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=not os.environ.get("API_FUZZ_EXAMPLES"),
    suppress_health_check=list(HealthCheck),
)
def test_api_fuzzed_against_its_schema_finds_no_server_error(
    case, token, make_story, in_test_transaction
):
    from schemathesis.checks import not_a_server_error

    if not Story.objects.exists():
        make_story("Harbour council approves dredging")
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error]
    )
    if os.environ.get("API_FUZZ_LOG"):
        with open(os.environ["API_FUZZ_LOG"], "a") as log:
            log.write(f"{case.method} {case.path} {response.status_code}\n")


def test_admin_issues_a_token_and_shows_it_once(client, db):
    boss = User.objects.create_superuser("boss", "b@example.org", "pw")
    client.force_login(boss)
    response = client.post(
        "/admin/api/token/add/", {"user": boss.pk, "name": "feed bot", "active": "on"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    raw = next(m.split("token is ")[1].split(" ")[0] for m in shown if "token is" in m)
    assert Token.user_for(raw) == boss
    assert Token.objects.get().name == "feed bot"
    assert client.get("/admin/api/token/").status_code == 200


def test_oversized_document_is_refused_with_the_one_upload_message(client, token, settings):
    settings.NEWSDESK_MAX_UPLOAD_BYTES = 1000
    response = post(client, "/api/documents", b"x " * 1000, token, content_type="text/plain")
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "The document is 2,000 bytes, over the upload limit of 1,000 bytes "
        "(NEWSDESK_MAX_UPLOAD_BYTES)."
    )
    assert Story.objects.count() == 0


def test_an_exact_duplicate_document_is_answered_200_with_the_stored_story(client, token):
    body = (
        b"Port votes to rebuild harbour wall\n\n"
        b"The port authority voted on Monday to rebuild the old north harbour wall, ending a "
        b"dispute that has run for more than a decade between fishermen and the city council.\n\n"
        b"Engineers said the wall could fail in a strong winter storm, and that repairs would "
        b"take three years and cost the city forty million euros."
    )
    first = post(client, "/api/documents", body, token, content_type="text/plain")
    second = post(client, "/api/documents", body, token, content_type="text/plain")
    assert first.status_code == 201, first.content
    assert second.status_code == 200, second.content
    (stored,) = second.json()["stories"]
    assert stored["outcome"] == "duplicate"
    assert stored["story"]["slug"] == first.json()["stories"][0]["story"]["slug"]
    assert Story.objects.count() == 1
