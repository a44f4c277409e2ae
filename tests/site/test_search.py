"""Full-text search (SQLite FTS5 / PostgreSQL tsvector), the search page and related stories."""

import re
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.article import Article, Block, DeepLook, QuickLooks
from newsdesk.site.ingestion.store import ingest
from newsdesk.site.search.backends import fts5_query
from newsdesk.site.search.index import deferred, rebuild, related, search
from newsdesk.site.search.models import StoryDocument
from newsdesk.site.stories.models import QuickLookBullet, Section, Story

_n = count(1)


def put(
    headline,
    body=(),
    *,
    bullets=(),
    summary="",
    lists=(),
    sections=("World",),
    when=None,
    publish=True,
):
    """A story stored through the ingest seam, with exactly the given text.

    Its sections are the editors' desks, made first: ingest only maps labels onto them.
    """
    for name in sections:
        Section.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    n = next(_n)
    blocks = [Block("paragraph", p) for p in body] + [Block("list", items=tuple(i)) for i in lists]
    story, _ = ingest(
        Article(
            headline=headline,
            sections=tuple(sections),
            summary=summary or f"Summary {n}.",
            published=when or datetime(2025, 5, 1, tzinfo=UTC) + timedelta(hours=n),
            quick_looks=QuickLooks(bullets=tuple(bullets) or (f"Point {n}.",)),
            deep_look=DeepLook(blocks=tuple(blocks)),
        ),
        publish=publish,
    )
    return story


def found(text):
    return [s.headline for s in search(text)[0:50]]


def test_finds_words_in_headline_summary_bullets_body_and_list_items(db):
    put("Harbour council votes", ["The mayor spoke at length."])
    put("Budget talks", ["Nothing here."], summary="The treasury expects a deficit.")
    put("Rail strike", ["Trains stop."], bullets=["Unions demand higher wages."])
    put("Weather", ["A calm week."], lists=[["Sunshine in Tartu", "Fog on the coast"]])
    assert found("harbour") == ["Harbour council votes"]
    assert found("deficit") == ["Budget talks"]
    assert found("wages") == ["Rail strike"]
    assert found("Tartu") == ["Weather"]
    assert found("mayor") == ["Harbour council votes"]
    assert found("harbours") == ["Harbour council votes"]  # stemmed on both engines
    assert found("nonexistentword") == []


def test_headline_match_ranks_above_body_match_and_count_is_exact(db):
    put("Ferry news", ["The ferry timetable changes; ferry fares rise; the ferry is late."])
    put("Ferry fares rise", ["Prices go up on Monday."])
    put("Other", ["Unrelated text."])
    results = search("ferry")
    assert results.count() == 2
    assert [s.headline for s in results[0:10]][0] in {"Ferry fares rise", "Ferry news"}
    assert [s.headline for s in search("fares")[0:10]] == ["Ferry fares rise", "Ferry news"]


def test_snippets_are_escaped_with_only_mark_tags(db):
    put("Markup <b>test</b>", ['The <script>alert("x")</script> tag & the dredging plan.'])
    [hit] = search("dredging")[0:5]
    assert "<mark>dredging</mark>" in hit.snippet_html.lower()
    assert "<script>" not in hit.snippet_html
    assert "<b>" not in hit.headline_html
    assert set(re.findall(r"<(/?\w+)", hit.snippet_html + hit.headline_html)) <= {"mark", "/mark"}


def test_web_search_syntax_phrase_or_and_exclusion(db):
    put("Port reopens", ["The old port reopens after the storm."])
    put("Storm damage", ["The storm broke the old pier."])
    assert found('"old port"') == ["Port reopens"]
    assert sorted(found("pier or reopens")) == ["Port reopens", "Storm damage"]
    assert found("storm -pier") == ["Port reopens"]
    assert sorted(found("storm old")) == ["Port reopens", "Storm damage"]


