"""The role matrix: every role x every write path x every story state, through the real roads.

Roles are anonymous, rita (a reader), walt (a Writer: on his own story and on someone
else's), erin (an Editor) and root (a superuser), each through a browser session for the
admin and through an API token of their own for the API; the CLI runs as the machine's
operator and ``--user NAME``; the feed poller and the worker act as the system.

Each case does its write on one story in the state under test and sorts the result:

- ``ok``: what the rules allow happened, and every change left a revision and an audit
  entry naming who did it and by which road;
- ``escape``: a change the role may not make reached the story, a change left no trace, or
  an answer showed a story the role may not see.

The count of cases and of escapes is printed at the end of the run (see ``conftest.py``).

The people and each story under test are built once per module, inside transactions rolled
back when the module (or the story) is done, rather than once per case: every case still
starts from the same database, since its own writes are rolled back by the savepoint of its
``django_db`` mark.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
import reversion
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version
from test_desk_copy import _form_data

from newsdesk.cli import main
from newsdesk.site.api.models import Token
from newsdesk.site.desk.models import AuditEntry
from newsdesk.site.desk.roles import EDITOR, WRITER, ensure_roles
from newsdesk.site.stories.models import Author, Story

pytestmark = pytest.mark.django_db

RESULTS: list[tuple[str, str, str]] = []  # (case, verdict, detail): read by conftest's summary

STATES = [Story.DRAFT, Story.REVIEW, Story.SCHEDULED, Story.PUBLISHED]
# walt appears twice: on his own story and on erin's.
ACTORS = ["anonymous", "rita", "walt", "walt-other", "erin", "root"]
EDITORS = {"erin", "root"}

PARAGRAPHS = [
    "The port authority voted on Monday to rebuild the old north harbour wall, ending "
    "a dispute that has run for more than a decade between fishermen and the city.",
    "Engineers said the wall, built in 1890, could fail in a strong winter storm, and "
    "that the repairs would take three years and cost about 40 million euros.",
    "Fishermen had opposed earlier plans because they would have closed the inner basin "
    "for the whole season, cutting off the boats that land most of the town's catch.",
    "The new plan keeps one channel open at all times and moves the work on the basin "
    "to the summer months, when most of the fleet is away at the northern grounds.",
]
HEADLINE = "Port votes to rebuild harbour wall"
EDITED = f"{HEADLINE} (edited)"
URL = "https://wire.example/harbour-wall"
# The same wire story from elsewhere: another headline, one corrected paragraph.
CHANGED = [*PARAGRAPHS[:3], PARAGRAPHS[3].replace("summer months", "spring and summer")]
NEW_HEADLINE = "Harbour wall to be rebuilt, port says"
OTHER = [
    "The city library will open on Sundays from June, the council said on Tuesday, after "
    "a petition signed by more than four thousand readers asked for longer hours.",
    "The extra day costs about 200,000 euros a year and will be paid from the culture "
    "budget, which grows by three percent, the council's finance officer said.",
    "Librarians welcomed the change but asked for two more posts so that the reading "
    "rooms and the children's corner can both stay staffed through the afternoon.",
]


def _article(headline=HEADLINE, paragraphs=PARAGRAPHS, *, url=URL, dated=True) -> dict:
    data = {
        "headline": headline,
        "sections": ["World"],
        "summary": f"{headline}: the summary.",
        "quick_looks": {"title": "Quick Looks", "bullets": ["First point.", "Second point."]},
        "deep_look": {"blocks": [{"kind": "paragraph", "text": p} for p in paragraphs]},
    }
    if url:
        data["source_url"] = url
    if dated:
        data["published"] = "2025-05-05T08:00:00+00:00"
    return data


def _wire(headline, paragraphs) -> str:
    return headline + "\n\n" + "\n\n".join(paragraphs) + "\n"


# --- The world: people, tokens, one story ------------------------------------------------


@dataclass
class World:
    users: dict
    tokens: dict
    author: Author
    story: Story | None = None

    def user(self, actor):
        return self.users.get(actor.removesuffix("-other"))

    def session(self, actor) -> Client:
        client = Client()
        if actor != "anonymous":
            client.force_login(self.user(actor))
        return client

    def headers(self, actor) -> dict:
        token = self.tokens.get(actor.removesuffix("-other"))
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The desk's people (conftest's personas, and root), their tokens and an author, built
    once for the module in a transaction that is rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            ensure_roles()  # a transactional test may have flushed the migration's groups
            users = {
                name: User.objects.create_user(name, f"{name}@example.org", None, is_staff=staff)
                for name, staff in (("erin", True), ("walt", True), ("rita", False))
            }
            users["erin"].groups.add(Group.objects.get(name=EDITOR))
            users["walt"].groups.add(Group.objects.get(name=WRITER))
            users["root"] = User.objects.create_superuser("root", "root@example.org", None)
            tokens = {name: Token.issue(user, "matrix")[1] for name, user in users.items()}
            author = Author.objects.create(name="Jane Doe", slug="jane-doe", bio="Ports.")
            yield World(users, tokens, author)
        finally:
            transaction.set_rollback(True)


def _owner(actor: str) -> str:
    """Whose story an actor writes to: walt-other is walt on erin's; the rest, walt's."""
    return "erin" if actor == "walt-other" else "walt"


def on_story(actors=ACTORS, states=STATES):
    """Parametrize ``actor`` and the story under test (``stored``: its state and owner).

    Module-scoped, so pytest runs the cases on one story together and builds each story
    once per module instead of once per case.
    """
    cases = [pytest.param(a, (s, _owner(a)), id=f"{a}-{s}") for a in actors for s in states]
    return pytest.mark.parametrize(("actor", "stored"), cases, indirect=["stored"], scope="module")


def on_state(states=STATES):
    """Parametrize the story under test by state alone: walt's story."""
    cases = [pytest.param((s, "walt"), id=s) for s in states]
    return pytest.mark.parametrize("stored", cases, indirect=True)


