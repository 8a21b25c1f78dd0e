"""Words and names of languages whose script does not mark names, by well-kept analysers.

English marks a name with capitals; Korean, Chinese and Japanese have none, and Russian
capitalises a sentence's first word and declines its names (Петров, Петрова). Each of
these languages has a morphological analyser whose model or dictionary ships inside
its PyPI package, published by its authors, and that tags proper nouns:

- Korean: kiwipiepy (NNP), the ``korean`` extra;
- Chinese: jieba's part-of-speech tags (nr people, ns places, nt organisations, nz);
- Japanese: fugashi with unidic-lite (固有名詞), the ``japanese`` extra;
- Russian: pymorphy3 with its dictionaries (Name, Surn, Patr, Geox, Orgn).

Arabic and Hindi have no such tagger on PyPI: their names are still every word of
theirs that the article writes (:mod:`summarizer.script_text`).

:func:`tokens` gives an article's tokens with their offsets and kinds; :func:`names`
the names a text writes, as written.
"""

from __future__ import annotations

from summarizer.morphology.analysers import (
    ANALYSED,
    MissingExtra,
    content_words,
    missing_extra,
    tokens,
)
from summarizer.morphology.names import names
from summarizer.morphology.token import Kind, Token

__all__ = [
    "ANALYSED",
    "Kind",
    "MissingExtra",
    "Token",
    "content_words",
    "missing_extra",
    "names",
    "tokens",
]
