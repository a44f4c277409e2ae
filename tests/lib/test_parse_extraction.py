"""The extraction benchmark harness: its metric, and newsdesk against plain trafilatura."""

import pytest

from newsdesk.evaluate import extraction
from newsdesk.evaluate.extraction import precision_recall, score

from ._shared import shared


@pytest.mark.parametrize(
    ("true", "pred", "expected"),
    [
        ("a b c d e", "a b c d e", (1.0, 1.0)),
        ("", "", (1.0, 1.0)),
        ("a b c d e", "", (0.0, 0.0)),
        ("a b c d e", "a b c d e f g h", (0.4, 1.0)),  # 2 of 5 predicted shingles are right
        ("one two three", "one two three", (1.0, 1.0)),  # shorter than a shingle: one short shingle
        ("A, b. c; d!", "A b c d", (1.0, 1.0)),  # punctuation is not a token
    ],
)
def test_shingle_metric(true, pred, expected):
    assert precision_recall(true, pred) == pytest.approx(expected)


def test_newsdesk_is_not_worse_than_trafilatura_on_a_sample():
    pages = extraction.load(shared("data", "extraction"))[:40]
    ours, _ = score("newsdesk", extraction.newsdesk_body, pages)
    base, _ = score(
        "trafilatura",
        lambda h: extraction.trafilatura_body(h, **extraction.BASELINE_OPTIONS),
        pages,
    )
    assert ours.failures == 0
    assert ours.f1 >= base.f1 - 0.002


def test_pages_report():
    report = extraction.run_pages(shared("data", "pages"))
    assert "headline exact match" in report and "failures 0" in report