# For the cases that need no story: none is stored while they run.
no_story = pytest.mark.parametrize("stored", [pytest.param(None, id="no-story")], indirect=True)


@pytest.fixture(scope="module")
def stored(request, world) -> tuple[str, int] | None:
    """The state and pk of the story under test (``_make``), rolled back when its cases
    are done; None for ``no_story``."""
    if request.param is None:
        assert not Story.objects.exists()
        yield None
        return
    state, owner = request.param
    with transaction.atomic():
        try:
            yield state, _make(world, state, owner).pk
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def state(stored) -> str:
    return stored[0]


@pytest.fixture
def story(stored) -> Story:
    """The story under test, read afresh for each case."""
    return Story.objects.get(pk=stored[1])


def _make(world: World, state: str, owner: str) -> Story:
    """The story under test, created through the API by root, then put in ``state``.

    It has two revisions (the original headline, then an edit), so a restore has
    something to go back to.
    """
    response = Client().post(
        "/api/stories?publish=false",
        json.dumps(_article()),
        content_type="application/json",
        **world.headers("root"),
    )
    assert response.status_code == 201, response.content
    story = Story.objects.get(slug=response.json()["story"]["slug"])
    now = timezone.now()
    story.created_by = world.users[owner]
    story.status = state
    story.published_at = now + timedelta(days=1) if state == Story.SCHEDULED else now
    with reversion.create_revision():
        story.save()
        reversion.add_to_revision(story)
    with reversion.create_revision():
        story.headline = EDITED
        story.save()
    return story


def _state(story: Story) -> tuple | None:
    """Everything a write could change, or None when the story is gone."""
    row = Story.objects.filter(pk=story.pk).first()
    if row is None:
        return None
    return (
        row.headline,
        row.summary,
        json.dumps(row.blocks),
        row.status,
        row.is_top_story,
        row.published_at,
        tuple(row.bullets.values_list("text", flat=True)),
        tuple(row.captions.values_list("text", flat=True)),
        tuple(row.storysection_set.values_list("section__name", flat=True)),
        tuple(row.storyauthor_set.values_list("author__name", flat=True)),
    )


