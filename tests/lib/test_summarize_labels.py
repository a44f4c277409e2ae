"""The hand-labelled compressions: a person read each sentence beside its bullet.

``tests/data/compression-labels.jsonl`` names each sentence of cnndm-dev and bbc-dev by row
id and SHA-1 (the texts stay out of the repository) with the bullet it was compressed to
and whether that deletion changed the meaning. The current method must compress every
sentence labelled sound exactly as labelled (otherwise the new output is unread: label it
again), and must make none of the labelled defects.
"""

import json
from pathlib import Path

import pytest

from newsdesk.evaluate.summaries import LABELS, meaning_check

from ._shared import shared as shared_path


def test_the_labels_cover_at_least_100_sound_compressions_from_both_sets():
    labels = [json.loads(line) for line in Path(LABELS).read_text("utf-8").splitlines()]
    sound = [label for label in labels if not label["meaning_changed"]]
    assert len(sound) >= 100
    assert {label["set"] for label in sound} == {"cnndm-dev", "bbc-dev"}


def test_no_compression_changes_meaning_on_the_labelled_sample():
    data = shared_path("data", "summaries", "cnndm-dev.jsonl").parent
    check = meaning_check(LABELS, data)
    if not check["found"]:
        pytest.skip("the shared evaluation data is not here")
    assert check["found"] == check["labels"]
    assert check["changed"] == 0
    assert check["differs"] == [], "compressed differently now: read and label these"
    assert check["same"] + check["fixed"] == check["labels"]
