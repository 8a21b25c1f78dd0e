"""Korean by kiwipiepy (its model ships in kiwipiepy_model on PyPI; the ``korean`` extra)."""

from __future__ import annotations

from functools import cache

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


@cache
def _kiwi() -> Kiwi:
    return Kiwi()


def analyse(text: str) -> list[Token]:
    found = []
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
        found.append(Token(t.start, end, text[t.start : end], lemma, kind, tag))
    return found