def _trace(story: Story, since_version: int, since_audit: int, user, via: str) -> str:
    """'' when the change left a revision and an audit entry naming ``user`` and ``via``."""
    problems = []
    versions = Version.objects.get_for_object_reference(Story, story.pk)
    if Story.objects.filter(pk=story.pk).exists():
        versions = versions.filter(pk__gt=since_version)
    # A deleted story: its last revision (every change keeps one) is what the admin's
    # "Recover deleted stories" brings back; the audit entry says who deleted it.
    if not versions.exists():
        problems.append("no revision")
    elif Story.objects.filter(pk=story.pk).exists() and not any(
        v.revision.user_id == (user.pk if user else None) for v in versions
    ):
        problems.append(f"revision not by {user}")
    entries = AuditEntry.objects.filter(pk__gt=since_audit)
    if not entries.exists():
        problems.append("no audit entry")
    else:
        match = [e for e in entries if e.user_id == (user.pk if user else None) and _via(e) == via]
        if not match:
            got = [(str(e.user), _via(e)) for e in entries]
            problems.append(f"audit entry not by {user} via {via}: {got}")
    return ", ".join(problems)


def _via(entry) -> str | None:
    return getattr(entry, "via", None)


def _high(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def _judge(case: str, expected: str, world: World, story, before, act, user, via, visible=True):
    """Run ``act`` and record the verdict. ``expected``: change, same or any."""
    since_version, since_audit = _high(Version), _high(AuditEntry)
    response_text = act() or ""
    after = _state(story)
    changed = after != before
    problems = []
    if changed and expected == "same":
        problems.append(f"ESCAPE forbidden change: {before} -> {after}")
    if changed and expected in ("change", "any"):
        trace = _trace(story, since_version, since_audit, user, via)
        if trace:
            problems.append(f"ESCAPE untraced change: {trace}")
    if not visible and HEADLINE in response_text:
        problems.append("ESCAPE the answer shows a story this role may not see")
    escapes = [p for p in problems if p.startswith("ESCAPE")]
    if not changed and expected == "change":
        problems.append("the allowed change did not happen")
    RESULTS.append((case, "escape" if escapes else ("ok" if not problems else "fail"), problems))
    assert not problems, f"{case}: {problems}"


# --- The rules --------------------------------------------------------------------------


def may_edit(actor: str, state: str) -> bool:
    """Editors change any story; a writer only his own, and only while it is a draft."""
    return actor in EDITORS or (actor == "walt" and state == Story.DRAFT)


def may_see(actor: str, state: str) -> bool:
    return state == Story.PUBLISHED or actor in EDITORS or actor == "walt"


# A workflow step: (who may, in which states it does something).
STEPS = {
    "submit": (lambda a, s: may_edit(a, s), {Story.DRAFT}),
    "publish": (lambda a, s: a in EDITORS, {Story.DRAFT, Story.REVIEW, Story.SCHEDULED}),
    "schedule": (lambda a, s: a in EDITORS, set()),  # a no-op in every state here (see below)
    "unpublish": (lambda a, s: a in EDITORS, {Story.PUBLISHED, Story.SCHEDULED}),
    "send_back": (lambda a, s: a in EDITORS, {Story.REVIEW}),
}


def _step_expected(step, actor, state):
    allowed, states = STEPS[step]
    if not allowed(actor, state):
        return "same"
    if step == "schedule":
        # Past publish time: refused with a message; already scheduled: stays scheduled.
        return "any"
    return "change" if state in states else "same"


# --- Admin ------------------------------------------------------------------------------

ADMIN_ACTIONS = {
    "submit_selected": lambda a, s: _step_expected("submit", a, s),
    "publish_selected": lambda a, s: _step_expected("publish", a, s),
    "schedule_selected": lambda a, s: _step_expected("schedule", a, s),
    "unpublish_selected": lambda a, s: _step_expected("unpublish", a, s),
    "regenerate_selected": lambda a, s: "change" if may_edit(a, s) else "same",
    "make_top_story": lambda a, s: "change" if a in EDITORS else "same",
    "delete_selected": lambda a, s: "change" if a in EDITORS else "same",
}
ADMIN_PATHS = [
    "edit",
    "edit_body",  # the story editor: a paragraph rewritten in its HTML
    "edit_authors",  # an author put on the byline by hand
    "history_revert",
    "restore",
    "regenerate",
    *(f"step:{s}" for s in STEPS),
    *(f"action:{a}" for a in ADMIN_ACTIONS),
]


def _admin_expected(path, actor, state):
    if path in ("edit", "edit_body", "edit_authors", "history_revert", "restore", "regenerate"):
        return "change" if may_edit(actor, state) else "same"
    kind, name = path.split(":")
    return (
        _step_expected(name, actor, state) if kind == "step" else ADMIN_ACTIONS[name](actor, state)
    )


def _admin_write(world: World, story: Story, path: str, actor: str) -> str:
    client = world.session(actor)
    root = world.session("root")
    change = reverse("admin:stories_story_change", args=[story.pk])
    oldest = Version.objects.get_for_object(story).order_by("pk").first()
    if path == "edit":
        data = _form_data(root.get(change))  # the whole form, as an editor sees it: a forgery
        data["headline"] = "A headline nobody reviewed"
        data["summary"] = "A summary nobody reviewed."
        response = client.post(change, data)
    elif path == "edit_body":
        data = _form_data(root.get(change))
        assert PARAGRAPHS[0] in data["body"]
        data["body"] = data["body"].replace(PARAGRAPHS[0], "A paragraph nobody reviewed.")
        response = client.post(change, data)
    elif path == "edit_authors":
        data = _form_data(root.get(change))
        n = int(data["storyauthor_set-TOTAL_FORMS"])
        data["storyauthor_set-TOTAL_FORMS"] = str(n + 1)
        data[f"storyauthor_set-{n}-author"] = str(world.author.pk)
        data[f"storyauthor_set-{n}-order"] = "0"
        data[f"storyauthor_set-{n}-story"] = str(story.pk)
        response = client.post(change, data)
    elif path == "history_revert":
        url = reverse("admin:stories_story_revision", args=[story.pk, oldest.pk])
        data = _form_data(root.get(url))
        response = client.post(url, data)
    elif path == "restore":
        url = reverse("admin:stories_story_restore", args=[story.pk, oldest.pk])
        response = client.post(url)
    elif path == "regenerate":
        response = client.post(reverse("admin:stories_story_regenerate", args=[story.pk]))
    elif path.startswith("step:"):
        step = path.split(":")[1]
        response = client.post(reverse("admin:stories_story_workflow", args=[story.pk, step]))
    else:
        action = path.split(":")[1]
        response = client.post(
            reverse("admin:stories_story_changelist"),
            {"action": action, "_selected_action": [story.pk], "post": "yes"},
        )
    return response.content.decode(errors="replace")


@on_story()
@pytest.mark.parametrize("path", ADMIN_PATHS)
def test_admin(world, story, path, actor, state):
    before = _state(story)
    _judge(
        f"admin {path} / {actor} / {state}",
        _admin_expected(path, actor, state),
        world,
        story,
        before,
        lambda: _admin_write(world, story, path, actor),
        world.user(actor),
        "admin",
    )


@on_story()
def test_admin_change_page_shows_only_the_stories_a_role_may_see(world, story, actor, state):
    client = world.session(actor)
    page = client.get(reverse("admin:stories_story_change", args=[story.pk]))
    listing = client.get(reverse("admin:stories_story_changelist"))
    shown = HEADLINE in page.content.decode() or HEADLINE in listing.content.decode()
    allowed = actor in EDITORS or actor == "walt"
    verdict = "ok" if shown == allowed else ("escape" if shown else "fail")
    RESULTS.append((f"admin view / {actor} / {state}", verdict, [f"shown={shown}"]))
    assert shown == allowed


# --- API --------------------------------------------------------------------------------

API_PATHS = {
    # name: (url, body, content type, changes the story when allowed)
    "stories same URL": ("/api/stories", _article(NEW_HEADLINE, CHANGED, dated=False), True),
    "documents same URL": (
        "/api/documents?format=json",
        _article(NEW_HEADLINE, CHANGED, dated=False),
        True,
    ),
    # The story as stored (its edited headline, its body): nothing to change.
    "documents duplicate": ("/api/documents?format=text", _wire(EDITED, PARAGRAPHS), False),
    "documents near-duplicate": (
        "/api/documents?format=text",
        _wire(NEW_HEADLINE, CHANGED),
        True,
    ),
}


def _api_post(world, actor, url, body, publish):
    sep = "&" if "?" in url else "?"
    payload = json.dumps(body) if isinstance(body, dict) else body
    kind = "application/json" if isinstance(body, dict) else "text/plain"
    return Client().post(
        f"{url}{sep}publish={'true' if publish else 'false'}",
        payload,
        content_type=kind,
        **world.headers(actor),
    )


@pytest.mark.parametrize("publish", [False, True], ids=["draft", "publish"])
@on_story()
@pytest.mark.parametrize("path", list(API_PATHS))
def test_api_on_a_stored_story(world, story, path, actor, state, publish):
    before = _state(story)
    url, body, changes = API_PATHS[path]
    may_write = actor in EDITORS or (actor.startswith("walt") and not publish)
    expected = "change" if changes and may_write and may_edit(actor, state) else "same"
    codes = []

    def act():
        response = _api_post(world, actor, url, body, publish)
        codes.append(response.status_code)
        return response.content.decode()

    _judge(
        f"api {path} publish={publish} / {actor} / {state}",
        expected,
        world,
        story,
        before,
        act,
        world.user(actor),
        "api",
        visible=may_see(actor, state),
    )
    if actor == "anonymous":
        assert codes == [401]
    elif expected == "same" and changes:
        assert codes == [403], codes  # refused with a reason, never a quiet "updated"


@pytest.mark.parametrize("publish", [False, True], ids=["draft", "publish"])
@pytest.mark.parametrize("actor", ["anonymous", "rita", "walt", "erin", "root"])
@pytest.mark.parametrize("path", ["/api/stories", "/api/documents?format=json"])
@no_story
def test_api_new_story(world, stored, path, actor, publish):
    allowed = actor in EDITORS or (actor == "walt" and not publish)
    since_version, since_audit = _high(Version), _high(AuditEntry)
    response = _api_post(world, actor, path, _article("Library opens on Sundays", OTHER), publish)
    story = Story.objects.filter(headline="Library opens on Sundays").first()
    problems = []
    if story is not None and not allowed:
        problems.append("ESCAPE a role that may not stored a story")
    if story is None and allowed:
        problems.append(f"not stored: {response.status_code} {response.content[:200]}")
    if story is not None and allowed:
        user = world.user(actor)
        if story.created_by_id != user.pk:
            problems.append(f"ESCAPE owner is {story.created_by}, not {user}")
        if story.status != (Story.PUBLISHED if publish else Story.DRAFT):
            problems.append(f"status {story.status}")
        trace = _trace(story, since_version, since_audit, user, "api")
        if trace:
            problems.append(f"ESCAPE untraced change: {trace}")
    if not allowed:
        assert response.status_code == (401 if actor == "anonymous" else 403)
    escapes = [p for p in problems if p.startswith("ESCAPE")]
    RESULTS.append(
        (f"api new {path} publish={publish} / {actor}", "escape" if escapes else "ok", problems)
    )
    assert not problems


@on_story()
def test_api_reads_show_only_what_a_role_may_see(world, story, actor, state):
    client = Client()
    detail = client.get(f"/api/stories/{story.slug}", **world.headers(actor))
    listing = client.get("/api/stories", **world.headers(actor))
    shown = detail.status_code == 200 or story.slug in listing.content.decode()
    # The API's reads are the public site's: published stories only, whoever asks.
    allowed = state == Story.PUBLISHED
    verdict = "ok" if shown == allowed else ("escape" if shown else "fail")
    RESULTS.append((f"api read / {actor} / {state}", verdict, [f"shown={shown}"]))
    assert shown == allowed


# --- CLI, feed polling, the worker ------------------------------------------------------


def _cli(tmp_path, text, *extra) -> int:
    path = tmp_path / "wire.txt"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    from contextlib import redirect_stderr, redirect_stdout

    with redirect_stdout(out), redirect_stderr(err):
        try:
            return main(["ingest", "--draft", *extra, str(path)])
        except SystemExit as exc:  # argparse refusing an option
            return int(exc.code or 0)


@on_state()
def test_cli_ingest_by_the_operator(world, story, state, tmp_path):
    _judge(
        f"cli ingest near-duplicate / operator / {state}",
        "change",
        world,
        story,
        _state(story),
        lambda: str(_cli(tmp_path, _wire(NEW_HEADLINE, CHANGED))),
        None,
        "cli",
    )


@on_story(["rita", "walt", "walt-other", "erin", "root"])
def test_cli_ingest_as_a_user(world, story, actor, state, tmp_path):
    name = world.user(actor).get_username()
    _judge(
        f"cli ingest --user / {actor} / {state}",
        "change" if may_edit(actor, state) else "same",
        world,
        story,
        _state(story),
        lambda: str(_cli(tmp_path, _wire(NEW_HEADLINE, CHANGED), "--user", name)),
        world.user(actor),
        "cli",
    )


def _rss(headline, paragraphs, link) -> bytes:
    body = " ".join(paragraphs)
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<link>https://wire.example/</link><description>Wire</description>"
        f"<item><title>{headline}</title><link>{link}</link><description>{body}</description>"
        "</item></channel></rss>"
    ).encode()


