"""Baselines run in the same harness as newsdesk: Lead-3, and sumy's LexRank and TextRank.

sumy is fed newsdesk's own sentence splitter and a plain word tokenizer, so the baselines
need no NLTK data download and differ from newsdesk only in how they pick sentences.
"""

from __future__ import annotations

from newsdesk.summarize.compress import WORD
from newsdesk.summarize.sentences import split_sentences


def lead3(text: str) -> list[str]:
    return split_sentences(text)[:3]


class _Tokenizer:
    """The two methods sumy asks of a tokenizer, backed by newsdesk's splitter."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return split_sentences(paragraph)

    def to_words(self, sentence: str) -> list[str]:
        return WORD.findall(sentence)


def _sumy(summarizer_cls, text: str, count: int = 3) -> list[str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    tokenizer = _Tokenizer()
    document = ObjectDocumentModel(
        [Paragraph([Sentence(s, tokenizer) for s in split_sentences(text)])]
    )
    summarizer = summarizer_cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return [str(s) for s in summarizer(document, count)]


def lexrank(text: str) -> list[str]:
    from sumy.summarizers.lex_rank import LexRankSummarizer

    return _sumy(LexRankSummarizer, text)


def textrank(text: str) -> list[str]:
    from sumy.summarizers.text_rank import TextRankSummarizer

    return _sumy(TextRankSummarizer, text)
