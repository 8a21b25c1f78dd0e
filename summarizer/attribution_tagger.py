"""Attributions by a learned tagger: a CRF that tags every word as source, cue, content
or none, trained on PolNeAR's ``data/train`` (``training/attribution_crf.py``).

PolNeAR's annotation is univocal: each word belongs to at most one attribution, so an
article's attributions are one tag sequence (BIO over ``SRC``, ``CUE``, ``CON``). The
tagger reads one paragraph at a time, each word described by what a reader of news sees:
the word and its shape, whether it is a reporting word (:data:`CUE_WORDS`), whether it
stands inside a quotation, where it sits in its sentence, and the same of its
neighbours. python-crfsuite does the learning and the tagging; this module only makes
the features and turns tags back into attributions:

- every cue span starts one attribution;
- each source and content span joins the nearest cue of its paragraph, a cue of the
  same sentence first; a content span in a paragraph without a cue continues the last
  attribution of the paragraph before (a quotation running on);
- an attribution's content runs from its first content span to its last; one without
  content is dropped, and so is a source or content no cue takes;
- a cue the tagger gave no source of its own borrows its sentence's nearest source,
  else the paragraph's last one before it ("Trump said A and warned B");
- sources are resolved to names as the rule's are (:func:`resolved_sources`).

:func:`combined_attributions` is the default source: the tagger's attributions whose cue
it is sure of, and the rule's where the tagger found nothing.

The model ships in ``summarizer/taggers/`` with a manifest of its data and command.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from summarizer.article import Article
from summarizer.attribution_cues import CUE_WORDS, QUOTES
from summarizer.attributions import (
    MAX_ATTRIBUTIONS,
    Found,
    Piece,
    kind_of,
    quotations,
    resolved_sources,
    rule_attributions,
)
from summarizer.errors import ConfigError

FOLDER = Path(__file__).resolve().parent / "taggers"
MODEL = FOLDER / "attributions.crfsuite"
MANIFEST = FOLDER / "attributions.json"
# The map from a cue's marginal probability to the probability that its attribution is
# right (matched, source included, as the eval matches it), fitted on PolNeAR dev's
# tuning half for the shipped model by the map cross-validation chose there (Platt
# scaling; scripts/attribution_calibration.py): a marginal is the CRF's belief about one
# word's tag, not about the whole attribution.
CALIBRATION = FOLDER / "attributions-calibration.json"
LABELS = ("SRC", "CUE", "CON")
# The least marginal probability of a cue the combined source keeps, chosen with the
# tagger's penalty on PolNeAR dev's tuning half (docs/attributions.md,
# scripts/tagger_choice.py): the best F1 of thresholds 0 to 0.9.
COMBINED_MIN_CUE = 0.3
# A word: letters and digits, with inner apostrophes, points and hyphens ("don't",
# "U.S", "co-chair"); anything else that is not space is a token of its own.
_TOKEN = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*|\S")
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "you", "who"})
_OPENING = frozenset("“«„「『")
_CLOSING = frozenset("”»」』")
# The longest stretch of words tagged at once; news paragraphs are shorter.
MAX_SEQUENCE = 400
# How far around a word its neighbours' words are features.
_WINDOW = 2


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def paragraphs(article: Article) -> Iterator[list[Token]]:
    """The article's words, one list per paragraph (a line of text)."""
    at = 0
    for line in article.text.split("\n"):
        tokens = [Token(m.group(), at + m.start(), at + m.end()) for m in _TOKEN.finditer(line)]
        if tokens:
            yield tokens
        at += len(line) + 1


def sentence_numbers(article: Article, tokens: list[Token]) -> list[int]:
    """Each word's sentence number (as :meth:`Article.sentence_of` gives it), the
    sentences' starts listed once."""
    starts = [s.start for s in article.sentences]
    return [max(1, bisect.bisect_right(starts, t.start)) for t in tokens]


