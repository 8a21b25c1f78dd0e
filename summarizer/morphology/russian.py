"""Russian by pymorphy3 (its dictionaries ship in pymorphy3-dicts-ru on PyPI)."""

from __future__ import annotations

from functools import cache

import pymorphy3
import regex

from summarizer.morphology.token import Kind, Token

_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:-\p{L}[\p{L}\p{M}]*)*|\d+")
# OpenCorpora grammemes of names: given names, surnames, patronymics, places, bodies.
_NAMES: dict[str, Kind] = {
    "Name": "person",
    "Surn": "person",
    "Patr": "person",
    "Geox": "place",
    "Orgn": "organisation",
}
_KINDS: dict[str, Kind] = {
    "NOUN": "noun",
    "VERB": "verb",
    "INFN": "verb",
    "PRTF": "verb",
    "ADJF": "adjective",
    "ADJS": "adjective",
    "NUMR": "number",
    "NUMB": "number",
}
# Prepositions, conjunctions, particles, interjections and pronouns carry no meaning of
# their own (what the claim gate compares).
_FUNCTION = ("PREP", "CONJ", "PRCL", "INTJ", "NPRO")


def carries_meaning(tag: str) -> bool:
    return not tag.startswith(_FUNCTION)


@cache
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def analyse(text: str) -> list[Token]:
    found = []
    for m in _WORD.finditer(text):
        word = str(m[0])
        parses = _morph().parse(word)
        parse = parses[0]
        tag = parse.tag
        kind = _KINDS.get(str(tag.POS), "number" if word.isdecimal() else "other")
        # A name grammeme counts on a capitalised word only: pymorphy3 guesses unknown
        # words, and a lower-case word is no name in Russian.
        if word[0].isupper():
            kind = next((k for g, k in _NAMES.items() if g in tag), kind)
        # The first reading's tag, and "nomn" if any reading is in the nominative: a
        # subject is found by its case, and "комбинат" reads as accusative first.
        nominative = " nomn" if any("nomn" in p.tag for p in parses) else ""
        lemma = str(parse.normal_form)
        found.append(Token(m.start(), m.end(), word, lemma, kind, f"{tag}{nominative}"))
    return found
