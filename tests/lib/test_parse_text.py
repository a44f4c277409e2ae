"""Plain text: the Quick Looks page layout (the seed page) and wire copy."""

import json

import pytest

from newsdesk.article import Article
from newsdesk.parse import parse
from newsdesk.parse.text import split_sections

from ._shared import DATA, shared


def test_seed_page_matches_golden_article():
    article = parse(shared("seed", "newslooks-article.txt"))
    golden = json.loads((DATA / "seed-article.json").read_text(encoding="utf-8"))
    assert article.to_dict() == golden


def test_seed_page_anatomy():
    a = parse(shared("seed", "newslooks-article.txt"))
    assert a.sections == ("Top Story", "US")
    assert a.headline == "US-Led Ukraine Talks Offer Kremlin Strategic Gains"
    assert (a.site, a.dateline, a.author, a.edition) == (
        "Newslooks",
        "WASHINGTON",
        "J. Mansour",
        "Morning Edition",
    )
    assert a.summary.startswith("President Trump’s push") and a.summary.endswith(
        "over the process."
    )
    assert [c.credit for c in a.captions] == [
        "AP Photo/ Mystyslav Chernov, File",
        "Kristina Kormilitsyna, Sputnik, Kremlin Pool Photo via AP, File",
    ]
    assert a.captions[0].text.startswith("FILE – Vice President JD Vance")
    assert a.quick_looks.title == "Trump’s Ukraine Peace Push Appears to Favor Russia: Quick Looks"
    assert len(a.quick_looks.bullets) == 8
    assert a.deep_look.title.startswith("Deep Look: Trump’s Ukraine Peace Effort")
    assert a.deep_look.dateline == "TALLINN, ESTONIA"
    assert a.deep_look.blocks[0].text.startswith("As President Donald Trump")
    kinds = [b.kind for b in a.deep_look.blocks]
    assert kinds.count("heading") == 6 and kinds.count("list") == 2 and kinds.count("quote") == 1
    quote = next(b for b in a.deep_look.blocks if b.kind == "quote")
    assert quote.text.startswith("“It signals clearly")
    assert (a.related.section, a.related.previous, a.related.next) == (
        "US",
        "China Evaluates U.S. Trade Talks Amid Tariff Tensions",
        "U.S. Adds 177,000 Jobs in April Despite Tariff Pressures",
    )
    text = a.to_json()
    for chrome in (
        "How useful was this article?",
        "Average rating",
        "Vote count",
        "No votes so far",
        "Latest News",
        "Click on a star",
        "Menu",
    ):
        assert chrome not in text


@pytest.mark.parametrize(
    ("line", "labels"),
    [
        ("Top StoryUS", ["Top Story", "US"]),
        ("USWorld", ["US", "World"]),
        ("Top StoryMiddle East", ["Top Story", "Middle East"]),
        ("BusinessTechnology", ["Business", "Technology"]),
        ("Top StoryGardening", ["Top Story", "Gardening"]),
        ("Politics", ["Politics"]),
    ],
)
def test_section_labels_split_on_glue(line, labels):
    assert split_sections(line) == labels


PAGE = """WorldEurope

Storm Batters Coast

Storm Batters Coast/ Newslooks/ LISBON/ A. Reporter/ Evening Edition/ A storm hit the coast.

A flooded street in Lisbon, Portugal, Monday. (AP Photo/Ana Brigida)

Storm Batters Coast: Quick Looks

  • Thousands lost power
  • Ferries cancelled

Deep Look: A Night of Wind and Water

LISBON, PORTUGALThe storm made landfall at dawn.

Officials said:

“We have never seen anything like it.”

“It was frightening,” said Maria Silva, a resident.

Damage Assessment Begins

Crews listed three priorities:

  • Power lines
  • Roads

More on World News

Previous Article
Earlier Story
Next Article
Later Story

How useful was this article?

Menu
"""


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("sections", ("World", "Europe")),
        ("headline", "Storm Batters Coast"),
        ("dateline", "LISBON"),
        ("author", "A. Reporter"),
        ("edition", "Evening Edition"),
        ("summary", "A storm hit the coast."),
    ],
)
def test_page_layout_fields(field, expected):
    assert getattr(parse(PAGE, format="text"), field) == expected


def test_page_layout_body_structure():
    a = parse(PAGE)
    assert a.captions[0].credit == "AP Photo/Ana Brigida"
    assert a.quick_looks.bullets == ("Thousands lost power", "Ferries cancelled")
    assert a.deep_look.dateline == "LISBON, PORTUGAL"
    assert [(b.kind, b.plain_text()[:12]) for b in a.deep_look.blocks] == [
        ("paragraph", "The storm ma"),
        ("paragraph", "Officials sa"),
        ("quote", "“We have nev"),
        ("paragraph", "“It was frig"),
        ("heading", "Damage Asses"),
        ("paragraph", "Crews listed"),
        ("list", "Power lines\n"),
    ]
    assert (a.related.section, a.related.previous, a.related.next) == (
        "World",
        "Earlier Story",
        "Later Story",
    )


