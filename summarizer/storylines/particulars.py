"""The particulars that tell two stories of one kind apart: years, dates, and numbers
with what they count ("6.1 magnitude", "23 pirates", "magnitude 6.1").

Two earthquake reports share their vocabulary whichever earthquake they report; a
reader tells them apart by the magnitude, the toll, the day. Each article's
particulars are tokens, so that two articles' shared and conflicting ones are counted
by sparse products (:mod:`summarizer.storylines.same_story`):

- a quantity is ``unit=number`` for the word after a number, and for the word before
  it where that names a count ("6.1-magnitude quake" and "magnitude 6.1" both give
  ``magnitud=6.1``); its unit alone is a token too: two articles that count the same
  unit with no number in common conflict;
- a date is a month and a day ("March 29"), a year a four-digit year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from summarizer.words import content_stems

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_DATE = re.compile(
    r"\b(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(\d{1,2})(?!\d)"
)
# A number (not a year) with the words around it: "6.1-magnitude", "magnitude 6.1",
# "1,000 people", "23 Somali pirates" (the unit is the nearest word that is not a
# stop word, one word away at most).
_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)(?![\w])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
_REACH = 2  # words looked at after a number
# Words that name what the number after them counts ("magnitude 6.1", "flight 447");
# before a number, most words do not ("seized 23 sailors").
_BEFORE = frozenset({"magnitude", "flight", "number", "no", "route", "category", "level"})


def years(text: str) -> list[str]:
    return _YEAR.findall(text)


def dates(text: str) -> list[str]:
    """Each month-and-day as ``mon-day`` ("March 29" -> "mar-29")."""
    return sorted({f"{m[:3].lower()}-{int(d)}" for m, d in _DATE.findall(text) if 0 < int(d) < 32})


def quantities(text: str) -> tuple[list[str], list[str]]:
    """The article's quantities (``unit=number``) and their units."""
    found: set[str] = set()
    in_dates = {m.start(2) for m in _DATE.finditer(text)}
    for match in _NUMBER.finditer(text):
        number = _number(match.group(1))
        if number is None or _YEAR.fullmatch(match.group(1)) or match.start() in in_dates:
            continue
        words_before = _WORD.findall(text[max(0, match.start() - 20) : match.start()])
        last = words_before[-1].lower() if words_before else ""
        before = _unit([last]) if last in _BEFORE else None
        after = _unit(_WORD.findall(text[match.end() : match.end() + 40]))
        found |= {f"{unit}={number}" for unit in (before, after) if unit}
    units = sorted({q.partition("=")[0] for q in found})
    return sorted(found), units


def _number(written: str) -> str | None:
    """ "1,000" -> "1000", "6,1" -> "6.1" (a decimal comma), "6.10" -> "6.1"."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", written):
        written = written.replace(",", "")
    written = written.replace(",", ".")
    try:
        value = float(written)
    except ValueError:
        return None
    return f"{value:g}"


def _unit(words: Iterable[str]) -> str | None:
    """The first content word of the nearest :data:`_REACH`, stemmed."""
    for word in list(words)[:_REACH]:
        stems = content_stems(word)
        if stems:
            return stems[0]
    return None
