"""Over the evaluation sets, through parse(text, format="text") as a pasted story goes:
every bullet grounded and within 25 words, and the quality floors hold."""

import json
import statistics

import pytest

from newsdesk.evaluate.summaries import (
    bullet_figures,
    evaluate,
    load,
    newsdesk_system,
    prepare,
)
from newsdesk.summarize import is_grounded, summarize
from newsdesk.summarize.compress import words

from ._shared import shared as shared_path


@pytest.mark.slow
@pytest.mark.parametrize("name", ["cnndm-dev.jsonl", "bbc-dev.jsonl"])
def test_every_bullet_is_grounded_short_and_in_a_box_of_at_most_8(name):
    rows, _ = prepare(load(shared_path("data", "summaries", name)))
    lengths = []
    for row in rows:
        looks = summarize(row["_article"])
        assert 1 <= len(looks.bullets) <= 8
        for bullet in looks.bullets:
            assert all(0 <= i < len(looks.sentences) for i in bullet.source_sentences)
            sources = [looks.sentences[i] for i in bullet.source_sentences]
            assert is_grounded(bullet.text, sources), (row["id"], bullet.text)
            lengths.append(len(words(bullet.text)))
    assert max(lengths) <= 25


@pytest.mark.slow
@pytest.mark.parametrize("name", ["cnndm-dev.jsonl", "bbc-dev.jsonl"])
def test_bullets_are_an_editors_length(name):
    rows, failed = prepare(load(shared_path("data", "summaries", name)))
    assert not failed
    lengths = [len(words(b.text)) for row in rows for b in summarize(row["_article"]).bullets]
    # The goal, met: measured 14 on both sets through parse (it was 17, then 18 on bbc).
    assert statistics.median(lengths) <= 14


@pytest.mark.slow
@pytest.mark.parametrize("name", ["cnndm-dev.jsonl", "bbc-dev.jsonl"])
def test_every_name_and_number_in_a_bullet_is_in_the_story(name):
    rows, _ = prepare(load(shared_path("data", "summaries", name)))
    # A capitalised bullet opening ("Long-term claims …" from "However, long-term claims …")
    # is found as the story's own word; nothing else is excused.
    assert bullet_figures(rows)["names"] == 1.0


# Floors pinned just under the figures measured with --direct rows (cnndm-dev, first 3
# bullets, dek excluded: 34.33 / 13.06 / 31.63, up from 33.63 / 12.10 / 30.53 with the
# one-sentence dek and the new deletions). Raise them when the summarizer improves; never
# lower silently.
FLOORS = {"R1": 34.1, "R2": 12.8, "RLsum": 31.4}


@pytest.mark.slow
def test_rouge_on_cnndm_dev_stays_above_its_floors():
    rows, _ = prepare(load(shared_path("data", "summaries", "cnndm-dev.jsonl")), direct=True)
    (result,) = evaluate(rows, {"newsdesk": newsdesk_system(top=3)})
    for key, floor in FLOORS.items():
        assert result[key] >= floor, (key, result[key])


def test_eval_summaries_prints_every_figure_in_one_run(tmp_path):
    import subprocess
    import sys

    rows = shared_path("data", "summaries", "bbc-dev.jsonl").read_text("utf-8").splitlines()
    data = tmp_path / "bbc-12.jsonl"
    data.write_text("\n".join(rows[:12]) + "\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "eval", "summaries", str(data)],
        capture_output=True,
        timeout=300,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert 'through parse(text, format="text")' in out
    assert "0 did not parse" in out
    for system in ("selector top 3", "Looks first 3 bullets", "Lead-3", "LexRank", "TextRank"):
        assert system in out
    assert "words median" in out and "max" in out
    from newsdesk.evaluate.summaries import article_of

    counts = [len(summarize(article_of(json.loads(r))).bullets) for r in rows[:12]]
    share = sum(4 <= n <= 8 for n in counts) / len(counts)
    assert f"per story ({100 * share:.0f}% of stories 4-8)" in out
    assert "grounded in their source sentences 100.0%" in out
    assert "names and numbers found in the story 100.0%" in out
    assert "0 of those change the meaning" in out
    assert "articles/s (one core" in out
