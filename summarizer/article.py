"""The article: its text exactly as given, and the only owner of character offsets."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from itertools import islice
from typing import Protocol

import pysbd
import regex
from pysbd.languages import LANGUAGE_CODES

from summarizer.errors import ConfigError, InputError
from summarizer.language import ENGLISH, detect_language, normalise_code
from summarizer.prompt_text import as_data
from summarizer.schema import Span
from summarizer.script_text import ELIDED, support_keys

# The project's reference article starts with " date YYYY-MM-DD " before its dateline.
_DATE_HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s+")
_ISO_DATE_FORM = re.compile(r"\d{4}-\d{2}-\d{2}")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WORD = re.compile(r"[^\W_][\w'’\-]*")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_POSSESSIVE = re.compile(r"['’]s?$")
# A "sentence" longer than this is cut at a space, so that one unpunctuated wall of
# text still yields citable units of a sensible size.
MAX_SENTENCE_CHARS = 400
# Where a too-long sentence may be cut when it has no space: after a clause mark of any
# script (Chinese and Japanese write no spaces), else between two graphemes, never
# inside one (a letter and its combining marks, an emoji sequence).
_CLAUSE_MARK = regex.compile(r"[,;:،؛、，；：]")
_GRAPHEME = regex.compile(r"\X")
# pysbd's time grows with the square of the text it is given (each abbreviation it finds
# is substituted across the whole text, and each sentence it returns is searched for from
# the start of the text), so a 1 MB paragraph took minutes and 100,000 repeated lines
# about twenty. A paragraph longer than this goes to it a window at a time.
SEGMENT_WINDOW_CHARS = 4000
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
    language: str = field(default="", kw_only=True)
    """ISO 639-1 code of the article's language; empty: detected from title and text."""
    sentences: tuple[Sentence, ...] = field(init=False)

    def __post_init__(self) -> None:
        if (nul := self.text.find("\x00")) >= 0:
            # The text may have come as JSON ("\u0000"), so no file is named here.
            raise InputError(
                f"the article contains a NUL character (at offset {nul}): "
                "it looks like binary data, not text"
            )
        if not self.text.strip():
            raise InputError("the article is empty")
        object.__setattr__(self, "language", _language_of(self))
        splitter = _segmenter(self.language)
        object.__setattr__(self, "sentences", tuple(_split_sentences(self.text, splitter)))
        if not self.sentences:
            raise InputError("the article has no text after its date header")

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        title: str | None = None,
        published: date | str | None = None,
        language: str | None = None,
    ) -> Article:
        """Build an article; a leading ``date YYYY-MM-DD`` supplies a missing publication
        date, and the language is detected unless given."""
        if published is None:
            header = _DATE_HEADER.match(text)
            if header:
                published = header.group(1)
        return cls(
            text=text, title=title, published=parse_published(published), language=language or ""
        )

    def sentence(self, number: int) -> Sentence:
        if not 1 <= number <= len(self.sentences):
            raise IndexError(number)
        return self.sentences[number - 1]

    def sentence_of(self, offset: int) -> int:
        """The number of the sentence that holds ``offset`` (or last starts before it)."""
        starts = [s.start for s in self.sentences]
        return max(1, bisect.bisect_right(starts, offset))

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
        """Lower-cased words and comma-free numbers of the title and text, for support
        checks: a headline that repeats the given title ("... - TechRepublic") invents
        nothing. With them, the keys by which names of other scripts and numbers of any
        script are found (:func:`summarizer.script_text.support_keys`)."""
        source = f"{self.title}\n{self.text}" if self.title else self.text
        words = {w.lower() for w in _WORD.findall(source)}
        words |= {_POSSESSIVE.sub("", w) for w in words}  # "Gaal's" supports "Gaal"
        words |= {ELIDED.sub("", w) for w in words}  # "l'Allemagne" supports "Allemagne"
        numbers = {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(source)}
        return frozenset(words | numbers | support_keys(source))


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
        """The sentences as ``[n] text`` lines: what the model reads and cites.

        Each sentence is shown as data (:func:`summarizer.prompt_text.as_data`): one
        line, no sentence marker or chat control token of its own.
        """
        lines = (as_data(self.article.sentence_text(n)) for n in self.numbers)
        return "\n".join(f"[{i}] {line}" for i, line in enumerate(lines, 1))


