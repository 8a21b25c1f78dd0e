"""Names and times found by code in each sentence: what the model may choose from.

The 135M model copies a name it is offered far better than it writes one, so the
people, organisations and places of the cited sentences are found here (runs of
capitalised words, joined by the small words that names contain: "Ministry of Foreign
Affairs", "Kim Jong-un") and offered as enums in the response models, which llama.cpp's
grammar enforces. In English and other languages of the Latin script no tagger: none
whose weights its authors ship on PyPI fits, and this rule finds the names news articles
write (a capitalised word that only starts its sentence is not a name unless it recurs
capitalised elsewhere). Korean, Chinese, Japanese and Russian names come from their
analysers' proper-noun tags (:mod:`summarizer.morphology`).

Times ("on Monday", "next month", "in late January") are found by dateparser's search,
which also takes pronouns and amounts for dates ("We", "$14"): only phrases that name a
day, a part of one, a period or a year are kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from dateparser.search import search_dates

from summarizer.article import Article
from summarizer.dates import resolve_date
from summarizer.morphology import ANALYSED, names

# A word that may be part of a name: capitalised, or an initial, or all capitals.
_NAME_WORD = r"(?:[A-Z][\w'’\-.]*[\w]|[A-Z]\.?)"
# Small words inside a name ("Bank of England", "Abu Dhabi", "Vincent van Gogh").
_JOINER = r"(?:of|de|la|le|du|van|von|der|al|bin|da|di|and the|of the|for)"
_NAME = re.compile(rf"{_NAME_WORD}(?:\s+(?:{_JOINER}\s+)?{_NAME_WORD})*")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
# Capitalised words that are not names on their own (word lists read best as words).
_NOT_NAMES = frozenset(
    """a an the this that these those it its he she his her they their we our i you in on
    at of for to by with and but or as after before while during both also however
    meanwhile monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december jan feb mar apr
    jun jul aug sep sept oct nov dec mr mrs ms dr said says according there here when
    what who where why how if yet so not no yes one two three first last new""".split()  # noqa: SIM905
)
MAX_NAME_CHARS = 60
# Titles before a person's name: "Foreign Minister Choe Son-hui" is also "Choe Son-hui".
_TITLES = frozenset(
    """president minister secretary chancellor premier prime king queen prince princess
    leader chairman chairwoman chair general governor mayor senator judge spokesman
    spokeswoman spokesperson ambassador envoy director chief officer ceo pope sheikh""".split()  # noqa: SIM905
)


def sentence_names(article: Article) -> dict[int, list[str]]:
    """Per sentence number, the names it contains, in order of appearance."""
    texts = {s.number: article.text[s.start : s.end] for s in article.sentences}
    if article.language in ANALYSED:
        return {
            number: list(dict.fromkeys(n.text for n in names(text, article.language)))
            for number, text in texts.items()
        }
    return _names(texts)


def text_names(text: str) -> list[str]:
    """The names of a whole text, each once: for comparing many articles, where the
    sentence splitter's cost (tens of milliseconds an article) would dominate, so
    sentences are cut at end punctuation before a capital."""
    pieces = dict(enumerate(_ROUGH_SENTENCE.split(text), start=1))
    return list(dict.fromkeys(n for names in _names(pieces).values() for n in names))


_ROUGH_SENTENCE = re.compile(r"(?<=[.!?])[\s\"”’)]+(?=[\"“‘(]?[A-Z])|\n+")


def _names(texts: dict[int, str]) -> dict[int, list[str]]:
    # Words written capitalised somewhere other than a sentence's start are names even
    # where they start a sentence.
    inner = {
        word.lower()
        for text in texts.values()
        for match in _NAME.finditer(text)
        for word in match.group().split()[(1 if match.start() == 0 else 0) :]
    }
    found: dict[int, list[str]] = {}
    for number, text in texts.items():
        names: list[str] = []
        for match in _NAME.finditer(text):
            # "North Korea's Kim Jong-un" is two names.
            # "Democratic People's Republic of Korea" is one; both are offered.
            pieces = re.split(r"(?:'s|’s)\s+", match.group())
            if len(pieces) > 1:
                pieces.append(match.group())
            for i, piece in enumerate(pieces):
                name = _clean(piece, at_start=match.start() == 0 and i == 0, inner=inner)
                for found_name in _with_bare_name(name):
                    if found_name not in names:
                        names.append(found_name)
        found[number] = names
    return found


# What a time phrase must name to be one.
_TIME_WORD = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"tonight|tomorrow|weekend|week|month|year|noon|midnight|morning|afternoon|evening|"
    r"night|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|may \d+|"
    r"\d{4})\b",
    re.IGNORECASE,
)
# Words search_dates leaves at the end of a phrase ("on March 16 and", "last week by a").
_TIME_TAIL = frozenset("and the a an of after before we by to or but just".split())  # noqa: SIM905


def sentence_times(article: Article) -> dict[int, list[str]]:
    """Per sentence number, the time phrases it writes, as it writes them."""
    settings: dict[str, object] = {"REQUIRE_PARTS": []}
    if article.published is not None:
        published = article.published
        settings["RELATIVE_BASE"] = dt.datetime(published.year, published.month, published.day)
    found: dict[int, list[str]] = {}
    english = article.language == "en"
    for sentence in article.sentences:
        text = article.text[sentence.start : sentence.end]
        if not english:
            found[sentence.number] = _foreign_times(text, article)
            continue
        hits = search_dates(text, languages=["en"], settings=settings) or []
        times: list[str] = []
        for phrase, _ in hits:
            words = phrase.split()
            while words and words[-1].lower() in _TIME_TAIL:
                words = words[:-1]
            time = _whole(" ".join(words).strip(" ,.;"), text)
            if time and _TIME_WORD.search(time) and time not in times:
                times.append(time)
        found[sentence.number] = times
    return found


def _foreign_times(text: str, article: Article) -> list[str]:
    """The time phrases of a sentence in another language than English: dateparser's
    finds there, kept when they name a day (the English filters above know English
    words only)."""
    try:
        hits = search_dates(text, languages=[article.language]) or []
    except ValueError:  # a language dateparser does not read
        return []
    phrases = (phrase.strip(" ,.;。，、") for phrase, _ in hits)
    return list(
        dict.fromkeys(
            p for p in phrases if p in text and resolve_date(p, article.published, article.language)
        )
    )


# What search_dates leaves off a phrase: the day after a month ("Oct" of "Oct 31-Nov 1")
# and the part of a period before it ("September" of "early September").
_DAYS_AFTER = re.compile(
    r"\.?\s*\d{1,2}(?:st|nd|rd|th)?(?:\s*(?:-|–|to|and)\s*(?:[A-Z][a-z]+\.?\s*)?\d{1,2})?"
    r"(?:,?\s*\d{4})?"
)
_PART_BEFORE = re.compile(r"(?:early|late|mid|the end of|the start of)[\s-]*$", re.IGNORECASE)


def _whole(time: str, text: str) -> str | None:
    """``time`` as the sentence writes it in full, or None if the sentence lacks it."""
    start = text.find(time)
    if not time or start < 0:
        return None
    end = start + len(time)
    if after := _DAYS_AFTER.match(text, end):
        end = after.end()
    if before := _PART_BEFORE.search(text, 0, start):
        start = before.start()
    return text[start:end]


def times_in(article: Article, numbers: Iterable[int]) -> list[str]:
    """The time phrases of the given sentences, each once, in the article's order."""
    per_sentence = sentence_times(article)
    return list(dict.fromkeys(t for k in sorted(set(numbers)) for t in per_sentence.get(k, [])))


