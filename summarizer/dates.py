"""Resolve a time as the article writes it ("Sunday (Sept 28)") to an ISO date."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import cache, lru_cache

import dateparser
import regex
from dateparser.languages.loader import default_loader
from dateparser.search import search_dates

_PARENTHESES = re.compile(r"\(([^)]*)\)")
# "Oct 31-Nov 1", "Oct 31 to Nov 1", "between Oct 31 and Nov 1": the first day stands.
_RANGE = re.compile(r"\s*(?:-|–|—|\bto\b|\band\b|\buntil\b|\bthrough\b)\s*", re.IGNORECASE)
_LEADING = re.compile(r"^\s*(?:on|in|at|since|from|between|by|early|late|mid)\s+", re.IGNORECASE)
_WEEKDAY = re.compile(r"monday|tuesday|wednesday|thursday|friday|saturday|sunday", re.IGNORECASE)
_HAS_DAY = re.compile(rf"\d|yesterday|today|tonight|tomorrow|{_WEEKDAY.pattern}", re.IGNORECASE)


def resolve_date(
    time_text: str | None, published: date | None, language: str = "en"
) -> date | None:
    """The first calendar day that ``time_text`` names, relative to ``published``;
    ``language`` is the ISO 639-1 code it is written in.

    None when the text names no particular day ("early September", "recently"): a
    made-up day is worse than no date.
    """
    if not time_text:
        return None
    if language != "en":
        return _foreign_date(
            unicodedata.normalize("NFKC", time_text).strip(" ,.;。、"), published, language
        )
    if not _HAS_DAY.search(time_text):
        return None
    for candidate in _candidates(time_text):
        found = _parse(candidate, published, language)
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


# "3月5日", "2025年3月5日", "5日", "4～5日" (the first day of a range), Korean "3월 5일":
# dateparser reads "5일" as the 1st and "3月5日" not at all.
_CJK_DAY = regex.compile(
    r"(?:(\d{4})\s*[年년]\s*)?(?:(\d{1,2})\s*[月월]\s*)?(\d{1,2})\s*"
    r"(?:[~∼〜\-–]\s*\d{1,2}\s*)?[日일]"
)


def _foreign_date(text: str, published: date | None, language: str) -> date | None:
    """A day written in another language than English: a Chinese, Japanese or Korean
    day number by rule, else dateparser's reading when the text has a figure or names a
    day (a weekday, yesterday, today, tomorrow in that language); "next month" or "in
    autumn" names no day."""
    if language in ("zh", "ja", "ko") and (cjk := _CJK_DAY.search(text)):
        year, month, day = cjk.groups()
        base = published or date.today()
        try:
            return date(int(year or base.year), int(month or base.month), int(day))
        except ValueError:
            return None
    if any(c.isdigit() for c in text):
        return _parse(text, published, language) or _searched(text, published, language)
    words = _day_words(language)
    if words and any(w in text.lower() for w in words):
        return _parse(text, published, language, weekday=True)
    return None


def _searched(text: str, published: date | None, language: str) -> date | None:
    """The first day dateparser finds inside ``text`` ("am 3. Juni": the "am" stops its
    parser, not its search)."""
    try:
        hits = search_dates(text, languages=[language], settings=_settings(published, True))
    except (ValueError, OverflowError):
        return None
    return hits[0][1].date() if hits else None


@cache
def _day_words(language: str) -> tuple[str, ...]:
    """The language's names of weekdays and of yesterday, today and tomorrow, from
    dateparser's own locale data."""
    try:
        info = default_loader.get_locale(language).info
    except (KeyError, ValueError):
        return ()
    names = [n for day in _WEEKDAYS for n in info.get(day, [])]
    relative = info.get("relative-type", {})
    names += [n for key in ("0 day ago", "1 day ago", "in 1 day") for n in relative.get(key, [])]
    return tuple(n.lower() for n in names if n and "{" not in n)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _settings(published: date | None, require_day: bool) -> dict[str, object]:
    settings: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first"}
    if require_day:
        settings["REQUIRE_PARTS"] = ["day"]
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    return settings


@lru_cache(maxsize=4096)
def _parse(
    text: str, published: date | None, language: str, *, weekday: bool = False
) -> date | None:
    # A bare weekday ("Sunday") counts as a day; otherwise a month or year alone doesn't.
    bare = weekday or (language == "en" and bool(_WEEKDAY.fullmatch(text.strip())))
    settings = _settings(published, require_day=not bare)
    # dateparser reads about 200 languages; for one it lacks it guesses from the text.
    languages = [language] if language in _dateparser_languages() else None
    try:
        parsed = dateparser.parse(text, languages=languages, settings=settings)
    except (ValueError, OverflowError):
        return None
    return parsed.date() if parsed else None


@cache
def _dateparser_languages() -> frozenset[str]:
    from dateparser.data import languages_info

    return frozenset(languages_info.language_order)
