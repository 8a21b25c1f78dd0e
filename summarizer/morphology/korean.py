"""Korean by kiwipiepy (its model ships in kiwipiepy_model on PyPI; the ``korean`` extra)."""

from __future__ import annotations

from functools import cache

import regex
from kiwipiepy import Kiwi

from summarizer.morphology.token import Kind, Token

# Sejong tags (kiwipiepy's): NNP proper noun, NNG common, NNB bound, NR numeral, SN
# digits, VV verb, VA adjective, XSN a noun's suffix (들).
_KINDS: dict[str, Kind] = {
    "NNP": "name",
    "NNG": "noun",
    "NNB": "noun",
    "NR": "number",
    "SN": "number",
    "VV": "verb",
    "VA": "adjective",
    "XSN": "suffix",
}
# The tags of words that carry meaning (what the claim gate compares): nouns but bound
# ones (것, 수), numbers, verbs and adjectives, roots, and foreign words, digits and
# Hanja written in the text. Particles (J), endings (E), suffixes (XS), the copula and
# auxiliary verbs (VCP, VX) carry none.
_MEANING = frozenset({"NNG", "NNP", "NR", "SN", "SL", "SH", "VV", "VA", "XR"})


def carries_meaning(tag: str) -> bool:
    return tag in _MEANING


@cache
def _kiwi() -> Kiwi:
    return Kiwi()


def analyse(text: str) -> list[Token]:
    found: list[Token] = []
    written = _kiwi().tokenize(text)
    for i, t in enumerate(written):
        tag = t.tag.split("-")[0]
        kind = _KINDS.get(tag, "other")
        if t.len == 0:
            continue  # a copula or ending written inside the last syllable
        lemma = f"{t.form}다" if kind in ("verb", "adjective") else t.form
        # A noun made a verb by 하다 (타결 + 했다) is the verb: its meaning is the noun's.
        if tag == "NNG" and i + 1 < len(written) and written[i + 1].tag.startswith("XSV"):
            kind, lemma = "verb", f"{t.form}하다"
        end = t.start + t.len
        last = found[-1] if found else None
        # A surname tagged alone (김 + 순 + 자 of 김순자): the syllables written on after
        # it, up to a particle or ending, are its given name (Korean names have three
        # syllables, rarely two or four).
        if (
            last is not None
            and last.tag == "NNP"
            and len(last.text) <= 2
            and last.end == t.start
            and end - last.start <= 3
            and not tag.startswith(("J", "E", "S", "X", "V"))
            and _SURNAME_PIECE.fullmatch(text[last.start : end])
        ):
            name = text[last.start : end]
            found[-1] = Token(last.start, end, name, name, "name", "NNP")
            continue
        found.append(Token(t.start, end, text[t.start : end], lemma, kind, tag))
    return found


_SURNAME_PIECE = regex.compile(r"\p{Hangul}{2,3}")
