"""The Article → Story seam, the demo loader, and settings from the environment."""

import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.site.stories.models import QuickLookBullet, Section, Story

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_ingest_stores_every_part_of_the_article(make_story):
    story = make_story("Harbour plan approved", sections=("US", "Business"))
    assert [s.name for s in story.sections.order_by("storysection__order")] == ["US", "Business"]
    assert story.dateline == "WASHINGTON" and story.deep_look_dateline == "TALLINN, ESTONIA"
    assert story.edition.period == "morning" and story.status == Story.PUBLISHED
    assert [b["kind"] for b in story.blocks] == ["paragraph", "heading", "quote", "list"]
    assert list(story.bullets.values_list("text", flat=True)) == ["First point", "Second point"]
    assert story.captions.get().credit == "AP Photo/ Jane Doe"


@pytest.mark.django_db
def test_ingesting_the_same_story_twice_keeps_one(make_story):
    from newsdesk.article import Article
    from newsdesk.site.ingestion.store import ingest

    article = Article(
        headline="Once",
        source_url="https://example.org/once",
        deep_look=Article.from_dict(
            {"deep_look": {"blocks": [{"kind": "paragraph", "text": "Only once. Really."}]}}
        ).deep_look,
    )
    assert ingest(article)[0].pk == ingest(article)[0].pk
    assert Story.objects.count() == 1


@pytest.mark.django_db
def test_machine_bullets_keep_their_source_sentences():
    from newsdesk.article import Article, Block, DeepLook
    from newsdesk.site.ingestion.store import ingest

    text = " ".join(
        f"The council approved plan number {n} for the harbour on Monday." for n in range(10)
    )
    story, _ = ingest(
        Article(headline="Plans", deep_look=DeepLook(blocks=(Block("paragraph", text),)))
    )
    bullets = list(story.bullets.all())
    assert bullets and all(b.source_sentences for b in bullets)


@pytest.mark.django_db
def test_demo_loads_once_with_sections_editions_and_quick_looks():
    from newsdesk.site.ingestion.demo import load_demo

    loaded = load_demo()
    assert loaded >= 12
    assert load_demo() == 0 and Story.objects.count() == loaded
    assert Section.objects.filter(stories__isnull=False).distinct().count() >= 4
    assert set(Story.objects.values_list("edition__period", flat=True)) == {"morning", "evening"}
    assert not Story.objects.filter(bullets__isnull=True).exists()
    assert QuickLookBullet.objects.count() >= 4 * loaded
    assert Story.objects.filter(is_top_story=True).count() == 1
    assert all("Wikinews" in s.attribution for s in Story.objects.all())


def test_debug_off_with_the_development_key_refuses_to_start(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "NEWSDESK_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "newsdesk.site.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_importing_the_library_leaves_django_out():
    code = (
        "import sys, newsdesk; newsdesk.parse; assert 'django' not in sys.modules, 'django loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