def test_index_follows_publish_edit_unpublish_and_delete(db):
    draft = put("Secret draft", ["Quokka sighting confirmed."], publish=False)
    assert found("quokka") == []
    draft.status = Story.PUBLISHED
    draft.save()
    assert found("quokka") == ["Secret draft"]
    draft.headline = "Quokka census"
    draft.blocks = [{"kind": "paragraph", "text": "Wombat numbers grow."}]
    draft.save()
    assert found("wombat") == ["Quokka census"] and found("sighting") == []
    bullet = QuickLookBullet.objects.filter(story=draft).first()
    bullet.text = "Pangolin spotted too."
    bullet.save()
    assert found("pangolin") == ["Quokka census"]
    bullet.delete()
    assert found("pangolin") == []
    draft.status = Story.UNPUBLISHED
    draft.save()
    assert found("wombat") == [] and not StoryDocument.objects.filter(story=draft).exists()
    draft.status = Story.PUBLISHED
    draft.save()
    assert found("wombat") == ["Quokka census"]
    draft.delete()
    assert found("wombat") == [] and StoryDocument.objects.count() == 0


def test_ingest_update_reindexes_the_new_version(db):
    story = put("Dam report", ["Engineers inspect the dam."])
    ingest(
        Article(
            headline="Dam report",
            published=story.published_at + timedelta(hours=1),
            source_url="",
            deep_look=DeepLook(
                blocks=(
                    Block(
                        "paragraph", "Engineers inspect the dam. Cracks were found in the spillway."
                    ),
                )
            ),
        )
    )
    story.refresh_from_db()
    assert found("spillway") == [story.headline]


def document_writes(queries) -> int:
    """How many statements in ``queries`` wrote a story's search document."""
    table = StoryDocument._meta.db_table
    write = re.compile(rf'^\s*(INSERT INTO|UPDATE) "?{table}"?\s', re.IGNORECASE)
    return sum(1 for q in queries if write.match(q["sql"]))


def test_ingest_writes_a_new_storys_document_once(db):
    with CaptureQueriesContext(connection) as queries:
        put("Kelp forest", ["Divers map the kelp."], bullets=("Otters return to the bay.",))
    assert document_writes(queries) == 1
    assert found("otters") == ["Kelp forest"] and found("divers") == ["Kelp forest"]


def test_an_ingested_update_writes_the_document_once(db):
    def version(hour, *paragraphs):
        return Article(
            headline="Dam report",
            source_url="https://news.example/dam-report",
            published=datetime(2025, 5, 1, hour, tzinfo=UTC),
            deep_look=DeepLook(blocks=tuple(Block("paragraph", p) for p in paragraphs)),
        )

    ingest(version(8, "Engineers inspect the dam. Divers check the sluice gates."))
    newer = version(9, "Engineers inspect the dam.", "The reservoir will be lowered by a metre.")
    with CaptureQueriesContext(connection) as queries:
        assert ingest(newer)[1] == "updated"
    assert document_writes(queries) == 1
    assert found("reservoir") == ["Dam report"] and found("sluice") == []


def test_an_admin_edit_with_bullets_writes_the_document_once(admin_client, db):
    from test_desk_copy import _form_data

    story = put("Reef survey", ["Corals bleach in the warm water."], bullets=("Reefs suffer.",))
    url = reverse("admin:stories_story_change", args=[story.pk])
    data = _form_data(admin_client.get(url))
    data["headline"] = "Reef survey finds recovery"
    data["bullets-0-text"] = "Parrotfish numbers recover."
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.post(url, data).status_code == 302
    assert document_writes(queries) == 1
    assert found("parrotfish") == ["Reef survey finds recovery"] and found("suffer") == []


def test_deferred_reindexes_at_the_end_and_not_after_an_error(db):
    story = put("Tide tables", ["High water at noon."])
    with deferred():
        story.headline = "Tide tables for the spring"
        story.save()
        QuickLookBullet.objects.create(story=story, order=5, text="Surfers cheer the swell.")
        assert found("surfers") == []  # noted, not yet written
    assert found("surfers") == ["Tide tables for the spring"]
    with CaptureQueriesContext(connection) as queries, pytest.raises(RuntimeError):
        with transaction.atomic(), deferred():
            QuickLookBullet.objects.create(story=story, order=6, text="Gulls circle.")
            raise RuntimeError("the editor's save failed")
    assert document_writes(queries) == 0 and found("gulls") == []


