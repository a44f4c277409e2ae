"""The clustering library on real headlines with gold clusters (bench/data), and B-cubed."""

import csv
import gzip
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.cluster import ClusterIndex, ClusterOptions, Doc, Source, cluster_looks
from newsdesk.errors import InputError
from newsdesk.evaluate.clusters import bcubed
from newsdesk.summarize import is_grounded, split_sentences

DATA = Path(__file__).resolve().parents[2] / "bench" / "data" / "uci-news-stories.csv.gz"


@pytest.fixture(scope="module")
def stories():
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_story = defaultdict(list)
    for row in rows:
        row["published"] = datetime.fromtimestamp(int(row["timestamp"]) / 1000, tz=UTC)
        by_story[row["story"]].append(row)
    return by_story


def docs(rows):
    return [Doc(r["id"], r["title"], "", r["published"]) for r in rows]


def test_bcubed_by_hand():
    gold = {1: "a", 2: "a", 3: "b", 4: "b"}
    assert bcubed(gold, gold).f1 == 1.0
    one = bcubed({1: 0, 2: 0, 3: 0, 4: 0}, gold)  # all in one cluster: P 1/2, R 1
    assert (one.precision, one.recall) == (0.5, 1.0)
    apart = bcubed({1: 1, 2: 2, 3: 3, 4: 4}, gold)  # all apart: P 1, R 1/2
    assert (apart.precision, apart.recall) == (1.0, 0.5)
    with pytest.raises(ValueError, match="different items"):
        bcubed({1: 0}, gold)


def test_same_event_headlines_join_and_other_events_stay_apart(stories):
    ebay = stories["dxyGGb4iN9Cs9aMZTKQpJeoiQfruM"][:12]  # eBay rejects Icahn's nominees
    fed = stories["ddUyU0VZz0BRneMioxUPQVP6sIxvM"]  # the Fed's Plosser on tapering
    index = ClusterIndex(ClusterOptions(threshold=0.15))
    for doc in docs(ebay) + docs(fed):
        index.add(doc)
    gold = {r["id"]: r["story"] for r in ebay + fed}
    predicted = {doc_id: index.cluster_of(doc_id) for doc_id in gold}
    score = bcubed(predicted, gold)
    assert score.precision == 1.0  # no eBay headline with a Fed one
    assert score.recall > 0.5
    biggest = max(index.clusters().values(), key=len)
    assert len(biggest) >= 6


def test_window_keeps_a_late_story_out(stories):
    fed = docs(stories["ddUyU0VZz0BRneMioxUPQVP6sIxvM"])
    index = ClusterIndex(ClusterOptions(threshold=0.15, window_hours=72))
    for doc in fed[:5]:
        index.add(doc)
    late = fed[5]
    later = Doc(late.id, late.title, "", late.published + timedelta(days=10))
    assert index.best(later) is None
    assert index.best(late) is not None


def test_remove_and_merge_leave_the_index_as_if_built_so(stories):
    ebay = docs(stories["dxyGGb4iN9Cs9aMZTKQpJeoiQfruM"][:10])
    index = ClusterIndex(ClusterOptions(threshold=0.15))
    for doc in ebay:
        index.place(doc, "a" if int(doc.id) % 2 else "b")
    probe = ebay[3]
    before = index.best(probe)
    index.remove(probe.id)
    assert probe.id not in index and probe.id not in index.members("a") | index.members("b")
    index.place(probe, before.cluster)
    again = index.best(probe)
    assert again.cluster == before.cluster
    index.merge("a", "b")
    assert index.members("b") == frozenset() and len(index.members("a")) == 10
    assert index.best(probe).cluster == "a"


def test_bad_options_are_refused_with_the_value():
    with pytest.raises(InputError, match="threshold.*1.5"):
        ClusterOptions(threshold=1.5)
    with pytest.raises(InputError, match="window_hours"):
        ClusterOptions(window_hours=0)


def test_cluster_looks_cite_every_source_and_stay_grounded(stories):
    rows = stories["dxyGGb4iN9Cs9aMZTKQpJeoiQfruM"]
    sources = [Source(r["id"], r["publisher"], r["url"], r["title"], r["title"]) for r in rows]
    looks = cluster_looks(sources)
    assert looks.bullets
    for bullet in looks.bullets:
        assert bullet.citations and bullet.grounded()
        assert bullet.only_one_source == (len(bullet.sources) == 1)
        for citation in bullet.citations:  # the sentence the source wrote, by its index
            source = next(s for s in sources if s.id == citation.source)
            assert split_sentences(source.text)[citation.sentence] == citation.text
    backing = [len(b.sources) for b in looks.bullets]
    assert backing == sorted(backing, reverse=True)  # most corroborated first
    assert backing[0] >= 3 and backing[-1] == 1


def test_differing_numbers_are_shown_per_source_not_averaged():
    sources = [
        Source(
            1, "Reno", "", "", "Gas prices in Nevada rose 2 cents a gallon this week, AAA said."
        ),
        Source(
            2, "Boston", "", "", "Gas prices in Nevada rose 3.4 cents a gallon this week, AAA said."
        ),
    ]
    (bullet,) = cluster_looks(sources).bullets
    assert dict(bullet.figures) == {1: ("2",), 2: ("3.4",)}
    assert not bullet.only_one_source and bullet.grounded()


def test_locked_bullets_stay_word_for_word_and_gain_citations(stories):
    rows = stories["dxyGGb4iN9Cs9aMZTKQpJeoiQfruM"]
    sources = [Source(r["id"], r["publisher"], r["url"], r["title"], r["title"]) for r in rows]
    first = cluster_looks(sources[:5]).bullets
    locked = [b.__class__.from_dict({**b.to_dict(), "locked": True}) for b in first[:2]]
    grown = cluster_looks(sources, locked=locked).bullets
    assert [b.text for b in grown[:2]] == [b.text for b in locked]
    assert all(b.locked for b in grown[:2])
    assert len(grown[0].citations) >= len(locked[0].citations)
    assert all(is_grounded(b.text, [c.text for c in b.citations]) for b in grown)


def test_the_library_half_stays_free_of_django():
    import subprocess
    import sys

    code = (
        "import sys, newsdesk.cluster, newsdesk.evaluate.clusters; print('django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
