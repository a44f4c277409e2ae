"""The short road for readers' votes (ratings/fast.py) answers exactly as Django's full stack."""

import json
import re
import secrets
from urllib.parse import urlencode

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import RequestFactory

from newsdesk.site.ratings import readers
from newsdesk.site.ratings.fast import FORM_TYPE, FastVotes
from newsdesk.site.ratings.models import RatingSummary, Vote

pytestmark = pytest.mark.django_db
SITE = "http://testserver"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    settings.CACHES = {
        **settings.CACHES,
        "ratings": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"ratings-fast-{secrets.token_hex(6)}",
        },
    }
    settings.NEWSDESK_RATING_RATE_LIMIT = ""


class Counting:
    """Django's WSGI handler, counting the requests that reach it."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


def call(app, environ):
    """Run one WSGI request in the test's transaction: (status, headers, body)."""
    got = {}

    def start_response(status, headers, exc_info=None):
        got["status"], got["headers"] = status, headers

    # As Django's test client does: keep the test's connection open at request_finished.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = app(environ, start_response)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    # The subscribe form in every page's footer carries a signed, timestamped token: two
    # renders a second apart differ there and nowhere else.
    body = re.sub(rb'name="token" value="[^"]*"', b'name="token" value="T"', body)
    return got["status"], got["headers"], body


def post(story_slug, data, *, cookie=None, json_answer=True, **headers):
    extra = {"HTTP_ORIGIN": SITE, **headers}
    extra = {k: v for k, v in extra.items() if v is not None}
    if json_answer:
        extra["HTTP_ACCEPT"] = "application/json"
    if cookie:
        extra["HTTP_COOKIE"] = cookie
    # urlencoded, as ratings.js and a form without JavaScript send it
    return (
        RequestFactory()
        .post(f"/story/{story_slug}/rate/", urlencode(data), FORM_TYPE, **extra)
        .environ
    )


def reader_cookie() -> str:
    from django.core.signing import get_cookie_signer

    signed = get_cookie_signer(salt=readers.READER_COOKIE + readers.READER_SALT).sign(
        readers.new_reader()
    )
    return f"{readers.READER_COOKIE}={signed}"


def answer(status, headers, body):
    """What a reader sees, without what differs by design from one answer to the next."""
    names = {k.lower() for k, _ in headers} - {"content-length"}
    data = body.decode()
    if data.startswith("{"):
        parsed = json.loads(data)
        parsed.pop("form", None)  # a fresh signed token each time
        data = parsed
    return status, names, data


def anonymous(body: bytes, story) -> bytes:
    """The answer with the story's slug and headline blanked (each road rates its own story)."""
    return body.replace(story.slug.encode(), b"S").replace(story.headline.encode(), b"H")


def scenario(app, story, other, draft):
    """Every kind of vote and refusal, in order, on ``story``: the answers and the stored votes."""
    me, you = reader_cookie(), reader_cookie()
    form = readers.form_token(story.pk)
    steps = [
        post(story.slug, {"stars": "4", "form": form}, cookie=me),
        post(story.slug, {"stars": "2", "form": form}, cookie=me),  # replayed form
        post(story.slug, {"stars": "2", "form": readers.form_token(story.pk)}, cookie=me),
        post(story.slug, {"stars": "9", "form": readers.form_token(story.pk)}, cookie=you),
        post(story.slug, {"stars": "", "form": readers.form_token(story.pk)}, cookie=you),
        post(story.slug, {"stars": "3", "form": form[:-4] + "AAAA"}, cookie=you),
        post(story.slug, {"stars": "3", "form": readers.form_token(other.pk)}, cookie=you),
        post(story.slug, {"stars": "3", "form": readers.form_token(story.pk)}, cookie=me + "x"),
        post(
            story.slug,
            {"stars": "3", "form": readers.form_token(story.pk)},
            HTTP_ORIGIN="https://evil.example",
        ),
        post(story.slug, {"stars": "3", "form": readers.form_token(story.pk)}, HTTP_ORIGIN=None),
        post(
            story.slug,
            {"stars": "1", "form": readers.form_token(story.pk), "feedback": "x" * 5000},
            cookie=you,
        ),
        post(draft.slug, {"stars": "3", "form": readers.form_token(draft.pk)}, cookie=you),
        post("no-such-story", {"stars": "3", "form": "x"}, cookie=you),
        # no JavaScript, no cookie yet: 303 back to the story with a new reader cookie
        post(
            story.slug,
            {"stars": "1", "form": readers.form_token(story.pk), "feedback": "<b>Too</b> thin"},
            json_answer=False,
        ),
        # no JavaScript, refused: the page naming the problem
        post(story.slug, {"stars": "x", "form": readers.form_token(story.pk)}, json_answer=False),
    ]
    answers = []
    for environ in steps:
        status, headers, body = call(app, environ)
        if not status.startswith("303"):
            answers.append(answer(status, headers, anonymous(body, story)))
        else:
            location = dict(headers)["Location"].replace(story.slug, "S")
            cookies = [v for k, v in headers if k == "Set-Cookie"]
            answers.append((status, location, len(cookies), readers.READER_COOKIE in cookies[0]))
    votes = sorted(Vote.objects.filter(story=story).values_list("stars", "feedback"))
    s = RatingSummary.objects.get(story=story)
    return answers, votes, (s.count, s.total, s.distribution)