def test_future_published_stories_are_not_found_until_their_time(db):
    put("Embargoed", ["Narwhal report."], when=timezone.now() + timedelta(days=1))
    assert found("narwhal") == []


def test_rebuild_restores_the_index(db):
    put("Lighthouse keeper", ["A lighthouse on the cliff."])
    put("Draft", ["lighthouse"], publish=False)
    StoryDocument.objects.all().delete()
    assert found("lighthouse") == []
    assert rebuild() == 1
    assert found("lighthouse") == ["Lighthouse keeper"]


def test_cli_reindex(db, capsys):
    from newsdesk.cli import main

    put("Glacier melts", ["Ice."])
    StoryDocument.objects.all().delete()
    assert main(["reindex"]) == 0
    assert "1 published stories" in capsys.readouterr().err
    assert found("glacier") == ["Glacier melts"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("harbour", '"harbour"'),
        ("harbour plan", '"harbour" AND "plan"'),
        ('"old port" ships', '"old port" AND "ships"'),
        ("a or b c", '("a" OR "b") AND "c"'),
        ("storm -pier", '("storm") NOT "pier"'),
        ("U.S. talks", '"U S" AND "talks"'),
        ('AND( NEAR "* ^', '"AND" AND "NEAR"'),
        ("-only", ""),
        ("or", ""),
        ('"', ""),
        ("*", ""),
        ("", ""),
        ("\x00", ""),
    ],
)
def test_fts5_query_quotes_every_term(text, expected):
    assert fts5_query(text) == expected


HOSTILE = [
    '"',
    "*",
    "AND(",
    "NEAR(a b)",
    "^x",
    "a:b",
    "ünïcödé ✓",
    "😀",
    "-",
    "or or",
    "'; DROP TABLE x",
    "\x00nul",
    "a" * 5000,
    '"unclosed phrase',
    "(((",
    "x" + "\u0301" * 20,
    "ⅫⅢ",
    "中文 搜索",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_never_fail(client, db, text):
    put("Harbour plan", ["The harbour plan."])
    assert isinstance(search(text).count(), int)
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=60))
def test_any_query_is_safe(db, text):
    results = search(text)
    assert results.count() == len(results[0:1000])


def test_search_page_lists_highlighted_results_and_paginates(client, db, settings):
    settings.NEWSDESK_PAGE_SIZE = 2
    for n in range(5):
        put(f"Tram line {n}", [f"The tram line number {n} opens."])
    first = client.get("/search/", {"q": "tram"})
    html = first.content.decode()
    assert first.status_code == 200 and "5 results" in html
    assert html.count('class="result"') == 2 and "<mark>Tram</mark>" in html
    assert 'rel="next" href="?q=tram&amp;page=2"' in html
    last = client.get("/search/", {"q": "tram", "page": 3}).content.decode()
    assert last.count('class="result"') == 1
    assert client.get("/search/", {"q": "tram", "page": 9}).status_code == 404
    assert client.get("/search/", {"q": "tram", "page": "x"}).status_code == 404
    none = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "No stories match" in none
    assert client.get("/search/").status_code == 200


def test_header_has_a_search_box(client, db):
    put("Any story", ["Text."])
    html = client.get("/").content.decode()
    assert 'role="search" action="/search/"' in html and 'name="q"' in html


def test_related_stories_by_text_similarity(client, db):
    story = put(
        "Volcano erupts near Reykjavik",
        ["Lava flows toward the town of Grindavik."],
        bullets=["Volcano lava reaches Grindavik roads."],
        sections=("Science",),
    )
    twin = put(
        "Grindavik evacuated as volcano lava advances", ["Residents leave."], sections=("World",)
    )
    put("Football results", ["The home team won."], sections=("Science",))
    hidden = put("Volcano lava Grindavik draft", ["Lava."], publish=False)
    similar = related(story, n=5)
    assert similar and similar[0].pk == twin.pk
    assert story.pk not in {s.pk for s in similar} and hidden.pk not in {s.pk for s in similar}
    html = client.get(story.get_absolute_url()).content.decode()
    block = html[html.index('id="related-stories"') :]
    assert "Similar stories" in block and twin.get_absolute_url() in block
    assert html.index('id="more-on"') < html.index('id="related-stories"')
