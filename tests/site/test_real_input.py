"""Real input, right story: feeds, labels, reports, limits and dates, as users send them."""

import json
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from lib._shared import shared

from newsdesk.article import Article, Block, DeepLook
from newsdesk.cli import main
from newsdesk.site.ingestion.demo import load_demo
from newsdesk.site.ingestion.models import CategoryRule, FeedSource, PageFetch
from newsdesk.site.ingestion.polling import poll_due
from newsdesk.site.ingestion.store import ingest
from newsdesk.site.stories.models import Edition, Section, Story, Tag

pytestmark = pytest.mark.django_db(transaction=True)

GUARDIAN = ("data", "feeds", "rss-parser", "test", "input", "guardian.rss")
PARAGRAPHS = [
    "The port authority voted on Monday to rebuild the old north harbour wall, ending a "
    "dispute that has run for more than a decade between fishermen and the city council.",
    "Engineers said the wall could fail in a strong winter storm, and that repairs would take "
    "three years and cost the city forty million euros, most of it from a national fund.",
    "Fishermen, who had asked for a new wall since the storm of 2014 flooded the quay, said "
    "they would keep their boats in the south harbour while the work goes on.",
]


def menu(client) -> list[str]:
    """The section names in the header menu of the home page, as a reader sees them."""
    html = client.get("/").content.decode()
    return [s.name for s in Section.objects.filter(in_menu=True) if s.get_absolute_url() in html]


def run_cli(args, capsys) -> tuple[int, list[str]]:
    code = main(["ingest", *map(str, args)])
    return code, capsys.readouterr().out.splitlines()


# --- Feed categories are tags; sections are the editors' ------------------------------------


def test_guardian_feed_through_the_cli_makes_tags_never_sections(client, capsys):
    load_demo()
    sections, before = Section.objects.count(), menu(client)
    code, lines = run_cli([shared(*GUARDIAN)], capsys)
    assert code == 0
    assert lines[-1].startswith("55 ingested")
    assert Section.objects.count() == sections
    assert menu(client) == before
    trump = Tag.objects.get(slug="donald-trump")
    assert trump.stories.count() > 10
    # Every Guardian entry ends in "Continue reading...": teasers, drafts until fetched.
    stored = Story.objects.filter(source_url__contains="theguardian.com")
    assert stored.count() == 55 and not stored.filter(status=Story.PUBLISHED).exists()
    assert PageFetch.objects.filter(done=False).count() == 55
    assert all("Continue reading" not in json.dumps(s.blocks) for s in stored)
    assert "teaser: kept as a draft until its page is fetched" in lines[0]