def features(article: Article, tokens: list[Token]) -> list[dict[str, Any]]:
    """Each word's features, for one paragraph."""
    text = article.text
    inside = _inside_quotes(tokens)
    starts = {s.start for s in article.sentences}
    sentence = sentence_numbers(article, tokens)
    first = [
        i == 0 or sentence[i] != sentence[i - 1] or t.start in starts for i, t in enumerate(tokens)
    ]
    cue = [t.text in CUE_WORDS or _according(text, t) for t in tokens]
    # Whether a cue stands before / after each word in its sentence, in two passes (a
    # paragraph may be a megabyte of text without a line break).
    before, after = [False] * len(tokens), [False] * len(tokens)
    for i in range(1, len(tokens)):
        same = sentence[i] == sentence[i - 1]
        before[i] = same and (before[i - 1] or cue[i - 1])
    for i in range(len(tokens) - 2, -1, -1):
        same = sentence[i] == sentence[i + 1]
        after[i] = same and (after[i + 1] or cue[i + 1])
    rows: list[dict[str, Any]] = []
    for i, t in enumerate(tokens):
        word = t.text.lower()
        row: dict[str, Any] = {
            "bias": 1.0,
            "w": word,
            "suffix": word[-3:],
            "shape": _shape(t.text),
            "cue": cue[i],
            "quoted": inside[i],
            "pronoun": word in _PRONOUNS,
            "first": first[i],
            "last": i + 1 == len(tokens) or first[i + 1],
            "para_start": i == 0,
            "cue_in_sentence": before[i] or cue[i] or after[i],
        }
        for d in range(1, _WINDOW + 1):
            for sign, j in (("-", i - d), ("+", i + d)):
                if 0 <= j < len(tokens) and sentence[j] == sentence[i]:
                    row[f"w{sign}{d}"] = tokens[j].text.lower()
                    row[f"shape{sign}{d}"] = _shape(tokens[j].text)
                    row[f"cue{sign}{d}"] = cue[j]
                    row[f"quoted{sign}{d}"] = inside[j]
                else:
                    row[f"edge{sign}{d}"] = True
        # A cue before this word in its sentence (content follows cues), or after it
        # (sources and fronted content precede them).
        row["cue_before"] = before[i]
        row["cue_after"] = after[i]
        rows.append(row)
    return rows


def _according(text: str, token: Token) -> bool:
    return token.text.lower() == "according" and text[token.end : token.end + 3] == " to"


def _shape(word: str) -> str:
    """ "Trump" -> "Xx", "U.S" -> "X.X", "2016" -> "d", "said" -> "x"."""
    shape = re.sub(r"[A-Z]+", "X", word)
    shape = re.sub(r"[a-z]+", "x", shape)
    shape = re.sub(r"\d+", "d", shape)
    return re.sub(r"[^\W\d_]+", "a", shape)  # letters of other scripts


def _inside_quotes(tokens: list[Token]) -> list[bool]:
    """Whether each word stands inside a quotation, within the paragraph: curly marks
    open and close; a straight double quote toggles."""
    inside, open_ = [], False
    for t in tokens:
        mark = t.text in QUOTES or t.text in _OPENING or t.text in _CLOSING
        if mark and t.text in _OPENING:
            open_ = True
        elif mark and t.text in _CLOSING:
            open_ = False
        elif t.text == '"':
            open_ = not open_
        inside.append(open_ and not mark)
    return inside


@dataclass
class _Span:
    label: str
    first: int  # token indices, inclusive
    last: int
    sentence: int


def spans(tags: list[str], sentences: list[int]) -> list[_Span]:
    """The tagged spans of one paragraph: a B- tag starts one, I- of the same label goes
    on (an I- after anything else starts one too, as CRFs may write)."""
    found: list[_Span] = []
    for i, tag in enumerate(tags):
        if tag == "O":
            continue
        head, _, label = tag.partition("-")
        last = found[-1] if found else None
        if head == "I" and last is not None and last.label == label and last.last == i - 1:
            last.last = i
        else:
            found.append(_Span(label, i, i, sentences[i]))
    return found


def assemble(article: Article, paragraphs_tags: list[tuple[list[Token], list[str]]]) -> list[Found]:
    """Attributions from the tags of each paragraph (see the module's notes)."""
    quoted = quotations(article.text)
    found: list[Found] = []
    previous: list[dict[str, Any]] = []
    for tokens, tags in paragraphs_tags:
        sentences = sentence_numbers(article, tokens)
        tagged = spans(tags, sentences)
        cues = [s for s in tagged if s.label == "CUE"]
        groups: list[dict[str, Any]] = [{"cue": c, "SRC": [], "CON": []} for c in cues]
        for span in tagged:
            if span.label == "CUE":
                continue
            if groups:
                nearest = min(groups, key=lambda g: _distance(span, g["cue"]))
                nearest[span.label].append(span)
            elif span.label == "CON" and previous:
                previous[-1]["more"].append((tokens, span))
        sources = [s for s in tagged if s.label == "SRC"]
        for group in groups:
            if not group["SRC"]:
                group["SRC"] = _borrowed(group["cue"], sources)
        for group in previous:
            done = _attribution(article, group, quoted)
            if done is not None:
                found.append(done)
        previous = [{**g, "tokens": tokens, "more": []} for g in groups]
    for group in previous:
        done = _attribution(article, group, quoted)
        if done is not None:
            found.append(done)
    found.sort(key=lambda f: f.cue.start)
    return resolved_sources(article, found[:MAX_ATTRIBUTIONS])


def _borrowed(cue: _Span, sources: list[_Span]) -> list[_Span]:
    """For a cue the tagger gave no source of its own ("Trump said A and warned B"):
    the nearest source of its sentence, else the last one before it in the paragraph."""
    same = [s for s in sources if s.sentence == cue.sentence]
    if same:
        return [min(same, key=lambda s: _distance(s, cue))]
    before = [s for s in sources if s.last < cue.first]
    return before[-1:]


