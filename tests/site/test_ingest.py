"""`newsdesk ingest`: files, directories and feeds in; a per-item report; near-duplicates merged."""

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from lib._shared import shared

from newsdesk.article import Article, Block, DeepLook
from newsdesk.cli import main
from newsdesk.site.bulk import ingest_paths
from newsdesk.site.ingestion.models import Fingerprint
from newsdesk.site.ingestion.outcomes import DUPLICATE, INGESTED, UPDATED
from newsdesk.site.ingestion.store import ingest
from newsdesk.site.stories.models import QuickLookBullet, Section, Story

pytestmark = pytest.mark.django_db

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


def wire_copy(headline: str, paragraphs=PARAGRAPHS) -> str:
    return headline + "\n\n" + "\n\n".join(paragraphs) + "\n"


def rss(items: list[tuple[str, str, str]]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        f"<pubDate>Mon, 05 May 2025 0{i}:00:00 GMT</pubDate>"
        f"<description>{body}</description></item>"
        for i, (title, link, body) in enumerate(items)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<link>https://wire.example/</link><description>x</description>{entries}</channel></rss>"
    )


def article(headline, paragraphs=PARAGRAPHS, *, when=None, url=None, sections=("World",)):
    return Article(
        headline=headline,
        sections=tuple(sections),
        published=when,
        source_url=url,
        deep_look=DeepLook(blocks=tuple(Block("paragraph", p) for p in paragraphs)),
    )


def run(paths):
    out = io.StringIO()
    report = ingest_paths([str(p) for p in paths], out=out, err=io.StringIO())
    return report, out.getvalue().splitlines()