def parse_published(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        # "2025-02-30" has the right form: "expected YYYY-MM-DD" would not say what is wrong.
        reason = str(exc) if _ISO_DATE_FORM.fullmatch(value.strip()) else "expected YYYY-MM-DD"
        raise InputError(f"invalid publication date {value!r}: {reason}") from None


def _language_of(article: Article) -> str:
    if not article.language:
        title = f"{article.title}\n" if article.title else ""
        return detect_language(f"{title}{article.text}")
    try:
        return normalise_code(article.language)
    except ConfigError as exc:
        raise InputError(str(exc)) from None


class _Splitter(Protocol):
    def segment(self, text: str) -> list[str]: ...


@cache
def _segmenter(language: str) -> _Splitter:
    """The sentence splitter for ``language``.

    pysbd's rules where it has them (22 languages: Chinese, Japanese, Hindi, Russian and
    the main European ones among them), mended (:class:`_Mended`); English's for the
    rest, Korean included: its sentences end with ``.``, ``?`` or ``!`` and a space, as
    English ones do. Arabic script has a rule of its own: pysbd's Arabic rules end a
    sentence at every Arabic comma (22 false boundaries in 13 sentences of the Arabic
    fixture), and its English rules miss ``؟`` and ``.»``.
    """
    if language == ENGLISH:
        return pysbd.Segmenter(language=ENGLISH, clean=False)  # type: ignore[no-any-return]
    if language in _ARABIC_SCRIPT:
        return _Terminal()
    found = pysbd.Segmenter(
        language=language if language in LANGUAGE_CODES else ENGLISH, clean=False
    )
    return _Mended(found, frozenset(found.language_module.Abbreviation.ABBREVIATIONS))


_ARABIC_SCRIPT = frozenset({"ar", "fa", "ur", "ps", "ug"})
# Sentence-final marks of any script, and the closing quotes and brackets that stay with
# the sentence they close.
_FINAL = ".!?؟।॥。！？"
_CLOSERS = "\"'”’»›」』）)]】〕"
_SENTENCE_END = regex.compile(rf"[{regex.escape(_FINAL)}]+[{regex.escape(_CLOSERS)}]*(?=\s)")
# A piece this short after a closing quote is its attribution ("”赵立新说。"): one
# sentence with the quotation, as 「……。」と述べた。 is.
_ATTRIBUTION_CHARS = 12
_LAST_WORD = regex.compile(r"(\w[\w.\-]*)\.$")


class _Terminal:
    """Sentences end at a final mark (and its closing quotes) followed by a space."""

    def segment(self, text: str) -> list[str]:
        pieces, start = [], 0
        for end in _SENTENCE_END.finditer(text):
            pieces.append(text[start : end.end()])
            start = end.end()
        return [*pieces, text[start:]]


@dataclass(frozen=True)
class _Mended:
    """pysbd's sentences for a language other than English, with three of its habits
    undone: a closing quote split off to start the next sentence (Chinese, Hindi), a
    sentence cut before a lower-case word, and one cut after an abbreviation that its
    own list for the language knows ("av. J.-C." in French)."""

    splitter: pysbd.Segmenter
    abbreviations: frozenset[str]

    def segment(self, text: str) -> list[str]:
        pieces: list[str] = []
        for piece in self.splitter.segment(text):
            if pieces and self._continues(pieces[-1], piece):
                stripped = piece.lstrip(_CLOSERS)
                closers = piece[: len(piece) - len(stripped)]
                if stripped and len(stripped.strip()) > _ATTRIBUTION_CHARS and closers:
                    pieces[-1] += closers
                    piece = stripped
                else:
                    pieces[-1] += piece
                    continue
            pieces.append(piece)
        return pieces

    def _continues(self, before: str, piece: str) -> bool:
        start = piece.lstrip()
        if not start:
            return True
        head = start[0]
        if head in _CLOSERS and head not in "\"'":
            return True
        # A sentence starts with a capital, a number of its own words or an opening
        # quote; a lower-case word, a figure ("ч. 4 ст. | 159 УК РФ") or a hyphen
        # ("J. | -C.") continues the one before.
        if head.islower() or head.isdigit() or head in "-–—,;:":
            return True
        word = _LAST_WORD.search(before.rstrip())
        if not word:
            return False
        # An initial ("Е. С. Кузнецов") or an abbreviation pysbd lists for the language.
        letter = word.group(1)
        return (len(letter) == 1 and letter.isupper()) or letter.lower() in self.abbreviations


def opening_sentences(text: str, count: int, language: str | None = None) -> list[str]:
    """The first ``count`` sentences of ``text`` as an article's split draws them, split
    no further than needed: a story's title looks at an article's opening (its first
    :data:`OPENING_CHARS`), and splitting whole articles cost 20 ms each. The language
    is detected from the opening unless given."""
    opening = text
    if len(text) > OPENING_CHARS:  # pysbd's time grows with what it is given
        opening = text[: _cut_point(text, 0, OPENING_CHARS)]
    splitter = _segmenter(language or detect_language(opening))
    found = list(islice(_split_sentences(opening, splitter), count))
    if found and opening is not text and found[-1].end >= len(opening.rstrip()):
        found.pop()  # it may go on past the opening
    return [text[s.start : s.end] for s in found]


OPENING_CHARS = 500


def _split_sentences(text: str, splitter: _Splitter) -> Iterable[Sentence]:
    header = _DATE_HEADER.match(text)
    body_start = header.end() if header else 0
    number = 0
    for p_start, p_end in _paragraphs(text, body_start):
        for start, end in _segments(text, p_start, p_end, splitter):
            for s, e in _cap_length(text, start, end):
                number += 1
                yield Sentence(number=number, start=s, end=e)


def _segments(text: str, start: int, end: int, splitter: _Splitter) -> Iterable[tuple[int, int]]:
    """pysbd's sentences of ``text[start:end]``, as offsets, in linear time.

    A long paragraph goes in windows cut at a space; the last sentence of a window may
    be cut short, so the next window starts again at its beginning.
    """
    while end - start > SEGMENT_WINDOW_CHARS:
        cut = _cut_point(text, start, start + SEGMENT_WINDOW_CHARS)
        found = list(_located(text, start, cut, splitter))
        if len(found) < 2:  # one sentence fills the window: _cap_length cuts it anyway
            yield from found
            start = cut
            continue
        yield from found[:-1]
        start = found[-1][0]
    yield from _located(text, start, end, splitter)


def _located(text: str, start: int, end: int, splitter: _Splitter) -> Iterable[tuple[int, int]]:
    cursor = start
    for segment in splitter.segment(text[start:end]):
        piece = segment.strip()
        if not piece:
            continue
        # pysbd returns substrings; locating them keeps offsets exact even if it
        # normalised whitespace somewhere.
        found = text.find(piece, cursor, end)
        first = found if found >= 0 else cursor
        last = first + len(piece) if found >= 0 else end
        yield first, last
        cursor = last


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
        cut = _cut_point(text, start, start + MAX_SENTENCE_CHARS)
        yield from _trimmed(text, start, cut)
        start = cut
    yield from _trimmed(text, start, end)


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to cut ``text[start:]`` at or before ``limit``: a space in the second half,
    else just after a clause mark there, else the last grapheme boundary."""
    half = start + (limit - start) // 2
    if (space := max(text.rfind(" ", half, limit), text.rfind("\n", half, limit))) > start:
        return space
    marks = [int(m.end()) for m in _CLAUSE_MARK.finditer(text, half, limit)]
    if marks:
        return marks[-1]
    boundary = start
    for grapheme in _GRAPHEME.finditer(text, start, limit + 1):
        if grapheme.end() > limit:
            break
        boundary = int(grapheme.end())
    return boundary if boundary > start else limit