def test_labels_naming_sections_map_to_them_and_the_rest_are_tags_with_pages_and_feeds(
    client, settings
):
    settings.NEWSDESK_PAGE_SIZE = 5
    Section.objects.create(name="Business", slug="business")
    for n in range(7):
        ingest(
            Article(
                headline=f"Dolphins seen in the harbour for day {n}",
                sections=("business", "Dolphins", "Marine life"),
                # four days apart, past the clusters' 72 h window: seven sightings, not one
                # event's coverage (a tag page lists one entry per cluster)
                published=datetime(2025, 5, 1, 8, tzinfo=UTC) + timedelta(days=4 * n),
                deep_look=DeepLook(blocks=(Block("paragraph", PARAGRAPHS[n % 3]),)),
            )
        )
    assert list(Section.objects.values_list("slug", flat=True)) == ["business"]
    assert set(Tag.objects.values_list("slug", flat=True)) == {"dolphins", "marine-life"}
    page = client.get("/tag/dolphins/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Dolphins</h1>" in html and "Page 1 of 2" in html
    assert "day 6" in html and "day 1" not in html
    assert "day 1" in client.get("/tag/dolphins/?page=2").content.decode()
    story = Story.objects.get(headline="Dolphins seen in the harbour for day 3")
    on_page = client.get(story.get_absolute_url()).content.decode()
    assert '<a href="/tag/dolphins/">Dolphins</a>' in on_page
    assert '<a href="/tag/marine-life/">Marine life</a>' in on_page
    assert client.get("/tag/dolphins/?page=3").status_code == 404
    assert "/tag/dolphins/" not in client.get("/").content.decode()  # never in the menu
    assert 'href="http://testserver/tag/dolphins/rss.xml"' in html
    rss = ElementTree.fromstring(client.get("/tag/dolphins/rss.xml").content)
    assert rss.findtext("channel/title").startswith("Dolphins")
    assert len(rss.findall("channel/item")) == 7
    atom = ElementTree.fromstring(client.get("/tag/dolphins/atom.xml").content)
    assert len(atom.findall("{http://www.w3.org/2005/Atom}entry")) == 7
    feed = client.get("/tag/dolphins/feed.json").json()
    assert len(feed["items"]) == 7


def test_seed_top_story_label_makes_the_top_story_not_a_section(client, capsys):
    Section.objects.create(name="US", slug="us")
    code, lines = run_cli([shared("seed", "newslooks-article.txt")], capsys)
    assert code == 0
    story = Story.objects.get()
    assert story.is_top_story
    assert list(story.sections.values_list("name", flat=True)) == ["US"]
    assert not Section.objects.filter(name__iexact="top story").exists()
    assert not Tag.objects.filter(name__iexact="top story").exists()
    ingest(  # a newer story: the home page's top story is still the flagged one
        Article(
            headline="Harbour wall to be rebuilt",
            published=timezone.now() - timedelta(minutes=1),
            deep_look=DeepLook(blocks=tuple(Block("paragraph", p) for p in PARAGRAPHS)),
        )
    )
    assert client.get("/").context["top"] == story


# --- Feed polling: the editors' mapping and teasers' pages over real HTTP --------------------


def rss(base: str, items) -> bytes:
    """An RSS 2.0 feed of (slug, title, categories, description HTML) items."""
    body = "".join(
        f"<item><title>{title}</title><link>{base}/{slug}</link><guid>{base}/{slug}</guid>"
        f"<pubDate>Mon, 05 May 2025 08:00:00 GMT</pubDate>"
        + "".join(f"<category>{c}</category>" for c in categories)
        + f"<description><![CDATA[{html}]]></description></item>"
        for slug, title, categories, html in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
        f"<link>{base}/</link><description>Wire</description>{body}</channel></rss>"
    ).encode()


BODIES = {
    "market": "Shares fell across Europe on Tuesday as investors sold banks and carmakers after "
    "the central bank said it would keep interest rates higher for longer than expected. The "
    "main index lost three per cent, its worst day since the spring, and the currency slipped "
    "against the dollar while bond yields rose to a twelve-year high.",
    "harbour": " ".join(PARAGRAPHS),
    "bridge": "The old river bridge reopened to cars on Wednesday after eighteen months of "
    "repairs that replaced its rusted steel cables and widened the footpaths. Traffic on the "
    "ring road fell by a fifth within hours, the city's transport office said, and the buses "
    "that had taken a long detour since last winter went back to their old routes.",
}


def long_text(topic: str) -> str:
    return BODIES[topic]


@pytest.fixture
def site(local_site):
    """The news site the feed and its stories' pages come from (a real local server)."""
    return local_site


def test_polled_feed_maps_categories_by_rule_else_default_else_unsorted(site, admin_client):
    world, business = (Section.objects.create(name=n, slug=n.lower()) for n in ("World", "Money"))
    site.serve(
        "/feed.xml",
        rss(
            site.url,
            [
                ("a", "Markets fall", ["Stocks", "Donald Trump"], f"<p>{long_text('market')}</p>"),
                ("b", "Harbour rebuilt", ["Ports"], f"<p>{long_text('harbour')}</p>"),
            ],
        ),
        "application/rss+xml",
    )
    source = FeedSource.objects.create(url=f"{site.url}/feed.xml", section=world)
    CategoryRule.objects.create(source=source, category="stocks", section=business)
    other = FeedSource.objects.create(url=f"{site.url}/feed.xml?2", next_poll=timezone.now())
    site.serve(
        "/feed.xml?2",
        rss(site.url, [("c", "Bridge reopens", ["Roads"], f"<p>{long_text('bridge')}</p>")]),
        "application/rss+xml",
    )
    sections_before = Section.objects.count()
    poll_due(timezone.now() + timedelta(seconds=1))

    def placed(headline):
        return list(Story.objects.get(headline=headline).sections.values_list("name", flat=True))

    assert placed("Markets fall") == ["Money"]  # the rule
    assert placed("Harbour rebuilt") == ["World"]  # the source's default
    assert placed("Bridge reopens") == []  # no mapping: the Unsorted queue
    assert Section.objects.count() == sections_before
    assert set(Story.objects.get(headline="Markets fall").tags.values_list("name", flat=True)) == {
        "Stocks",
        "Donald Trump",
    }
    other.refresh_from_db()
    assert other.failures == 0
    unsorted = admin_client.get("/admin/stories/story/?section=unsorted").content.decode()
    assert "Bridge reopens" in unsorted and "Markets fall" not in unsorted


def test_teaser_entry_stays_draft_until_its_page_is_fetched_with_backoff(site):
    teaser = (
        "<p>Engineers said the north wall could fail in a strong winter storm.</p> "
        "<p>Related: <a href='/older'>Fact check: the harbour vote</a></p> "
        f"<a href='{site.url}/harbour'>Continue reading...</a>"
    )
    site.serve(
        "/feed.xml",
        rss(site.url, [("harbour", "Port votes to rebuild harbour wall", ["Ports"], teaser)]),
        "application/rss+xml",
    )
    site.serve("/harbour", status=500)
    FeedSource.objects.create(url=f"{site.url}/feed.xml", interval=600)
    now = timezone.now() + timedelta(seconds=1)

    (result,) = poll_due(now)
    assert [o.status for o in result.outcomes] == ["ingested"]
    story = Story.objects.get()
    assert story.status == Story.DRAFT
    assert [b["text"] for b in story.blocks] == [
        "Engineers said the north wall could fail in a strong winter storm."
    ]
    page = PageFetch.objects.get(story=story)
    assert page.failures == 1 and "HTTP 500" in page.last_error
    assert page.next_try == now + timedelta(seconds=2 * page.interval)

    site.serve(
        "/harbour",
        (
            "<!doctype html><html><head><title>Port votes to rebuild harbour wall</title></head>"
            "<body><nav><a href='/'>Home</a></nav><article><h1>Port votes to rebuild harbour "
            "wall</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article></body></html>"
        ).encode(),
    )
    assert poll_due(now + timedelta(seconds=60)) == []  # backing off: neither feed nor page due
    assert site.paths().count("/harbour") == 1
    poll_due(page.next_try)
    story.refresh_from_db()
    page.refresh_from_db()
    assert page.done and page.failures == 0
    assert story.status == Story.PUBLISHED
    assert [b["text"] for b in story.blocks] == PARAGRAPHS
    assert story.headline == "Port votes to rebuild harbour wall"
    # The same teaser polled again is a duplicate: it never overwrites the full text.
    FeedSource.objects.update(next_poll=now, etag="")
    (again,) = poll_due(page.next_try + timedelta(hours=1))
    assert [o.status for o in again.outcomes] == ["duplicate"]
    story.refresh_from_db()
    assert [b["text"] for b in story.blocks] == PARAGRAPHS


# --- Ingest reports, limits, slugs and dates through the CLI and the API ---------------------


def test_every_file_gets_a_line_and_kinds_are_told_by_content(tmp_path, capsys):
    wire = tmp_path / "AP-WIRE-0001"
    wire.write_text(
        "Port votes to rebuild harbour wall\n\nWASHINGTON (AP) — " + "\n\n".join(PARAGRAPHS)
    )
    (tmp_path / "junk.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "notes.md").write_text("")
    (tmp_path / "list.csv").write_text("slug,title,date\na,Harbour,2025\nb,Bridge,2025\n")
    code, lines = run_cli([tmp_path], capsys)
    story = Story.objects.get()
    assert lines == [
        f"ingested  {wire} -> {story.get_absolute_url()} (date: ingest time)",
        f"skipped   {tmp_path / 'junk.bin'}: binary data, not a story",
        f"skipped   {tmp_path / 'list.csv'}: comma-separated data, not a story",
        f"rejected  {tmp_path / 'notes.md'}: empty file: no story in it",
        "1 ingested, 0 duplicate, 1 rejected, 0 updated, 2 skipped",
    ]
    assert code == 1
    assert story.headline == "Port votes to rebuild harbour wall"


def test_one_upload_limit_for_the_cli(tmp_path, capsys, settings):
    settings.NEWSDESK_MAX_UPLOAD_BYTES = 1000
    big = tmp_path / "big.txt"
    big.write_text("Harbour\n\n" + "The wall is old. " * 100)
    code, lines = run_cli([big], capsys)
    assert code == 1
    assert lines[0] == (
        f"rejected  {big}: is 1,709 bytes, over the upload limit of 1,000 bytes "
        "(NEWSDESK_MAX_UPLOAD_BYTES)"
    )


def test_long_headline_slug_is_cut_at_a_word_boundary():
    headline = (
        "Justices hear arguments on whether a state may bar a candidate from the ballot in a "
        "case that began at the Supreme Court of Colorado last winter"
    )
    story, _ = ingest(
        Article(headline=headline, deep_look=DeepLook(blocks=(Block("paragraph", PARAGRAPHS[0]),)))
    )
    full = headline.lower().replace(" ", "-")
    assert len(full) > 100 and len(story.slug) <= 100
    assert full.startswith(story.slug) and full[len(story.slug)] == "-"  # a whole word


@pytest.mark.parametrize(
    "published", ["0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2999-05-01T00:00:00Z"]
)
def test_impossible_dates_are_missing_dates_and_make_no_year_one_edition(
    tmp_path, capsys, published
):
    page = tmp_path / "story.json"
    page.write_text(
        json.dumps(
            {
                "headline": "Port votes to rebuild harbour wall",
                "published": published,
                "deep_look": {"blocks": [{"kind": "paragraph", "text": p} for p in PARAGRAPHS]},
            }
        )
    )
    before = timezone.now()
    code, lines = run_cli([page], capsys)
    assert code == 0 and "(date: ingest time" in lines[0]
    story = Story.objects.get()
    assert before <= story.published_at <= timezone.now()
    assert not Edition.objects.filter(date__year__lt=1990).exists()
    assert not Edition.objects.filter(date__gt=timezone.localdate() + timedelta(days=1)).exists()


def test_detroit_news_placeholder_date_is_not_the_publish_date(capsys):
    page = shared("data", "pages", "html", "scrapinghub__detroitnews_com__7de5241947.html")
    code, lines = run_cli([page], capsys)
    assert code == 0
    story = Story.objects.get()
    assert story.published_at.year >= 1990
    assert not Edition.objects.filter(date__year__lt=1990).exists()
    assert "date: " in lines[0]


# --- Page dates, site names and captions, through `newsdesk ingest` and the story page -------


def _page(name: str):
    return shared("data", "pages", "html", f"scrapinghub__{name}.html")


@pytest.mark.parametrize(
    ("name", "day", "source"),
    [
        # datePublished "0001-01-01T00:00:00Z": the address's /2019/11/19/ gives the date
        ("detroitnews_com__7de5241947", "2019-11-19", "url"),
        ("usatoday_com__776a1c0467", "2019-11-19", "url"),
        ("bbc_com__70cb2d5bca", "2019-11-19", "json-ld"),
        ("theguardian_com__5fa3154ec0", "2019-11-18", "meta"),
    ],
)
def test_ingest_report_names_the_source_that_gave_the_date(capsys, name, day, source):
    code, lines = run_cli([_page(name)], capsys)
    assert code == 0
    assert lines[0].startswith("ingested") and f"(date: {source}" in lines[0]
    story = Story.objects.get()
    assert story.published_at.astimezone(UTC).date().isoformat() == day
    assert story.edition.date.year == 2019


def test_ingest_report_says_a_time_element_gave_the_date(tmp_path, capsys):
    # The Guardian's page without its date meta tags: its <time datetime> is what is left.
    html = _page("theguardian_com__5fa3154ec0").read_text(encoding="utf-8")
    for tag in ('property="article:published_time"', 'itemprop="dateModified"'):
        html = html.replace(f"<meta {tag}", "<meta data-removed")
    html = html.replace('"datemodified"', '"removed"')
    path = tmp_path / "guardian-view.html"
    path.write_text(html, encoding="utf-8")
    code, lines = run_cli([path], capsys)
    assert code == 0 and "(date: time" in lines[0]
    assert Story.objects.get().published_at == datetime(2019, 11, 18, 18, 54, 53, tzinfo=UTC)


def test_feed_entry_with_a_placeholder_date_takes_its_links_date(tmp_path, capsys):
    feed = tmp_path / "wire.rss"
    feed.write_bytes(
        rss("https://www.detroitnews.com/story/news/2019/11/19", [("teachers", "x", [], "")])
        .replace(b"Mon, 05 May 2025 08:00:00 GMT", b"Mon, 01 Jan 1900 00:00:00 GMT")
        .replace(b"<title>x</title>", b"<title>Thousands of teachers pack Statehouse</title>")
        .replace(b"<![CDATA[]]>", f"<![CDATA[<p>{' '.join(PARAGRAPHS)}</p>]]>".encode())
    )
    code, lines = run_cli([feed], capsys)
    assert code == 0 and "(date: url" in lines[0]
    assert Story.objects.get().published_at.date().isoformat() == "2019-11-19"


def test_real_feed_entries_say_the_feed_gave_their_date(capsys):
    code, lines = run_cli([shared(*GUARDIAN)], capsys)
    assert code == 0
    ingested = [line for line in lines if line.startswith("ingested")]
    assert ingested and all("(date: feed" in line for line in ingested)


def test_bbc_story_page_names_its_site_once_and_pairs_captions_with_their_photos(client, capsys):
    code, _ = run_cli([_page("bbc_com__70cb2d5bca")], capsys)
    assert code == 0
    story = Story.objects.get()
    assert story.site_name == "BBC News"
    html = client.get(story.get_absolute_url()).content.decode()
    slug_line = html[html.index('id="slug-line"') : html.index('id="summary"')]
    assert slug_line.count("BBC News/") == 1
    captions = {c.text[:20]: c.image_url for c in story.captions.all()}
    assert captions["Scooter Braun has ma"].endswith("_107653729_bieberscooter976.jpg")
    assert captions["Taylor Swift's seven"].endswith("_109740277_swifty2.jpg")


@pytest.mark.parametrize(
    ("name", "site", "headline"),
    [
        (
            "hosted_ap_org__82b6d780c7",
            "AP",
            "Unpredictable Sondland faces questions about Trump, Ukraine",
        ),
        (
            "theguardian_com__5fa3154ec0",
            "the Guardian",
            "The Guardian view on Hong Kong: a city on the brink",
        ),
        (
            "thehill_com__6ebac05f63",
            "The Hill",
            "New York man pleads guilty to threatening to kill Omar",
        ),
    ],
)
def test_stored_site_names_and_headlines_carry_no_labels(client, capsys, name, site, headline):
    code, _ = run_cli([_page(name)], capsys)
    assert code == 0
    story = Story.objects.get()
    assert (story.site_name, story.headline) == (site, headline)
    html = client.get(story.get_absolute_url()).content.decode()
    slug_line = html[html.index('id="slug-line"') : html.index('id="summary"')]
    assert slug_line.count(f"{site}/") == 1
    assert "Editorial/ Editorial/" not in slug_line and "| " not in slug_line


# --- Teasers' pages asked for again, conditionally, until the full text is there ------------


def _developing(headline: str) -> bytes:
    """A story page that so far holds two lines: the site's "developing story" stub."""
    return (
        f"<!doctype html><html><head><title>{headline}</title></head><body><article>"
        f"<h1>{headline}</h1><p>This is a developing story and will be updated.</p>"
        "<p>Check back for more as we get it.</p></article></body></html>"
    ).encode()


def test_teaser_page_is_asked_again_with_its_etag_until_the_full_text_arrives(site):
    from newsdesk.site.ingestion import pages

    headline = "Taylor Swift's AMA row seems to be over"
    teaser = f"<p>The row is over.</p> <a href='{site.url}/swift'>Continue reading...</a>"
    site.serve(
        "/feed.xml",
        rss(site.url, [("swift", headline, ["Music"], teaser)]),
        "application/rss+xml",
    )
    site.serve("/swift", _developing(headline), etag='"stub"')
    FeedSource.objects.create(url=f"{site.url}/feed.xml", interval=600)
    now = timezone.now() + timedelta(seconds=1)

    poll_due(now)  # the entry, then its page: only the stub so far
    story, page = Story.objects.get(), PageFetch.objects.get()
    assert story.status == Story.DRAFT and not page.done
    assert page.etag == '"stub"' and page.failures == 1
    assert "not the full text" in page.last_error

    poll_due(page.next_try)  # asked again with the ETag: 304, the same stub
    page.refresh_from_db()
    assert page.failures == 2 and "304" in page.last_error
    assert page.next_try > now + timedelta(seconds=4 * page.interval - 1)  # backing off

    # The newsroom publishes the story: the real BBC page, with a new ETag.
    site.serve("/swift", _page("bbc_com__70cb2d5bca").read_bytes(), etag='"full"')
    poll_due(page.next_try)
    story.refresh_from_db()
    page.refresh_from_db()
    assert page.done and page.failures == 0
    assert story.status == Story.PUBLISHED
    assert "Scooter Braun" in " ".join(b.get("text", "") for b in story.blocks)
    # The page's JSON-LD date outranks the feed entry's (5 May 2025), as do its meta tags.
    assert story.published_at == datetime(2019, 11, 19, 9, 44, 9, tzinfo=UTC)
    assert story.edition.date.isoformat() == "2019-11-19"
    asked = [seen.if_none_match for seen in site.requests if seen.path == "/swift"]
    assert asked == [None, '"stub"', '"stub"']
    # Fetched in full: never asked again.
    poll_due(page.next_try + timedelta(days=2))
    assert [seen.path for seen in site.requests].count("/swift") == 3
    assert pages.due(page.next_try + timedelta(days=30)).count() == 0


def test_teaser_page_that_never_fills_is_given_up_after_the_limit(site):
    from newsdesk.site.ingestion import pages

    headline = "Port votes to rebuild harbour wall"
    teaser = f"<p>The port voted.</p> <a href='{site.url}/wall'>Continue reading...</a>"
    site.serve("/feed.xml", rss(site.url, [("wall", headline, [], teaser)]), "application/rss+xml")
    stamp = "Mon, 05 May 2025 08:00:00 GMT"
    site.serve("/wall", _developing(headline), last_modified=stamp)
    FeedSource.objects.create(url=f"{site.url}/feed.xml", interval=600)
    when = timezone.now() + timedelta(seconds=1)
    poll_due(when)
    page = PageFetch.objects.get()
    for _ in range(pages.MAX_TRIES + 3):
        page.refresh_from_db()
        when = max(when, page.next_try)
        poll_due(when)
    page.refresh_from_db()
    asked = [seen for seen in site.requests if seen.path == "/wall"]
    assert len(asked) == pages.MAX_TRIES  # then no more
    assert [seen.if_modified_since for seen in asked[1:]] == [stamp] * (pages.MAX_TRIES - 1)
    assert page.failures == pages.MAX_TRIES and "given up" in page.last_error
    assert Story.objects.get().status == Story.DRAFT
    assert not pages.due(when + timedelta(days=30)).exists()


# --- Licence and README files beside the stories ---------------------------------------------


def test_licence_and_readme_files_in_a_feeds_folder_are_skipped_with_why(tmp_path, capsys):
    feeds = shared("data", "feeds")
    folder = tmp_path / "feeds"
    folder.mkdir()
    for project in ("feedjira", "trafilatura", "feedparser_examples", "rss-parser"):
        (folder / f"{project}-LICENSE").write_bytes((feeds / project / "LICENSE").read_bytes())
    (folder / "README").write_text(
        "# wirefeeds\n\nSample feeds for parser tests.\n\n## Installation\n\n"
        "```\npip install wirefeeds\n```\n\n## Usage\n\nRun the tests with `make test`.\n"
    )
    (folder / "AP-WIRE-0001").write_text(
        "Port votes to rebuild harbour wall\n\nWASHINGTON (AP) — " + "\n\n".join(PARAGRAPHS)
    )
    sections = Section.objects.count()
    code, lines = run_cli([folder], capsys)
    assert code == 0
    by_name = {line.split()[1].rsplit("/", 1)[-1].rstrip(":"): line for line in lines[:-1]}
    assert set(by_name) == {p.name for p in folder.iterdir()}  # every file has its line
    for project in ("feedjira", "trafilatura", "feedparser_examples", "rss-parser"):
        line = by_name[f"{project}-LICENSE"]
        assert line.startswith("skipped") and line.endswith("a licence, not a story"), line
    assert by_name["README"].startswith("skipped") and "a README" in by_name["README"]
    assert by_name["AP-WIRE-0001"].startswith("ingested")
    assert list(Story.objects.values_list("headline", flat=True)) == [
        "Port votes to rebuild harbour wall"
    ]
    assert Section.objects.count() == sections
    assert lines[-1].startswith("1 ingested") and "5 skipped" in lines[-1]


# --- A resumed ingest never rolls a story back -----------------------------------------------


def _cnndm_wire(folder, ids):
    """cnndm-dev rows as wire files, laid out as the crash test writes them: the first
    highlight (with its final period, so the headline is suggested) then the paragraphs."""
    import re

    folder.mkdir()
    rows = {}
    with shared("data", "summaries", "cnndm-dev.jsonl").open(encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            if item["id"] in ids:
                rows[item["id"]] = item
    for key in ids:
        sentences = re.split(r"(?<=[.!?'])\s+(?=[A-Z])", rows[key]["article"])
        paras = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        text = rows[key]["highlights"][0] + "\n\n" + "\n\n".join(paras) + "\n"
        (folder / f"{key}.txt").write_text(text, encoding="utf-8")
    return [folder / f"{key}.txt" for key in ids]


def test_ingest_run_again_after_a_crash_keeps_the_latest_version(tmp_path, capsys):
    from newsdesk.site.desk.models import AuditEntry

    # Two cnndm-dev articles on the same Henthorn case: the second is a near-duplicate of
    # the first and, undated, updates it.
    first, second = _cnndm_wire(tmp_path / "wire", ["cnndm-test-08858", "cnndm-test-10448"])
    code, lines = run_cli([tmp_path / "wire"], capsys)
    assert code == 0 and [line.split()[0] for line in lines[:2]] == ["ingested", "updated"]
    story = Story.objects.get()
    latest = (story.headline, story.blocks)
    assert "charged with murdering his second wife and being investigated" in story.headline
    trail = AuditEntry.objects.count()

    # The same folder again (as a resume after a crash does): nothing changes.
    code, lines = run_cli([tmp_path / "wire"], capsys)
    assert [line.split()[0] for line in lines[:2]] == ["duplicate", "duplicate"]
    # Only the older file again: still a duplicate, never an update back to it.
    code, lines = run_cli([first], capsys)
    assert lines[0].startswith("duplicate")
    story.refresh_from_db()
    assert (story.headline, story.blocks) == latest
    assert AuditEntry.objects.count() == trail and Story.objects.count() == 1

    # A real new version (a corrected paragraph) still updates it.
    text = second.read_text(encoding="utf-8").replace("Henthorn", "Harold Henthorn, 59,", 1)
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(text.replace("\n\n", "\n\nCORRECTION: a name was wrong. ", 1))
    code, lines = run_cli([corrected], capsys)
    assert lines[0].startswith("updated"), lines[0]
