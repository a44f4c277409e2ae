"""Rendered pieces of reader pages, kept per site and story version: never staler than a
publish, edit or vote, and the page they make is the page Django renders without them."""

import re
from wsgiref.util import setup_testing_defaults

import pytest

from newsdesk.site import pagecache
from newsdesk.site.pagecache import Memo

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(tmp_path):
    """Django behind the page cache, as wsgi.py serves it, on a version store of its own."""
    from django.core.wsgi import get_wsgi_application

    store = pagecache.SqliteVersions(tmp_path / "versions.sqlite3")
    pagecache._versions = store  # what bump() writes to, for this test
    yield pagecache.PageCache(get_wsgi_application(), store=lambda: store)
    pagecache._versions = None


def call(app, environ):
    """Run ``app`` as Django's test client does: keeping the test's connection (and transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    answer = {}
    try:
        body = b"".join(app(environ, lambda status, *_: answer.update(status=status)))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], body


_n = iter(range(1, 1_000_000))


def fetch(app, path, query=""):
    """A GET under a URL the page cache has never seen, so Django renders it (from fragments)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "HTTP_HOST": "127.0.0.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "QUERY_STRING": "&".join(filter(None, [query, f"u={next(_n)}"])),
    }
    setup_testing_defaults(environ)
    status, body = call(app, environ)
    assert status.startswith("200"), (path, status)
    return body.decode()


def without_token(html):
    """The page with its signed, timestamped form tokens (the vote's and the subscribe
    form's) blanked: two renders a second apart differ only there."""
    return re.sub(r'name="(form|token)" value="[^"]*"', r'name="\1" value="T"', html)


# --- the memo itself -------------------------------------------------------------------------


def test_memo_builds_once_per_site_version_and_drops_everything_on_a_newer_one():
    memo, built = Memo(), []

    def build(value):
        def make():
            built.append(value)
            return value

        return make

    assert memo.get(1, ("a",), build("a1")) == "a1"
    assert memo.get(1, ("a",), build("other")) == "a1"
    assert memo.get(2, ("a",), build("a2")) == "a2"  # a newer site version: built afresh
    assert memo.get(1, ("a",), build("a1-late")) == "a1-late"  # an older reader: built, not kept
    assert memo.get(2, ("a",), build("other")) == "a2"
    assert memo.get(None, ("a",), build("live")) == "live"  # no version: never kept
    assert memo.get(None, ("a",), build("live2")) == "live2"
    assert built == ["a1", "a2", "a1-late", "live", "live2"]


def test_memo_is_bounded_and_expires():
    memo = Memo(max_entries=3)
    for i in range(10):
        memo.get(1, (i,), lambda i=i: i)
    assert list(memo.entries) == [(7,), (8,), (9,)]
    memo.max_age = 0.0
    assert memo.get(1, (9,), lambda: "rebuilt") == "rebuilt"


def test_a_failed_build_keeps_nothing():
    memo = Memo()
    with pytest.raises(LookupError):
        memo.get(1, ("x",), lambda: (_ for _ in ()).throw(LookupError("no such story")))
    assert memo.get(1, ("x",), lambda: "found") == "found"


# --- through the views, behind the page cache ------------------------------------------------


def test_pages_from_fragments_are_the_pages_django_renders(site, client, make_story):
    one = make_story("Harbour plan approved", sections=("US", "Business"))
    make_story("Bridge reopens", sections=("US",))
    make_story("Port strike ends", sections=("Business",))
    for query in ("", "rated=4", "rated=yes"):
        direct = client.get(
            one.get_absolute_url() + ("?" + query if query else ""), HTTP_HOST="127.0.0.1"
        ).content.decode()
        first = fetch(site, one.get_absolute_url(), query)  # renders and keeps the pieces
        again = fetch(site, one.get_absolute_url(), query)  # from the pieces
        assert without_token(first) == without_token(direct) == without_token(again)
        assert ('value="4" required checked' in again) == (query == "rated=4")
        assert ('id="rating-thanks" hidden' in again) == (not query)
    assert site.fragments.hits > 0


