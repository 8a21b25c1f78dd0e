"""The names a text writes, from its tokens' proper-noun tags.

A name is a run of proper nouns written together (山东 + 青岛, クリストファー・ベネット),
continued by the short nouns and suffixes a name is written with (宮崎 + 県, 산둥 + 성,
石岛 + 港: :data:`SUFFIX_CHARS`). In Russian, capitalised words next to each other are
one name when one of them is tagged a name or the run does not start a sentence (every
sentence's first word is capitalised); initials ("А. В. Петров") belong to it.
"""

from __future__ import annotations

import regex

from summarizer.morphology.analysers import tokens
from summarizer.morphology.token import Kind, Token

# Chosen on the fixtures' tuning half (scripts/measure_names.py): a noun or suffix of
# up to this many characters written right after a name is part of it.
SUFFIX_CHARS = 3
BARE = False
_JOINERS = frozenset("・·")  # between the parts of a foreign name in katakana or Han
# Where a sentence starts: after its end, a line break, a colon, an opening quote or
# dash.
_SENTENCE_END = regex.compile(r"(?:^|[.!?…:][»”\"]?\s*|\n\s*)[«„“\"(—–-]*\s*$")
_INITIAL = regex.compile(r"\p{Lu}\.\s*")


def names(
    text: str, language: str, suffix_chars: int = SUFFIX_CHARS, bare: bool = BARE
) -> list[Token]:
    """The names of ``text`` in ``language`` as tokens (offsets into ``text``, the
    first proper noun's kind), in order; [] where no analyser reads the language.
    ``bare``: a name continued by a suffix is also given without it (長友浩二知事 and
    長友浩二), as an English title is (:mod:`summarizer.candidates`)."""
    found = tokens(text, language)
    if not found:
        return []
    if language == "ru":
        return _cased_runs(text, found)
    runs = _runs(text, found, suffix_chars)
    if bare and suffix_chars:
        runs += _runs(text, found, 0)
        runs = sorted(set(runs), key=lambda t: (t.start, -t.end))
    return runs


def _runs(text: str, found: list[Token], suffix_chars: int) -> list[Token]:
    runs: list[Token] = []
    i = 0
    while i < len(found):
        if not found[i].is_name:
            i += 1
            continue
        first, end, j = found[i], found[i].end, i + 1
        while j < len(found) and found[j].start == end:
            following = found[j]
            joined = (
                following.text in _JOINERS
                and j + 1 < len(found)
                and found[j + 1].is_name
                and found[j + 1].start == following.end
            )
            short = following.kind in ("noun", "suffix") and len(following.text) <= suffix_chars
            if not (following.is_name or joined or short):
                break
            end, j = following.end, j + 1
        name = text[first.start : end]
        runs.append(Token(first.start, end, name, name, first.kind))
        i = j
    return runs


def _cased_runs(text: str, found: list[Token]) -> list[Token]:
    runs: list[Token] = []
    i = 0
    while i < len(found):
        if not found[i].text[0].isupper():
            i += 1
            continue
        j = i + 1
        while (
            j < len(found) and found[j].text[0].isupper() and _between(text, found[j - 1], found[j])
        ):
            j += 1
        part = found[i:j]
        at_start = bool(_SENTENCE_END.search(text[: part[0].start]))
        # A sentence's first word is capitalised anyway: it is a name only if tagged one
        # (or an initial: "А. В. Петров"). Before a name it may be a title ("Адвокат
        # Игорь Ларин"): the name is then given with it and without it, as English
        # titles are (:mod:`summarizer.candidates`).
        if at_start and not (part[0].is_name or _INITIAL.match(text, part[0].start)):
            if any(t.is_name for t in part[1:]):
                runs.append(_run(text, part))
            part = part[1:]
        if part and (any(t.is_name for t in part) or not at_start or len(part) > 1):
            runs.append(_run(text, part))
        i = j
    return runs


def _run(text: str, part: list[Token]) -> Token:
    start, end = part[0].start, part[-1].end
    kind: Kind = next((t.kind for t in part if t.is_name), "name")
    return Token(start, end, text[start:end], text[start:end], kind)


def _between(text: str, left: Token, right: Token) -> bool:
    """Whether two capitalised words are written as parts of one name: a space between
    them, or an initial's full stop and space."""
    gap = text[left.end : right.start]
    return gap == " " or (len(left.text) == 1 and bool(_INITIAL.fullmatch(left.text + gap)))
