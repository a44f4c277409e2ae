"""Dates, site names, headlines and captions of real article pages, read as a user reads
them: ``newsdesk parse PAGE`` in a subprocess, the Article JSON on stdout."""

import json
import re
import subprocess
import sys

import pytest

from ._shared import shared


def parse_page(path, *args):
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "parse", str(path), "--format", "html", *args],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def page(name):
    return shared("data", "pages", "html", f"scrapinghub__{name}.html")


@pytest.mark.parametrize("name", ["detroitnews_com__7de5241947", "usatoday_com__776a1c0467"])
def test_placeholder_year_one_date_falls_back_to_the_address(name):
    data = parse_page(page(name))
    # JSON-LD says datePublished "0001-01-01T00:00:00Z"; the address says /2019/11/19/.
    assert data["published"] == "2019-11-19T00:00:00+00:00"
    assert data["published_source"] == "url"
    assert any("0001-01-01" in w and "placeholder" in w for w in data["warnings"])


@pytest.mark.parametrize(
    ("name", "published", "source"),
    [
        ("bbc_com__70cb2d5bca", "2019-11-19T09:44:09+00:00", "json-ld"),
        ("theguardian_com__5fa3154ec0", "2019-11-18T18:54:53+00:00", "meta"),
        ("reuters_com__57d46c9d75", "2019-11-19T21:57:01+00:00", "meta"),
        ("nytimes_com__702d1da63b", "2019-11-18T00:00:00+00:00", "url"),
    ],
)
def test_date_source_is_named(name, published, source):
    data = parse_page(page(name))
    assert (data["published"], data["published_source"]) == (published, source)


def test_time_element_gives_the_date_when_the_meta_tags_do_not(tmp_path):
    # The Guardian's page with its date meta tags removed: its <time datetime> is left.
    html = page("theguardian_com__5fa3154ec0").read_text(encoding="utf-8")
    html = re.sub(r"<meta[^>]+(?:published_time|datemodified)[^>]*>", "", html, flags=re.I)
    path = tmp_path / "guardian.html"
    path.write_text(html, encoding="utf-8")
    data = parse_page(path, "--url", "https://www.theguardian.com/commentisfree/hong-kong")
    assert data["published_source"] == "time"
    assert data["published"] == "2019-11-18T18:54:53+00:00"


def test_date_far_ahead_is_missing_and_the_next_source_is_asked(tmp_path):
    html = page("theguardian_com__5fa3154ec0").read_text(encoding="utf-8")
    html = html.replace('content="2019-11-18T18:54:53.000Z"', 'content="2099-11-18T18:54:53Z"')
    path = tmp_path / "guardian.html"
    path.write_text(html, encoding="utf-8")
    data = parse_page(path)
    assert data["published_source"] == "time"
    assert data["published"].startswith("2019-11-18")
    assert any("2099-11-18" in w for w in data["warnings"])


@pytest.mark.parametrize(
    ("name", "site", "headline"),
    [
        # og:site_name "Hosted" does not name hosted.ap.org; its handle @ap does
        ("hosted_ap_org__82b6d780c7", "AP", "Unpredictable Sondland faces questions about"),
        ("bbc_com__70cb2d5bca", "BBC News", "Taylor Swift's AMA row seems to be over"),
        ("theguardian_com__5fa3154ec0", "the Guardian", "The Guardian view on Hong Kong"),
        ("thehill_com__6ebac05f63", "The Hill", "New York man pleads guilty to threatening"),
        # og:site_name "U.S." is a section; the handle @Reuters names reuters.com
        ("reuters_com__57d46c9d75", "Reuters", "Oversupply angst drags oil lower"),
        # the page's own name over the wire's (publisher "Associated Press")
        ("sfgate_com__aec5deeaad", "SFGate", "7 key questions heading into"),
        ("detroitnews_com__7de5241947", "The Detroit News", "Thousands of teachers pack"),
        ("latimes_com__8634d1211c", "Los Angeles Times", "Column: Gannett/GateHouse"),
    ],
)
def test_site_name_and_headline_without_labels(name, site, headline):
    data = parse_page(page(name))
    assert data["site"] == site
    assert data["headline"].startswith(headline)
    for label in ("|", "TheHill", "Editorial", "Hosted", "BBC News"):
        assert label not in data["headline"]


