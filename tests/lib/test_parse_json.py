"""Article JSON in: one object or a list, round trip."""

import json

import pytest

from newsdesk.article import Article, Block, DeepLook
from newsdesk.errors import ParseError
from newsdesk.parse import parse, parse_all

from ._shared import DATA

STORY = Article(headline="One", deep_look=DeepLook(blocks=(Block(kind="paragraph", text="Body."),)))


def test_golden_article_round_trips():
    text = (DATA / "seed-article.json").read_text(encoding="utf-8")
    a = parse(text)
    assert a.to_dict() == json.loads(text)
    assert parse(a.to_json().encode()) == a


def test_list_of_articles():
    two = json.dumps([STORY.to_dict(), {**STORY.to_dict(), "headline": "Two"}])
    assert [a.headline for a in parse_all(two)] == ["One", "Two"]


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        (
            '{"headline": "x", "deep_look": {"blocks": [{"kind": "poem", "text": "x"}]}}',
            "block kind",
        ),
        ('{"title": "not an article"}', "not Article JSON"),
        ("[1, 2]", r"\[0\]: not Article JSON"),
        ('{"headline": ', "not valid JSON"),
        ('{"headline": "x", "published": "yesterday"}', "malformed"),
    ],
)
def test_bad_article_json(doc, problem):
    with pytest.raises(ParseError, match=problem):
        parse(doc, format="json")