@on_state()
def test_feed_polling(world, story, state, local_site):
    from newsdesk.site.ingestion.models import FeedSource
    from newsdesk.site.ingestion.polling import poll_source

    local_site.serve("/feed.xml", _rss(NEW_HEADLINE, CHANGED, URL), "application/rss+xml")
    from newsdesk.site.stories.models import Section

    world_desk, _ = Section.objects.get_or_create(slug="world", defaults={"name": "World"})
    source = FeedSource.objects.create(
        url=f"{local_site.url}/feed.xml", name="Wire", section=world_desk
    )
    _judge(
        f"feed poll same URL / system / {state}",
        "change",
        world,
        story,
        _state(story),
        lambda: poll_source(source).error,
        None,
        "feed",
    )


@on_state()
def test_worker_ingest_task(world, story, state):
    from newsdesk.site.ingestion.tasks import ingest_document

    _judge(
        f"worker ingest near-duplicate / system / {state}",
        "change",
        world,
        story,
        _state(story),
        lambda: str(
            ingest_document.call_local(
                _wire(NEW_HEADLINE, CHANGED).encode(), name="wire.txt", format="text", publish=False
            )
        ),
        None,
        "worker",
    )


# --- Authors: profiles on the desk, pages and feeds on the site -------------------------

AUTHOR_WRITES = ["add", "change", "delete"]