def _distance(span: _Span, cue: _Span) -> tuple[bool, int]:
    gap = span.first - cue.last if span.first > cue.last else cue.first - span.last
    return span.sentence != cue.sentence, gap


def _attribution(
    article: Article, group: dict[str, Any], quoted: list[tuple[int, int]]
) -> Found | None:
    tokens: list[Token] = group["tokens"]
    contents = [(tokens[s.first].start, tokens[s.last].end) for s in group["CON"]]
    contents += [(more[s.first].start, more[s.last].end) for more, s in group["more"]]
    if not contents:
        return None
    text = article.text
    start, end = min(c[0] for c in contents), max(c[1] for c in contents)
    cue: _Span = group["cue"]
    cue_piece = _piece(text, tokens[cue.first].start, tokens[cue.last].end)
    source = None
    if group["SRC"]:
        near = min(group["SRC"], key=lambda s: _distance(s, cue))
        source = _piece(text, tokens[near.first].start, tokens[near.last].end)
    return Found(
        source=source,
        name=None,
        cue=cue_piece,
        content=_piece(text, start, end),
        kind=kind_of(quoted, start, end),
        sentence=article.sentence_of(cue_piece.start),
    )


def _piece(text: str, start: int, end: int) -> Piece:
    return Piece(text[start:end], start, end)


@cache
def _tagger(path: Path) -> Any:
    import pycrfsuite

    if not path.is_file():
        raise ConfigError(
            f"the attribution tagger's model is missing ({path}): reinstall summarizer, or "
            "use attributions=rule"
        )
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def tagger_attributions(article: Article, model: Path = MODEL, min_cue: float = 0.0) -> list[Found]:
    """The article's attributions by the shipped tagger (or the model file given): those
    whose cue's first word the tagger tags as a cue with a marginal probability of at
    least ``min_cue``."""
    found, sure = tagged(article, model)
    return [
        replace(f, confidence=calibrated(sure[f.cue.start], model) if f.cue.start in sure else None)
        for f in found
        if sure.get(f.cue.start, 1.0) >= min_cue
    ]


def calibrated(marginal: float, model: Path = MODEL) -> float | None:
    """The probability that an attribution is right given its cue's marginal, for the
    shipped model (another model file has no calibration: None)."""
    table = _calibration(model)
    if table is None:
        return None
    return round(float(np.interp(marginal, *table)), 4)


@cache
def _calibration(model: Path) -> tuple[list[float], list[float]] | None:
    if model.resolve() != MODEL.resolve() or not CALIBRATION.exists():
        return None
    data = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    return data["marginal"], data["probability"]


def tagged(article: Article, model: Path = MODEL) -> tuple[list[Found], dict[int, float]]:
    """Every attribution the tagger finds, and each cue's start -> the marginal
    probability of its B-CUE tag."""
    tagger = _tagger(model)
    out: list[tuple[list[Token], list[str]]] = []
    sure: dict[int, float] = {}
    for tokens in sequences(article):
        tags = list(tagger.tag(features(article, tokens)))
        sure |= {tokens[i].start: tagger.marginal(t, i) for i, t in enumerate(tags) if t == "B-CUE"}
        out.append((tokens, tags))
        if len(sure) > 2 * MAX_ATTRIBUTIONS:  # the list keeps the first ones only
            break
    return assemble(article, out), sure


def sequences(article: Article) -> Iterator[list[Token]]:
    """What the tagger reads at a time: each paragraph, a long one (a wall of text) cut
    after whole sentences into pieces of about :data:`MAX_SEQUENCE` words."""
    for tokens in paragraphs(article):
        if len(tokens) <= MAX_SEQUENCE:
            yield tokens
            continue
        numbers = sentence_numbers(article, tokens)
        piece: list[Token] = []
        for i, token in enumerate(tokens):
            piece.append(token)
            ends = i + 1 == len(tokens) or numbers[i + 1] != numbers[i]
            if (ends and len(piece) >= MAX_SEQUENCE // 2) or len(piece) >= MAX_SEQUENCE:
                yield piece
                piece = []
        if piece:
            yield piece


def combined_attributions(article: Article, model: Path = MODEL) -> list[Found]:
    """The tagger's attributions whose cue it is sure of (:data:`COMBINED_MIN_CUE`), and
    the rule's (:func:`rule_attributions`) where none of them holds any of its content."""
    mine = tagger_attributions(article, model, COMBINED_MIN_CUE)
    held = set().union(*(range(f.content.start, f.content.end) for f in mine))
    more = [
        r
        for r in rule_attributions(article)
        if held.isdisjoint(range(r.content.start, r.content.end))
    ]
    return sorted([*mine, *more], key=lambda f: f.cue.start)[:MAX_ATTRIBUTIONS]


def manifest() -> dict[str, Any]:
    """The shipped tagger's manifest: data, command, labels and held-back scores."""
    return dict(json.loads(MANIFEST.read_text(encoding="utf-8")))
