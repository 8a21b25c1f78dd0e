"""Resolve a time as the article writes it ("Sunday (Sept 28)") to an ISO date."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

import dateparser

_PARENTHESES = re.compile(r"\(([^)]*)\)")
# "Oct 31-Nov 1", "Oct 31 to Nov 1", "between Oct 31 and Nov 1": the first day stands.
_RANGE = re.compile(r"\s*(?:-|–|—|\bto\b|\band\b|\buntil\b|\bthrough\b)\s*", re.IGNORECASE)
_LEADING = re.compile(r"^\s*(?:on|in|at|since|from|between|by|early|late|mid)\s+", re.IGNORECASE)
_WEEKDAY = re.compile(r"monday|tuesday|wednesday|thursday|friday|saturday|sunday", re.IGNORECASE)
_HAS_DAY = re.compile(rf"\d|yesterday|today|tonight|tomorrow|{_WEEKDAY.pattern}", re.IGNORECASE)


def resolve_date(time_text: str | None, published: date | None) -> date | None:
    """The first calendar day that ``time_text`` names, relative to ``published``.

    None when the text names no particular day ("early September", "recently"): a
    made-up day is worse than no date.
    """
    if not time_text or not _HAS_DAY.search(time_text):
        return None
    for candidate in _candidates(time_text):
        found = _parse(candidate, published)
        if found is not None:
            return found
    return None


def _candidates(text: str) -> list[str]:
    inner = [m.group(1) for m in _PARENTHESES.finditer(text)]
    outer = _PARENTHESES.sub(" ", text).strip()
    out: list[str] = []
    for piece in [*inner, outer, text]:
        piece = piece.strip(" ,.;")
        first = _RANGE.split(_LEADING.sub("", piece), maxsplit=1)[0]
        out.extend(p for p in (piece, first) if p and _HAS_DAY.search(p))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=4096)
def _parse(text: str, published: date | None) -> date | None:
    settings: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first"}
    if not _WEEKDAY.fullmatch(text.strip()):
        # A bare weekday ("Sunday") counts as a day; otherwise a month or year alone doesn't.
        settings["REQUIRE_PARTS"] = ["day"]
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None
    return parsed.date() if parsed else None