WIRE = """Senate passes budget bill after all-night session

By LISA MASCARO and MARY CLARE JALONICK
Associated Press

EDITOR'S NOTE: This story has been updated.

WASHINGTON (AP) — The Senate passed the budget bill early Saturday
after an all-night session, sending it to the House.

"This is a good day," the majority leader said.

WHAT'S NEXT

The House votes next week.

___

Associated Press writer Kevin Freking contributed to this report.
"""


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("headline", "Senate passes budget bill after all-night session"),
        ("author", "LISA MASCARO and MARY CLARE JALONICK"),
        ("site", "Associated Press"),
        ("dateline", "WASHINGTON"),
    ],
)
def test_wire_copy_fields(field, expected):
    assert getattr(parse(WIRE), field) == expected


def test_wire_copy_body():
    a = parse(WIRE)
    assert a.deep_look.dateline == "WASHINGTON (AP)"
    texts = [b.plain_text() for b in a.deep_look.blocks]
    assert texts[0] == "EDITOR'S NOTE: This story has been updated."
    assert (
        texts[1] == "The Senate passed the budget bill early Saturday after an all-night session, "
        "sending it to the House."
    )
    assert ("heading", "WHAT'S NEXT") in [(b.kind, b.text) for b in a.deep_look.blocks]
    assert not any("contributed" in t for t in texts)
    assert texts[-1] == "The House votes next week."


@pytest.mark.parametrize(
    ("text", "dateline", "first"),
    [
        ("Headline\n\nLONDON (Reuters) - Prices rose.", "LONDON", "Prices rose."),
        (
            "Headline\n\nSAN JUAN, Puerto Rico (AP) — Power returned.",
            "SAN JUAN, Puerto Rico",
            "Power returned.",
        ),
        ("Headline\n\nNo dateline here, just text.", None, "No dateline here, just text."),
        ("Headline\n\nNATO — the alliance — met.", None, "NATO — the alliance — met."),
        ("Headline\n\nZÜRICH — The bank cut rates.", "ZÜRICH", "The bank cut rates."),
        ("Headline\n\nSÃO PAULO (AP) — Brazil voted.", "SÃO PAULO", "Brazil voted."),
        (
            "Headline\n\nMONTRÉAL, Quebec (AP) — A fire broke out.",
            "MONTRÉAL, Quebec",
            "A fire broke out.",
        ),
        ("Headline\n\nZURICH — The bank cut rates.", "ZURICH", "The bank cut rates."),
    ],
)
def test_wire_datelines(text, dateline, first):
    a = parse(text, format="text")
    assert a.dateline == dateline
    assert a.deep_look.blocks[0].text == first


def test_simple_story_round_trips_through_json():
    a = parse("Storm hits coast\n\nA storm hit the coast on Monday. Thousands lost power.\n")
    assert a.headline == "Storm hits coast"
    assert Article.from_json(a.to_json()) == a


ONE_PARAGRAPH = (
    "Tim Sherwood will welcome Gary Gardner back into his first team squad during pre-season "
    "to assess whether the 22-year-old can cut it for Aston Villa. Gardner has enjoyed a "
    "successful loan spell at Nottingham Forest. Sherwood is keen to see him again."
)


@pytest.mark.parametrize(
    ("text", "headline", "suggested", "first"),
    [
        # one block of pasted copy: no headline line, the whole text is the story
        (
            ONE_PARAGRAPH,
            "Tim Sherwood will welcome Gary Gardner back into his first team squad during"
            " pre-season…",
            True,
            ONE_PARAGRAPH,
        ),
        # a first line that is a sentence is the story's opening, not its headline
        (
            "Quarterly profits at TimeWarner jumped 76% to $1.13bn.\n\nThe firm sold more ads.",
            "Quarterly profits at TimeWarner jumped 76% to $1.13bn",
            True,
            "Quarterly profits at TimeWarner jumped 76% to $1.13bn.",
        ),
        # a dateline first: no headline either
        (
            "WASHINGTON (AP) — The Senate passed the bill.\n\nThe House votes next week.",
            "The Senate passed the bill",
            True,
            "The Senate passed the bill.",
        ),
        # a short line without a final period, followed by the body, is the headline
        (
            "Storm hits coast\n\nA storm hit the coast.",
            "Storm hits coast",
            False,
            "A storm hit the coast.",
        ),
        (
            "Is the ceasefire holding?\nFighting stopped on Monday.",
            "Is the ceasefire holding?",
            False,
            "Fighting stopped on Monday.",
        ),
    ],
)
def test_headline_line_is_decided_by_what_it_is(text, headline, suggested, first):
    a = parse(text, format="text")
    assert (a.headline, a.headline_suggested) == (headline, suggested)
    assert a.deep_look.blocks[0].text == first
    assert a.to_dict()["headline_suggested"] is suggested


def _rows(name):
    with shared("data", "summaries", name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.mark.parametrize("name", ["cnndm-dev.jsonl", "bbc-dev.jsonl"])
def test_every_evaluation_row_parses_as_plain_text_and_summarizes(name):
    from newsdesk import summarize

    failed = []
    for row in _rows(name):
        try:
            article = parse(row["article"].encode("utf-8"), format="text")
            looks = summarize(article)
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            failed.append((row["id"], repr(exc)))
            continue
        assert article.headline and looks.bullets, row["id"]
    assert failed == []


def test_a_lone_headline_is_a_headline_with_no_story_under_it():
    a = parse("Storm hits coast\n", format="text")
    assert (a.headline, a.headline_suggested, a.deep_look.blocks) == ("Storm hits coast", False, ())
