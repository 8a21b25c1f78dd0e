"""Content words, stemmed: what lexical comparisons (the claim gate, the scorers) count."""

from __future__ import annotations

import re
from functools import cache

from nltk.stem.porter import PorterStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS


def content_stems(text: str) -> list[str]:
    """The text's words without stop words, Porter-stemmed, in order."""
    # CamelCase and snake_case labels ("banking_accounting") become words first, and
    # "didn't" is "did not".
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower().replace("n't", " not")
    words = re.findall(r"[^\W\d_]+|\d+", text.replace("n’t", " not"))
    return [_stem(w) for w in words if w not in ENGLISH_STOP_WORDS]


@cache
def _stem(word: str) -> str:
    return str(_porter().stem(word))


@cache
def _porter() -> PorterStemmer:
    return PorterStemmer()