def test_the_fast_path_and_django_give_the_same_answers(make_story):
    django_app = Counting()
    fast = FastVotes(django_app)
    other, draft = make_story("Another story"), make_story("A draft", publish=False)
    via_django = scenario(django_app, make_story("Rated the long way"), other, draft)
    django_calls = django_app.calls
    via_fast = scenario(fast, make_story("Rated the short way"), other, draft)
    # The long way: two votes without a reader cookie (refused by origin), the draft and the
    # missing story (Django's 404 page) and the two forms sent without JavaScript.
    assert django_app.calls - django_calls == 6
    for got, want in zip(via_fast[0], via_django[0], strict=True):
        assert got == want
    assert via_fast == via_django
    answers, votes, totals = via_fast
    statuses = [a[0][:3] for a in answers]
    assert statuses == ["200", "409", "200"] + ["400"] * 5 + ["403", "403", "413", "404", "404"] + [
        "303",
        "400",
    ]
    assert votes == [(1, "Too thin"), (2, "")] and totals == (2, 3, (1, 1, 0, 0, 0))
    assert "already sent" in answers[1][2]["error"]
    assert "Your vote was not counted" in answers[-1][2]
    headers = answers[0][1]
    assert {"content-security-policy", "x-frame-options", "x-content-type-options"} <= headers


def test_the_fast_path_keeps_the_rate_limit(make_story, settings):
    settings.NEWSDESK_RATING_RATE_LIMIT = "2/m"
    story = make_story()
    fast = FastVotes(Counting())
    codes = [
        call(fast, post(story.slug, {"stars": "5", "form": readers.form_token(story.pk)}))[0][:3]
        for _ in range(3)
    ]
    assert codes == ["200", "200", "429"]
    assert Vote.objects.count() == 2


def test_a_failure_in_the_short_road_is_a_logged_500_and_stores_nothing(
    make_story, monkeypatch, caplog
):
    from newsdesk.site.ratings import services

    story = make_story()
    inner = Counting()
    fast = FastVotes(inner)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "_write", broken)
    environ = post(
        story.slug, {"stars": "4", "form": readers.form_token(story.pk)}, cookie=reader_cookie()
    )
    status, headers, body = call(fast, environ)
    assert status.startswith("500") and "could not be stored" in json.loads(body)["error"]
    assert ("Cache-Control", "no-store") in headers and inner.calls == 0  # not sent again
    assert "disk on fire" in caplog.text and Vote.objects.count() == 0


def test_signed_in_users_and_other_requests_go_the_long_way(make_story, django_user_model):
    from django.contrib.auth import SESSION_KEY

    story = make_story()
    inner = Counting()
    fast = FastVotes(inner)
    rita = django_user_model.objects.create_user("rita-fast", password="pw")
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(rita.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = rita.get_session_auth_hash()
    session.save()
    environ = post(
        story.slug,
        {"stars": "3", "form": readers.form_token(story.pk)},
        cookie=f"sessionid={session.session_key}",
    )
    assert call(fast, environ)[0].startswith("200") and inner.calls == 1
    assert list(Vote.objects.values_list("voter", flat=True)) == [f"u:{rita.pk}"]
    get = RequestFactory().get(f"/story/{story.slug}/rate/").environ
    assert call(fast, get)[0].startswith("405") and inner.calls == 2
    page = RequestFactory().get(story.get_absolute_url()).environ
    assert call(fast, page)[0].startswith("200") and inner.calls == 3


def test_sqlite_writers_of_every_process_queue_on_one_lock_file(tmp_path, monkeypatch):
    """Votes from several server processes wait on a lock beside the database file."""
    import fcntl
    import os

    from django.db import connection

    from newsdesk.site.ratings import services

    if connection.vendor != "sqlite":
        pytest.skip("the lock file is for SQLite in a file")
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "db.sqlite3"))
    other = os.open(tmp_path / "db.sqlite3.writer-lock", os.O_RDWR | os.O_CREAT)  # another process
    try:
        with services._writer_file_lock(connection):
            with pytest.raises(BlockingIOError):
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again once the vote is stored
        fcntl.flock(other, fcntl.LOCK_UN)
    finally:
        os.close(other)
