"""The article: its text exactly as given, and the only owner of character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pysbd

from summarizer.errors import InputError
from summarizer.schema import Span

# The project's reference article starts with " date YYYY-MM-DD " before its dateline.
_DATE_HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WORD = re.compile(r"[^\W_][\w'’\-]*")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_POSSESSIVE = re.compile(r"['’]s?$")
# A "sentence" longer than this is cut at a space, so that one unpunctuated wall of
# text still yields citable units of a sensible size.
MAX_SENTENCE_CHARS = 400
_SEGMENTER = pysbd.Segmenter(language="en", clean=False)
# pysbd builds a few hundred regular expressions per text (one per abbreviation), more
# than the re module's cache of 512 keeps, so every article compiled them all again:
# about 30 ms of each article's CPU time. A bigger cache keeps them compiled.
re._MAXCACHE = max(getattr(re, "_MAXCACHE", 0), 4096)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Sentence:
    number: int  # 1-based, as shown to the model
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """An article ready for analysis.

    ``text`` is kept exactly as the caller passed it; every offset in a result indexes it.
    """

    text: str
    title: str | None = None
    published: date | None = None
    sentences: tuple[Sentence, ...] = field(init=False)

    def __post_init__(self) -> None:
        if "\x00" in self.text:
            raise InputError("the article contains NUL bytes: it looks like a binary file")
        if not self.text.strip():
            raise InputError("the article is empty")
        object.__setattr__(self, "sentences", tuple(_split_sentences(self.text)))
        if not self.sentences:
            raise InputError("the article has no text after its date header")

    @classmethod
    def from_text(
        cls, text: str, *, title: str | None = None, published: date | str | None = None
    ) -> Article:
        """Build an article; a leading ``date YYYY-MM-DD`` supplies a missing publication date."""
        if published is None:
            header = _DATE_HEADER.match(text)
            if header:
                published = header.group(1)
        return cls(text=text, title=title, published=parse_published(published))

    def sentence(self, number: int) -> Sentence:
        if not 1 <= number <= len(self.sentences):
            raise IndexError(number)
        return self.sentences[number - 1]

    def sentence_text(self, number: int) -> str:
        s = self.sentence(number)
        return self.text[s.start : s.end]

    def span(self, number: int) -> Span:
        s = self.sentence(number)
        return Span(text=self.text[s.start : s.end], start=s.start, end=s.end, sentence=number)

    def passage(self, numbers: Iterable[int] | None = None) -> Passage:
        """The sentences the model is shown at once: all of them, or one chunk."""
        chosen = range(1, len(self.sentences) + 1) if numbers is None else numbers
        return Passage(self, tuple(chosen))

    @cached_property
    def content_vocabulary(self) -> frozenset[str]:
        """Lower-cased words and comma-free numbers of the text, for support checks."""
        words = {w.lower() for w in _WORD.findall(self.text)}
        words |= {_POSSESSIVE.sub("", w) for w in words}  # "Gaal's" supports "Gaal"
        numbers = {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(self.text)}
        return frozenset(words | numbers)


@dataclass(frozen=True)
class Passage:
    """Sentences of an article, numbered from 1 for the model whatever their place.

    A small model cites low numbers whatever it is shown, so each chunk of a long
    article starts again at [1]; :meth:`span` maps a citation back to the article.
    """

    article: Article
    numbers: tuple[int, ...]  # article sentence numbers, shown as 1..len

    def __len__(self) -> int:
        return len(self.numbers)

    @property
    def citable(self) -> frozenset[int]:
        return frozenset(range(1, len(self.numbers) + 1))

    def span(self, cited: int) -> Span:
        return self.article.span(self.numbers[cited - 1])

    def numbered(self) -> str:
        """The sentences as ``[n] text`` lines: what the model reads and cites."""
        return "\n".join(
            f"[{i}] {' '.join(self.article.sentence_text(n).split())}"
            for i, n in enumerate(self.numbers, 1)
        )


def parse_published(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"invalid publication date {value!r}: expected YYYY-MM-DD") from None


def _split_sentences(text: str) -> Iterable[Sentence]:
    header = _DATE_HEADER.match(text)
    body_start = header.end() if header else 0
    number = 0
    for p_start, p_end in _paragraphs(text, body_start):
        cursor = p_start
        for segment in _SEGMENTER.segment(text[p_start:p_end]):
            piece = segment.strip()
            if not piece:
                continue
            # pysbd returns substrings; locating them keeps offsets exact even if it
            # normalised whitespace somewhere.
            found = text.find(piece, cursor, p_end)
            start = found if found >= 0 else cursor
            end = start + len(piece) if found >= 0 else p_end
            for s, e in _cap_length(text, start, end):
                number += 1
                yield Sentence(number=number, start=s, end=e)
            cursor = end


def _paragraphs(text: str, start: int) -> Iterable[tuple[int, int]]:
    for match in _PARAGRAPH_BREAK.finditer(text, start):
        yield from _trimmed(text, start, match.start())
        start = match.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def _cap_length(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        yield from _trimmed(text, start, cut)
        start = cut
    yield from _trimmed(text, start, end)