def test_site_is_never_repeated_as_the_byline():
    # BBC's byline markup names only "BBC News": the slug line would say it twice.
    data = parse_page(page("bbc_com__70cb2d5bca"))
    assert data["site"] == "BBC News"
    assert data["author"] is None


def test_guardian_editorial_label_is_cut_from_the_headline_once():
    data = parse_page(page("theguardian_com__5fa3154ec0"))
    assert data["headline"] == "The Guardian view on Hong Kong: a city on the brink"
    assert data["author"] == "Editorial"
    assert data["sections"] == ["Opinion"]


def test_bbc_captions_get_their_own_lazy_loaded_photos():
    data = parse_page(page("bbc_com__70cb2d5bca"))
    photos = {c["text"][:20]: c for c in data["captions"]}
    scooter = photos["Scooter Braun has ma"]
    swift = photos["Taylor Swift's seven"]
    # each from its own figure's <div class="js-delayed-image-load" data-src=…>
    assert scooter["image"].endswith("_107653729_bieberscooter976.jpg")
    assert swift["image"].endswith("_109740277_swifty2.jpg")
    assert scooter["alt"] == "Justin Bieber and Scooter Braun"
    lead = "_109740197_taylorswift.jpg"
    assert not any(c["image"] and c["image"].endswith(lead) for c in data["captions"])


def test_caption_takes_the_largest_srcset_and_the_noscript_fallback(tmp_path):
    # Lazy loaders as news pages write them, around the BBC page's own captions.
    html = page("bbc_com__70cb2d5bca").read_text(encoding="utf-8")
    html = re.sub(
        r'<div class="js-delayed-image-load" data-alt="Justin Bieber[^>]*>(?:\s*</div>)?',
        '<picture><source srcset="/a/bieber-320.jpg 320w, /a/bieber-1600.jpg 1600w,'
        ' /a/bieber-800.jpg 800w"><img src="data:image/gif;base64,R0lGOD" alt="Bieber">'
        "</picture>",
        html,
    )
    html = re.sub(
        r'<div class="js-delayed-image-load" data-alt="Taylor Swift on stage"[^>]*>'
        r"(?:\s*</div>)?",
        '<img src="/img/grey-placeholder.png" alt="Swift">'
        '<noscript><img src="/a/swift-real.jpg"></noscript>',
        html,
    )
    path = tmp_path / "bbc.html"
    path.write_text(html, encoding="utf-8")
    data = parse_page(path, "--url", "https://www.bbc.com/news/newsbeat-50470672")
    images = [c["image"] for c in data["captions"]]
    assert "https://www.bbc.com/a/bieber-1600.jpg" in images
    assert "https://www.bbc.com/a/swift-real.jpg" in images


@pytest.mark.parametrize(
    ("url_part", "site"),
    [
        ("jpost.com/Breaking-News", "The Jerusalem Post"),  # "The Jerusalem Post | JPost.com"
        ("nbcdfw.com", "NBC 5 Dallas-Fort Worth"),  # not the handle @nbcdfw
        ("ctpost.com", "Connecticut Post"),  # the page's site, not the wire's publisher
        ("hosted.ap.org/citizensvoice", "AP"),  # og:site_name "Hosted"
        ("deccanherald.com", "Deccan Herald"),  # not "DH News Service"
    ],
)
def test_site_names_on_the_extraction_benchmark_pages(url_part, site):
    truth = json.loads(shared("data", "extraction", "ground-truth.json").read_text())
    key, entry = next((k, v) for k, v in truth.items() if url_part in v["url"])
    path = shared("data", "extraction", "html", f"{key}.html.gz")
    assert parse_page(path, "--url", entry["url"])["site"] == site