def test_a_warm_story_page_makes_no_query_and_gets_a_fresh_form_token(
    site, make_story, django_assert_num_queries
):
    story = make_story("Harbour plan approved")
    make_story("Bridge reopens")
    first = fetch(site, story.get_absolute_url())
    with django_assert_num_queries(0):
        again = fetch(site, story.get_absolute_url())
    tokens = [re.search(r'name="form" value="([^"]+)"', page).group(1) for page in (first, again)]
    assert tokens[0] != tokens[1]  # one vote form per page load, as without fragments
    from newsdesk.site.ratings.readers import check_form_token

    assert check_form_token(tokens[1], story.pk)


def test_an_edit_shows_on_the_next_render_everywhere(
    site, make_story, django_capture_on_commit_callbacks
):
    story = make_story("Council votes on the harbour", sections=("US",))
    other = make_story("Bridge reopens", sections=("US",))
    before = fetch(site, other.get_absolute_url())
    assert "Council votes on the harbour" in before  # Latest News, More on US
    assert "Council votes on the harbour" in fetch(site, story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Council approves the harbour plan"
        story.save()
    mine = fetch(site, story.get_absolute_url())
    assert '<h1 id="headline">Council approves the harbour plan</h1>' in mine
    theirs = fetch(site, other.get_absolute_url())
    assert "Council approves the harbour plan" in theirs
    assert "Council votes on the harbour" not in theirs


def test_a_body_edit_and_a_menu_change_show_on_the_next_render(
    site, make_story, django_capture_on_commit_callbacks
):
    from newsdesk.site.stories.models import Section

    story = make_story("Harbour plan approved", sections=("US",))
    page = fetch(site, story.get_absolute_url())
    assert "We will rebuild the harbour." in page and "Culture Desk" not in page
    with django_capture_on_commit_callbacks(execute=True):
        story.blocks = [{"kind": "paragraph", "text": "A rewritten first paragraph."}]
        story.save()
        Section.objects.create(name="Culture Desk", slug="culture-desk", in_menu=True)
    page = fetch(site, story.get_absolute_url())
    assert "A rewritten first paragraph." in page and "We will rebuild the harbour." not in page
    assert 'href="/section/culture-desk/">Culture Desk</a>' in page


def test_a_publish_and_an_unpublish_show_on_the_next_render(
    site, make_story, django_capture_on_commit_callbacks
):
    story = make_story("Harbour plan approved", sections=("US",))
    assert "Ferry timetable returns" not in fetch(site, story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        fresh = make_story("Ferry timetable returns", sections=("US",))
    page = fetch(site, story.get_absolute_url())
    assert page.count("Ferry timetable returns") >= 2  # Latest News, More on US, Next Article
    with django_capture_on_commit_callbacks(execute=True):
        fresh.status = fresh.UNPUBLISHED
        fresh.save()
    assert "Ferry timetable returns" not in fetch(site, story.get_absolute_url())


def test_a_vote_shows_on_the_next_render_of_that_story_only(
    site, make_story, django_capture_on_commit_callbacks
):
    from newsdesk.site.ratings import services

    story, other = make_story("Harbour plan approved"), make_story("Bridge reopens")
    assert "Vote count: 0" in fetch(site, story.get_absolute_url())
    fetch(site, other.get_absolute_url())
    hits = site.fragments.hits
    with django_capture_on_commit_callbacks(execute=True):
        services.cast(story, "reader-1", 4)
    page = fetch(site, story.get_absolute_url())
    assert "Average rating 4.0 / 5. Vote count: 1" in page
    assert '"ratingCount": 1' in page or '"ratingCount":1' in page  # the head's JSON-LD too
    assert "Vote count: 0" in fetch(site, other.get_absolute_url())
    assert site.fragments.hits > hits  # the other story's pieces were kept: a vote is no edit


def test_signed_in_editors_get_no_fragments(site, make_story, django_capture_on_commit_callbacks):
    story = make_story("Harbour plan approved")
    fetch(site, story.get_absolute_url())
    kept = len(site.fragments.entries)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": story.get_absolute_url(),
        "HTTP_HOST": "127.0.0.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_COOKIE": "sessionid=abc",
    }
    setup_testing_defaults(environ)
    _, body = call(site, environ)
    assert b"Harbour plan approved" in body and len(site.fragments.entries) == kept