def names_in(article: Article, numbers: Iterable[int]) -> list[str]:
    """The names of the given sentences, each once, in the article's order."""
    per_sentence = sentence_names(article)
    return list(dict.fromkeys(n for k in sorted(set(numbers)) for n in per_sentence.get(k, [])))


def _with_bare_name(name: str | None) -> list[str]:
    """The name, and the person's name after a title if it has one."""
    if not name:
        return []
    words = name.split()
    titled = [i for i, w in enumerate(words) if w.lower() in _TITLES]
    if titled and titled[-1] < len(words) - 1:
        return [name, " ".join(words[titled[-1] + 1 :])]
    return [name]


def _starts_a_name(words: list[str]) -> bool:
    """The first of two capitalised words ("Vela International"), not "Shares of X"."""
    return len(words) > 1 and words[1][:1].isupper()


def _clean(run: str, *, at_start: bool, inner: set[str]) -> str | None:
    words = _POSSESSIVE.sub("", run.strip()).split()
    # A sentence's first word is capitalised anyway: keep it only if it is a name, or
    # starts a run of capitalised words ("Vela International Marine said").
    while words and (
        words[0].lower() in _NOT_NAMES
        or (at_start and not _starts_a_name(words) and words[0].lower() not in inner)
    ):
        words = words[1:]
        at_start = False
    while words and words[-1].lower() in _NOT_NAMES | {"of", "de", "la", "and", "for"}:
        words = words[:-1]
    name = _POSSESSIVE.sub("", " ".join(words)).strip(" .,")
    if not name or len(name) > MAX_NAME_CHARS or name.lower() in _NOT_NAMES:
        return None
    return name