def _author_state():
    return tuple(Author.objects.order_by("pk").values_list("name", "slug", "bio"))


@pytest.mark.parametrize("actor", ["anonymous", "rita", "walt", "erin", "root"])
@pytest.mark.parametrize("path", AUTHOR_WRITES)
@no_story
def test_author_profiles_in_the_desk(world, stored, path, actor):
    """Editors keep the authors' profiles; writers may read them, nobody else anything."""
    client = world.session(actor)
    jane = world.author
    before = _author_state()
    if path == "add":
        url = reverse("admin:stories_author_add")
        data = {"name": "Max Roe", "slug": "max-roe", "bio": "", "photo_url": "", "links": ""}
    elif path == "change":
        url = reverse("admin:stories_author_change", args=[jane.pk])
        data = {"name": "Jane Doe", "slug": "jane-doe", "bio": "Rewritten.", "photo_url": ""}
        data |= {"links": "", "user": ""}
    else:
        url = reverse("admin:stories_author_delete", args=[jane.pk])
        data = {"post": "yes"}
    response = client.post(url, data)
    changed = _author_state() != before
    allowed = actor in EDITORS
    problems = []
    if changed and not allowed:
        problems.append(f"ESCAPE {actor} changed an author profile")
    if allowed and not changed:
        problems.append(f"not changed: {response.status_code}")
    verdict = "escape" if problems and not allowed else ("ok" if not problems else "fail")
    RESULTS.append((f"admin author {path} / {actor}", verdict, problems))
    assert not problems


@on_story(["anonymous", "walt", "erin"])
def test_author_pages_and_feeds_show_only_published_stories(world, story, actor, state):
    """Author pages are read-only and public: a story shows there once it is published."""
    story.authors.add(world.author, through_defaults={"order": 0})
    client = world.session(actor)
    before = _state(story)
    shown = False
    for url in ("/authors/jane-doe/", "/authors/jane-doe/rss.xml", "/authors/jane-doe/atom.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        shown |= EDITED in response.content.decode()
        client.post(url, {"headline": "x", "author": "x"})  # a read-only page: changes nothing
    allowed = state == Story.PUBLISHED
    problems = [] if shown == allowed else [f"shown={shown}"]
    if _state(story) != before:
        problems.append("ESCAPE a read changed the story")
    verdict = "ok" if not problems else ("escape" if shown or _state(story) != before else "fail")
    RESULTS.append((f"author page / {actor} / {state}", verdict, problems))
    assert not problems