def test_directory_files_and_feed_with_per_item_report(tmp_path):
    folder = tmp_path / "in"
    (folder / "nested").mkdir(parents=True)
    (folder / "harbour.txt").write_text(wire_copy("Port votes to rebuild harbour wall"))
    other = [p.replace("harbour", "airport").replace("Fishermen", "Pilots") for p in PARAGRAPHS]
    (folder / "nested" / "airport.txt").write_text(
        wire_copy(
            "Airport runway plan approved",
            [
                "The regional council approved a second runway for the airport after a vote that "
                "split the governing coalition and drew protests from three nearby villages.",
                "Supporters said the runway would bring two thousand jobs; opponents said the "
                "noise "
                "and traffic would make the villages unlivable and cut the value of their homes.",
            ],
        )
    )
    (folder / "feed.xml").write_text(
        rss(
            [
                (
                    "Bridge reopens after repairs",
                    "https://wire.example/bridge",
                    " ".join(other[:2]),
                ),
                (
                    "Library extends opening hours",
                    "https://wire.example/library",
                    "The city library will open until ten at night from June, the council said.",
                ),
            ]
        )
    )
    (folder / "empty.html").write_text("")
    (folder / "photo.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))

    report, lines = run([folder])

    assert report.counts() == {
        "ingested": 4,
        "updated": 0,
        "duplicate": 0,
        "rejected": 1,
        "skipped": 1,
    }
    assert Story.objects.count() == 4
    assert {s.headline for s in Story.objects.all()} == {
        "Port votes to rebuild harbour wall",
        "Airport runway plan approved",
        "Bridge reopens after repairs",
        "Library extends opening hours",
    }
    ((name, reason),) = report.rejected
    assert name.endswith("empty.html") and reason == "empty file: no story in it"
    assert any(line.startswith("rejected") and "empty.html" in line for line in lines)
    bridge = Story.objects.get(headline="Library extends opening hours")
    assert f"ingested  {folder / 'feed.xml'}#2 -> {bridge.get_absolute_url()} (" in "\n".join(lines)
    assert f"skipped   {folder / 'photo.bin'}: a PNG image, not a story" in lines
    assert lines[-1] == "4 ingested, 0 duplicate, 1 rejected, 0 updated, 1 skipped"
    bridge = Story.objects.get(headline="Bridge reopens after repairs")
    assert bridge.source_url == "https://wire.example/bridge"

    again, lines = run([folder])
    assert again.counts() == {
        "ingested": 0,
        "updated": 0,
        "duplicate": 4,
        "rejected": 1,
        "skipped": 1,
    }
    assert Story.objects.count() == 4


def test_a_failing_item_loses_nothing_stored_before_or_after(tmp_path):
    (tmp_path / "a.txt").write_text(wire_copy("First story of the run"))
    (tmp_path / "b.json").write_text('{"headline": 12, "deep_look": "not blocks"')
    (tmp_path / "c.txt").write_text(
        "Third story of the run\n\nThe mayor opened the new market hall.\n"
    )
    (tmp_path / "missing.txt").unlink(missing_ok=True)

    report, _ = run(
        [tmp_path / "a.txt", tmp_path / "b.json", tmp_path / "missing.txt", tmp_path / "c.txt"]
    )

    assert report.ingested == [str(tmp_path / "a.txt"), str(tmp_path / "c.txt")]
    reasons = dict(report.rejected)
    assert "b.json" in reasons[str(tmp_path / "b.json")]
    assert reasons[str(tmp_path / "missing.txt")] == "no such file or directory"
    assert set(Story.objects.values_list("headline", flat=True)) == {
        "First story of the run",
        "Third story of the run",
    }


def test_cli_exit_status_is_1_when_anything_is_rejected(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(wire_copy("Harbour wall vote passes"))
    assert main(["ingest", str(good)]) == 0
    bad = tmp_path / "bad.html"
    bad.write_text("")
    assert main(["ingest", str(good), str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "0 ingested, 1 duplicate, 1 rejected, 0 updated, 0 skipped"
    assert Story.objects.filter(headline="Harbour wall vote passes").count() == 1


def test_same_wire_story_from_two_feeds_with_new_headline_is_one_updated_story():
    for name in ("World", "Europe"):  # the editors' desks
        Section.objects.create(name=name, slug=name.lower())
    first, outcome = ingest(
        article(
            "Port votes to rebuild harbour wall",
            when=datetime(2025, 5, 5, 8, tzinfo=UTC),
            url="https://one.example/harbour",
        )
    )
    assert outcome == INGESTED
    slug = first.slug
    QuickLookBullet.objects.create(story=first, order=0, text="Editor's own point", locked=True)
    first.bullets.exclude(locked=True).update(order=5)
    # The other feed: another URL and headline, a corrected paragraph, an hour later.
    changed = [*PARAGRAPHS[:3], PARAGRAPHS[3].replace("summer months", "spring and summer")]
    second, outcome = ingest(
        article(
            "Harbour wall to be rebuilt, port says",
            changed,
            when=datetime(2025, 5, 5, 9, tzinfo=UTC),
            url="https://two.example/wall",
            sections=("Europe",),
        )
    )

    assert outcome == UPDATED
    assert Story.objects.count() == 1
    story = Story.objects.get()
    assert story.pk == first.pk and story.slug == slug
    assert story.headline == "Harbour wall to be rebuilt, port says"
    assert "spring and summer" in story.blocks[3]["text"]
    assert story.source_url == "https://one.example/harbour"
    placed = story.storysection_set.order_by("order").values_list("section__name", flat=True)
    assert list(placed) == ["World", "Europe"]
    bullets = list(story.bullets.all())
    assert bullets[0].text == "Editor's own point" and bullets[0].locked
    assert [b.order for b in bullets] == list(range(len(bullets)))
    assert Fingerprint.objects.count() == 1

    # The older version arriving late changes nothing.
    late, outcome = ingest(
        article("Port votes to rebuild harbour wall", when=datetime(2025, 5, 5, 7, tzinfo=UTC))
    )
    assert outcome == DUPLICATE
    assert Story.objects.get().headline == "Harbour wall to be rebuilt, port says"


def test_different_stories_and_short_bodies_are_not_merged(make_story):
    one, _ = ingest(article("Harbour wall vote"))
    two, outcome = ingest(
        article(
            "Runway vote",
            [p.replace("harbour", "runway") for p in PARAGRAPHS[:1]]
            + [
                "The regional council approved a second runway for the airport after a vote that "
                "split the governing coalition and drew protests from three nearby villages.",
                "Supporters said the runway would bring two thousand jobs; opponents said the "
                "noise "
                "and traffic would make the villages unlivable and cut the value of their homes.",
            ],
        )
    )
    assert one.pk != two.pk and outcome == INGESTED
    # Bodies too short to fingerprint (like make_story's) stay separate stories.
    a, b = make_story(), make_story()
    assert a.pk != b.pk
    assert not Fingerprint.objects.filter(story__in=[a, b]).exists()


def test_real_articles_and_edited_copies(tmp_path):
    rows = [
        json.loads(line)
        for line in shared("data", "summaries", "cnndm-dev.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()[:12]
    ]
    for row in rows:
        paras = row["article"].split("\n") if "\n" in row["article"] else [row["article"]]
        (tmp_path / f"{row['id']}.txt").write_text(wire_copy(row["highlights"][0], paras))
    report, _ = run([tmp_path])
    assert len(report.ingested) == 12 and not report.rejected

    # The same articles again under new headlines with their last sentence cut: updates.
    edited = tmp_path / "edited"
    edited.mkdir()
    for row in rows:
        text = row["article"].rsplit(". ", 1)[0] + "."
        (edited / f"{row['id']}.txt").write_text(
            wire_copy("UPDATE: " + row["highlights"][0], [text])
        )
    report, _ = run([edited])
    assert len(report.updated) == 12, report.lines()
    assert Story.objects.count() == 12
    assert Story.objects.filter(headline__startswith="UPDATE: ").count() == 12


def test_real_feeds_and_pages(tmp_path):
    feeds = shared("data", "feeds")
    guardian = feeds / "rss-parser" / "test" / "input" / "guardian.rss"
    heise = feeds / "rss-parser" / "test" / "input" / "heise.atom"
    page = shared("data", "pages", "html", "newspaper4k__cnn_001.html")
    report, lines = run([guardian, heise, page])
    assert len(report.ingested) >= 60, lines[-1]
    assert not report.rejected, report.rejected
    stored = Story.objects.count()
    assert stored == len(report.ingested)
    again, _ = run([guardian, heise, page])
    assert again.ingested == [] and Story.objects.count() == stored


def test_progress_bar_only_on_a_terminal(tmp_path):
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(
            f"Story {n} of three\n\nThe council met for the {n} time.\n"
        )

    class Tty(io.StringIO):
        def isatty(self):
            return True

    err, out = Tty(), io.StringIO()
    ingest_paths([str(tmp_path)], out=out, err=err)
    assert "3/3" in err.getvalue()
    plain = io.StringIO()
    ingest_paths([str(tmp_path)], out=io.StringIO(), err=plain)
    assert plain.getvalue() == ""


def test_published_time_of_update_is_kept():
    when = datetime(2025, 5, 5, 8, tzinfo=UTC)
    ingest(article("Harbour plan", when=when))
    ingest(article("Harbour plan, revised", when=when + timedelta(hours=2)))
    story = Story.objects.get()
    assert story.published_at == when and story.headline == "Harbour plan, revised"


def test_labels_naming_a_section_in_any_case_map_to_it_and_others_become_tags():
    Section.objects.create(name="News", slug="news")
    story, outcome = ingest(
        article("Harbour plan", sections=("News", "news", "NEWS ", "Europe", "europe"))
    )
    assert outcome == INGESTED
    assert list(
        story.storysection_set.order_by("order").values_list("section__slug", flat=True)
    ) == ["news"]
    assert list(story.tags.values_list("name", flat=True)) == ["Europe"]
    assert list(Section.objects.values_list("slug", flat=True)) == ["news"]
