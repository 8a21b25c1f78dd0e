"""Chinese by jieba's part-of-speech tagger (its dictionary ships in the package)."""

from __future__ import annotations

import logging
from functools import cache

import jieba
import jieba.posseg
import regex

from summarizer.morphology.token import Kind, Token

# jieba's tags (ICTCLAS): nr people (nrfg, nrt), ns places, nt organisations, nz other
# proper nouns; n nouns, v verbs, a adjectives, m numerals.
_KINDS: dict[str, Kind] = {
    "nr": "person",
    "nrfg": "person",
    "nrt": "person",
    "ns": "place",
    "nt": "organisation",
    "nz": "name",
    "n": "noun",
    "ng": "noun",
    "vn": "noun",
    "v": "verb",
    "a": "adjective",
    "m": "number",
}
# The first letters of jieba's tags of words that carry meaning: nouns, verbs,
# adjectives, abbreviations (j: 中美), idioms (i, l), times, places and numbers (t, s,
# m), distinguishing and status words (b, z); and English (eng). Particles, pronouns,
# prepositions, conjunctions, adverbs and punctuation carry none.
_MEANING = frozenset("nvajiltsmbz")


def carries_meaning(tag: str) -> bool:
    return tag[:1] in _MEANING or tag == "eng"


@cache
def _tagger() -> jieba.posseg.POSTokenizer:
    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict..." on stderr
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def analyse(text: str) -> list[Token]:
    found: list[Token] = []
    at = 0
    for pair in _tagger().cut(text, HMM=True):
        word, flag = pair.word, pair.flag
        start = text.find(word, at)
        if start < 0:  # jieba returns the text's characters in order; this is defensive
            continue
        at = start + len(word)
        if not word.strip():
            continue
        kind = _KINDS.get(flag, "other")
        last = found[-1] if found else None
        # A surname tagged alone (赵 + 立新): the one or two characters after it, if they
        # are no verb or noun of their own, are its given name.
        if (
            last is not None
            and last.kind == "person"
            and len(last.text) == 1
            and last.end == start
            and len(word) <= 2
            and _HAN.fullmatch(word)
            and kind not in ("verb", "noun", "person", "place", "organisation")
        ):
            name = text[last.start : at]
            found[-1] = Token(last.start, at, name, name, "person", last.tag)
            continue
        found.append(Token(start, at, word, word, kind, flag))
    return found


_HAN = regex.compile(r"\p{Han}+")
