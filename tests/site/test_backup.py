"""``newsdesk backup`` / ``restore``: a round trip gives back every story, bullet and vote."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from newsdesk.site import backup as bk
from newsdesk.site.stories.models import Story

SITE_APPS = {"stories", "ratings", "distribution", "search", "api", "desk", "ingestion"}


def snapshot() -> dict:
    """Every row of every newsdesk model, plus each story with its bullets, captions, sections."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in SITE_APPS and model._meta.managed:
            rows[model._meta.label] = list(model._base_manager.order_by("pk").values())
    stories = [
        (
            s.headline,
            s.slug,
            s.status,
            s.published_at,
            s.blocks,
            [(b.order, b.text, b.source_sentences) for b in s.bullets.all()],
            [(c.text, c.credit) for c in s.captions.all()],
            [sec.name for sec in s.sections.order_by("storysection__order")],
        )
        for s in Story.objects.order_by("pk")
    ]
    users = sorted(User.objects.values_list("username", "password", "is_superuser"))
    return {"rows": rows, "stories": stories, "users": users}


def _add_votes(stories) -> int:
    """Reader votes (with feedback) through the ratings service, which keeps the tallies."""
    from newsdesk.site.ratings.services import cast

    made = 0
    for i, story in enumerate(stories):
        for reader in range(i % 4 + 1):
            stars = (i + reader) % 5 + 1
            cast(
                story,
                f"r:reader-{reader}",
                stars,
                nonce=f"n{i}{reader}",
                feedback="Too short — “needs” more" if stars <= 2 else "",
            )
            made += 1
    return made


@pytest.fixture
def newsroom(transactional_db, make_story):
    stories = [
        make_story(f"Harbour story {n} — “quoted” ünïcode", sections=("World", "US"))
        for n in range(6)
    ]
    make_story("A draft nobody has seen", publish=False)
    User.objects.create_superuser("chief", "chief@example.org", "a long password 42")
    _add_votes(stories)
    return stories


@pytest.mark.parametrize("fmt", ["native", "json"])
def test_round_trip_restores_every_story_bullet_and_vote(newsroom, tmp_path, fmt):
    before = snapshot()
    assert len(before["stories"]) == 7 and all(s[5] for s in before["stories"])
    assert len(before["rows"]["ratings.Vote"]) == sum(i % 4 + 1 for i in range(6))  # 1-4 a story
    assert before["rows"]["ratings.RatingSummary"]
    path = tmp_path / "site.backup"
    kind = bk.backup(path, format=fmt)
    native = {"sqlite": "sqlite", "postgresql": "pgdump"}[bk.vendor()]
    expected = "json" if fmt == "json" else native
    assert kind == expected and bk.detect(path) == expected

    # a non-empty database is not overwritten without force
    with pytest.raises(bk.BackupError, match="not empty.*--force"):
        bk.restore(path)
    assert snapshot() == before

    # damage the site, then restore over it
    Story.objects.filter(pk=Story.objects.first().pk).update(headline="Vandalised")
    Story.objects.last().delete()
    assert snapshot() != before
    assert bk.restore(path, force=True) == expected
    after = snapshot()
    _debug_diff(before, after)
    assert after == before


def test_restore_into_an_empty_database_needs_no_force(newsroom, tmp_path):
    before = snapshot()
    path = tmp_path / "site.json"
    bk.backup(path, format="json")
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert not bk.has_data()
    bk.restore(path)
    assert snapshot() == before


@pytest.mark.django_db
def test_not_a_backup_is_refused(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01 not a backup")
    with pytest.raises(bk.BackupError, match="not a newsdesk backup"):
        bk.restore(junk)
    with pytest.raises(bk.BackupError, match="cannot read"):
        bk.restore(tmp_path / "missing.backup")


ROOT = Path(__file__).resolve().parents[2]


def _cli(*args, data_dir):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(NEWSDESK_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="newsdesk.site.settings")
    code = "import sys; from newsdesk.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=300
    )


def _rows(db: Path):
    with sqlite3.connect(db) as conn:
        stories = conn.execute(
            "SELECT id, headline, slug, status, blocks FROM stories_story ORDER BY id"
        ).fetchall()
        bullets = conn.execute(
            'SELECT story_id, "order", text FROM stories_quicklookbullet ORDER BY story_id, "order"'
        ).fetchall()
    return stories, bullets


def test_cli_round_trip_on_sqlite(tmp_path):
    source, target = tmp_path / "a", tmp_path / "b"
    stories = tmp_path / "in"
    stories.mkdir()
    for n in range(3):
        (stories / f"s{n}.txt").write_text(
            f"Harbour plan number {n} approved\n\nWASHINGTON (AP) — The city council voted on "
            f"Monday to approve harbour plan {n}. The plan adds new piers. Work starts in May. "
            "Critics said the cost was too high. The mayor said jobs would follow.\n"
        )
    assert _cli("ingest", str(stories), data_dir=source).returncode == 0
    result = _cli("backup", str(tmp_path / "site.backup"), data_dir=source)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site.backup").read_bytes().startswith(b"SQLite format 3\x00")
    result = _cli("restore", str(tmp_path / "site.backup"), data_dir=target)
    assert result.returncode == 0, result.stderr
    original = _rows(source / "db.sqlite3")
    assert len(original[0]) == 3 and original[1]
    assert _rows(target / "db.sqlite3") == original
    again = _cli("restore", str(tmp_path / "site.backup"), data_dir=target)
    assert again.returncode == 2 and "not empty" in again.stderr and "--force" in again.stderr
    forced = _cli("restore", "--force", str(tmp_path / "site.backup"), data_dir=target)
    assert forced.returncode == 0
    assert _rows(target / "db.sqlite3") == original


def _debug_diff(a, b):
    for label in a["rows"]:
        if a["rows"][label] != b["rows"].get(label):
            for x, y in zip(a["rows"][label], b["rows"][label], strict=False):
                if x != y:
                    print(label, {k: (x[k], y.get(k)) for k in x if x[k] != y.get(k)})
                    break


def test_postgres_without_pg_dump_falls_back_to_json(newsroom, tmp_path, monkeypatch):
    if bk.vendor() != "postgresql":
        pytest.skip("the pg_dump fallback applies to PostgreSQL (run with DATABASE_URL)")
    before = snapshot()
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))  # pg_dump is not on PATH
    path = tmp_path / "site.backup"
    assert bk.backup(path) == "json"
    Story.objects.all().delete()
    assert bk.restore(path, force=True) == "json"
    assert snapshot() == before
