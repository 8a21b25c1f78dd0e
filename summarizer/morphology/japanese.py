"""Japanese by fugashi with unidic-lite (its dictionary ships on PyPI; the ``japanese``
extra)."""

from __future__ import annotations

from functools import cache

import fugashi

from summarizer.morphology.token import NAME_KINDS, Kind, Token

_PROPER: dict[str, Kind] = {"人名": "person", "地名": "place"}
_KINDS: dict[str, Kind] = {
    "名詞": "noun",
    "代名詞": "other",
    "動詞": "verb",
    "形容詞": "adjective",
    "接尾辞": "suffix",
}
# unidic's parts of speech of words that carry meaning: nouns (numbers and Latin words
# among them), verbs and adjectives of both kinds; not those that may stand without a
# meaning of their own (非自立可能: する, いる, ある, こと), particles, auxiliaries or
# punctuation.
_MEANING = frozenset({"名詞", "動詞", "形容詞", "形状詞"})


def carries_meaning(tag: str) -> bool:
    pos1, _, pos2 = tag.partition("/")
    return pos1 in _MEANING and pos2 != "非自立可能"


@cache
def _tagger() -> fugashi.Tagger:
    return fugashi.Tagger()


def analyse(text: str) -> list[Token]:
    found, at = [], 0
    words = list(_tagger()(text))
    for i, word in enumerate(words):
        surface = str(word.surface)
        start = text.find(surface, at)
        if start < 0:  # MeCab reads the text in order; this is defensive
            continue
        at = start + len(surface)
        feature = word.feature
        if feature.pos2 == "固有名詞":
            kind: Kind = _PROPER.get(str(feature.pos3), "name")
        elif feature.pos2 == "数詞":
            kind = "number"
        else:
            kind = _KINDS.get(str(feature.pos1), "other")
        # unidic's lemma of a name is its reading in katakana (鹿児島: カゴシマ).
        lemma = surface if kind in NAME_KINDS else str(feature.lemma or surface).split("-")[0]
        # A noun made a verb by する (上陸 + した) is the verb: its meaning is the noun's.
        following = words[i + 1].feature if i + 1 < len(words) else None
        if feature.pos3 == "サ変可能" and following is not None and following.lemma == "為る":
            kind, lemma = "verb", f"{lemma}する"
        found.append(Token(start, at, surface, lemma, kind, f"{feature.pos1}/{feature.pos2}"))
    return found
