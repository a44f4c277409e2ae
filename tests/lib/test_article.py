"""The Article and Looks JSON contracts: field names and lossless round trips."""

from datetime import UTC, datetime

import pytest

from newsdesk import (
    Article,
    Block,
    Bullet,
    Caption,
    DeepLook,
    InputError,
    Looks,
    QuickLooks,
    Related,
)

ARTICLE = Article(
    headline="US-Led Ukraine Talks Offer Kremlin Strategic Gains",
    sections=("Top Story", "US"),
    site="Newslooks",
    dateline="WASHINGTON",
    author="J. Mansour",
    edition="Morning Edition",
    published=datetime(2025, 5, 1, 8, 30, tzinfo=UTC),
    summary="President Trump's push to broker peace in Ukraine has drawn criticism.",
    captions=(
        Caption(text="FILE – Vice President JD Vance", credit="AP Photo/ Mystyslav Chernov"),
    ),
    quick_looks=QuickLooks(title="Quick Looks", bullets=("One point", "Another point")),
    deep_look=DeepLook(
        title="Trump's Ukraine Peace Effort",
        dateline="TALLINN, ESTONIA",
        blocks=(
            Block(kind="paragraph", text="As President Donald Trump leads efforts…"),
            Block(kind="heading", text="Kremlin Gains Optics, Not Yet Substance"),
            Block(kind="quote", text="It signals clearly to Russia…"),
            Block(kind="list", items=("Recognition of Crimea", "Blocking NATO")),
        ),
    ),
    related=Related(section="US", previous="Earlier story", next=None),
    source_url="https://example.org/story",
)


def test_article_json_has_the_design_field_names():
    data = ARTICLE.to_dict()
    for name in (
        "headline",
        "sections",
        "site",
        "dateline",
        "author",
        "edition",
        "published",
        "summary",
        "captions",
        "quick_looks",
        "deep_look",
        "related",
        "source_url",
    ):
        assert name in data
    assert data["published"] == "2025-05-01T08:30:00+00:00"
    assert data["captions"][0] == {
        "text": "FILE – Vice President JD Vance",
        "credit": "AP Photo/ Mystyslav Chernov",
        "image": None,
        "alt": None,
    }
    assert data["deep_look"]["blocks"][3] == {
        "kind": "list",
        "items": ["Recognition of Crimea", "Blocking NATO"],
    }
    assert data["deep_look"]["blocks"][1] == {
        "kind": "heading",
        "text": "Kremlin Gains Optics, Not Yet Substance",
    }
    assert data["related"] == {"section": "US", "previous": "Earlier story", "next": None}


def test_article_json_round_trip_is_lossless():
    assert Article.from_json(ARTICLE.to_json()) == ARTICLE


def test_body_text_joins_blocks_and_list_items():
    assert "Recognition of Crimea\nBlocking NATO" in ARTICLE.body_text
    assert ARTICLE.body_text.startswith("As President")


def test_unknown_block_kind_is_refused():
    with pytest.raises(InputError, match="figure"):
        Block(kind="figure", text="x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("[1, 2]", "object"),
        ("{not json", "not valid JSON"),
        ('{"published": "yesterday"}', "malformed"),
    ],
)
def test_bad_article_json_names_the_problem(text, problem):
    with pytest.raises(InputError, match=problem):
        Article.from_json(text)


def test_looks_json_round_trip():
    looks = Looks(
        dek="A dek.",
        bullets=(Bullet("First", (0, 2)), Bullet("Second", (3,))),
        headline="A headline",
        title="A headline: Quick Looks",
    )
    data = looks.to_dict()
    assert data["bullets"][0] == {
        "text": "First",
        "source_sentences": [0, 2],
        "compressed": False,
        "original": None,
    }
    assert Looks.from_dict(data) == looks


def test_dataclasses_are_frozen():
    with pytest.raises(AttributeError):
        ARTICLE.headline = "changed"  # type: ignore[misc]
