"""The full-page cache: served from memory, and never staler than a publish, edit or vote."""

import gzip
from wsgiref.util import setup_testing_defaults

import pytest

from newsdesk.site import pagecache


@pytest.fixture
def cached_site(tmp_path):
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    store = pagecache.SqliteVersions(tmp_path / "versions.sqlite3")
    pagecache._versions = store  # what bump() writes to, for this test
    # As Django's test client does: keep the test's connection (and transaction) open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield pagecache.PageCache(get_wsgi_application(), store=lambda: store), store
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    pagecache._versions = None


def get(app, path, method="GET", **headers):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "HTTP_HOST": "127.0.0.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
    }
    environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(response_headers)

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


def test_a_page_is_rendered_once_then_served_from_memory(cached_site, make_story):
    app, _ = cached_site
    story = make_story("Harbour reopens after the storm")
    status, headers, body = get(app, story.get_absolute_url())
    assert status.startswith("200") and headers["X-Cache"] == "miss"
    assert b"Harbour reopens after the storm" in body
    status, headers, again = get(app, story.get_absolute_url())
    assert headers["X-Cache"] == "hit" and again == body
    assert headers["ETag"] and "must-revalidate" in headers["Cache-Control"]


def test_an_edit_makes_the_next_request_render_afresh(
    cached_site, make_story, django_capture_on_commit_callbacks
):
    app, _ = cached_site
    story = make_story("Council votes on the harbour")
    get(app, story.get_absolute_url())
    get(app, "/")
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Council approves the harbour plan"
        story.save()
    status, headers, body = get(app, story.get_absolute_url())
    assert headers["X-Cache"] == "miss" and b"Council approves the harbour plan" in body
    _, headers, home = get(app, "/")
    assert headers["X-Cache"] == "miss" and b"Council approves the harbour plan" in home


def test_a_vote_bump_invalidates_only_that_story(cached_site, make_story):
    app, store = cached_site
    one, two = make_story("First story"), make_story("Second story")
    for s in (one, two):
        get(app, s.get_absolute_url())
    store.bump(pagecache.story_key(one.slug))
    assert get(app, one.get_absolute_url())[1]["X-Cache"] == "miss"
    assert get(app, two.get_absolute_url())[1]["X-Cache"] == "hit"


def test_conditional_get_and_gzip(cached_site, make_story):
    app, _ = cached_site
    url = make_story().get_absolute_url()
    _, headers, body = get(app, url)
    status, _, empty = get(app, url, if_none_match=headers["ETag"])
    assert status.startswith("304") and empty == b""
    assert get(app, url, if_modified_since=headers["Last-Modified"])[0].startswith("304")
    assert get(app, url, if_none_match='"other"')[0].startswith("200")
    _, zipped_headers, zipped = get(app, url, accept_encoding="gzip, br")
    assert zipped_headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped) == body
    assert zipped_headers["Content-Length"] == str(len(zipped))


def test_editors_writes_and_errors_are_never_cached(cached_site, make_story):
    app, _ = cached_site
    url = make_story().get_absolute_url()
    assert "X-Cache" not in get(app, url, cookie="sessionid=abc")[1]
    assert "X-Cache" not in get(app, url, method="POST")[1]
    assert "X-Cache" not in get(app, "/admin/login/")[1]
    for _ in range(2):
        status, headers, _ = get(app, "/story/no-such-story/")
        assert status.startswith("404") and "X-Cache" not in headers


def test_versions_are_shared_between_store_instances(tmp_path):
    """Two processes open the same file: a bump through one is read by the other."""
    a = pagecache.SqliteVersions(tmp_path / "v.sqlite3")
    b = pagecache.SqliteVersions(tmp_path / "v.sqlite3")
    before = b.get(("site", "story:x"))
    a.bump("site")
    a.bump("story:x")
    a.bump("story:x")
    assert b.get(("site", "story:x")) == (before[0] + 1, before[1] + 2)


def test_redis_versions_against_the_real_server():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    a = pagecache.RedisVersions("redis://127.0.0.1:6379/15", prefix="newsdesk-test:v:")
    b = pagecache.RedisVersions("redis://127.0.0.1:6379/15", prefix="newsdesk-test:v:")
    before = b.get(("site",))[0]
    a.bump("site")
    assert b.get(("site",)) == (before + 1,)
