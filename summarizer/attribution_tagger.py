"""Attributions by a learned tagger: a CRF that tags every word as source, cue, content
or none, trained on PolNeAR's ``data/train`` (``training/attribution_crf.py``).

PolNeAR's annotation is univocal: each word belongs to at most one attribution, so an
article's attributions are one tag sequence (BIO over ``SRC``, ``CUE``, ``CON``). The
tagger reads one paragraph at a time, each word described by what a reader of news sees:
the word and its shape, its lemma and the parts of speech it can be (lemminflect's
dictionary), whether it is a reporting word (:data:`CUE_WORDS`) and how often its lemma
is a cue in training, whether it stands inside a quotation, where it sits in its
sentence and how far the nearest likely cue is, and the same of its neighbours.
python-crfsuite does the learning and computes each word's marginal probabilities; a
word is tagged with its likeliest label when "none" is unlikely enough
(:func:`posterior_tags`). This module makes the features and turns tags back into
attributions:

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
from collections.abc import Iterator, Mapping
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
# How often each word's lemma is (part of) a cue in PolNeAR train, written by the
# training command beside the model: a word the CRF's L1 penalty would forget as too
# rare ("pledged") still carries its lemma's rate ("pledge").
CUE_RATES = "attributions-cues.json"
LABELS = ("SRC", "CUE", "CON")
# How the tagger decodes and what the combined source keeps, chosen with the penalty on
# PolNeAR dev's tuning half (docs/attributions.md, scripts/tagger_choice.py). A word is
# tagged source, cue or content when the probability that it is none of them is below
# the bound (posterior decoding; 0.5 tags about what the single likeliest sequence
# does). The tagger alone: the best F1 of the bounds whose recall reaches the 0.7 the
# issue asks (0.8). The combined source: the best F1 over bounds and cue thresholds.
TAGGER_OUTSIDE = 0.8
COMBINED_OUTSIDE = 0.7
# The least probability of a cue's first word the combined source keeps.
COMBINED_MIN_CUE = 0.5
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


def features(
    article: Article, tokens: list[Token], rates: Mapping[str, float]
) -> list[dict[str, Any]]:
    """Each word's features, for one paragraph; ``rates`` maps a lemma to how often it
    is a cue in the training data (:func:`cue_rates`)."""
    text = article.text
    inside = _inside_quotes(tokens)
    starts = {s.start for s in article.sentences}
    sentence = sentence_numbers(article, tokens)
    first = [
        i == 0 or sentence[i] != sentence[i - 1] or t.start in starts for i, t in enumerate(tokens)
    ]
    cue = [t.text in CUE_WORDS or _according(text, t) for t in tokens]
    classes = [word_class(t.text.lower()) for t in tokens]
    rate = [_rate_bin(rates.get(lemma)) for lemma, _ in classes]
    # A likely cue: a reporting word, or a lemma that is mostly a cue in training.
    likely = [c or r in ("high", "most") for c, r in zip(cue, rate, strict=True)]
    # How far the nearest likely cue stands before / after each word in its sentence
    # (None: none), in two passes (a paragraph may be a megabyte of text without a
    # line break).
    before: list[int | None] = [None] * len(tokens)
    after: list[int | None] = [None] * len(tokens)
    for i in range(1, len(tokens)):
        if sentence[i] == sentence[i - 1]:
            near = before[i - 1]
            before[i] = 1 if likely[i - 1] else (near + 1 if near is not None else None)
    for i in range(len(tokens) - 2, -1, -1):
        if sentence[i] == sentence[i + 1]:
            near = after[i + 1]
            after[i] = 1 if likely[i + 1] else (near + 1 if near is not None else None)
    quoting = {sentence[i] for i, t in enumerate(tokens) if inside[i]}
    rows: list[dict[str, Any]] = []
    for i, t in enumerate(tokens):
        word = t.text.lower()
        row: dict[str, Any] = {
            "bias": 1.0,
            "w": word,
            "suffix": word[-3:],
            "shape": _shape(t.text),
            "lemma": classes[i][0],
            "pos": classes[i][1],
            "rate": rate[i],
            "cue": cue[i],
            "quoted": inside[i],
            "pronoun": word in _PRONOUNS,
            "first": first[i],
            "last": i + 1 == len(tokens) or first[i + 1],
            "para_start": i == 0,
            "cue_in_sentence": before[i] is not None or likely[i] or after[i] is not None,
            "quote_in_sentence": sentence[i] in quoting,
        }
        for d in range(1, _WINDOW + 1):
            for sign, j in (("-", i - d), ("+", i + d)):
                if 0 <= j < len(tokens) and sentence[j] == sentence[i]:
                    row[f"w{sign}{d}"] = tokens[j].text.lower()
                    row[f"shape{sign}{d}"] = _shape(tokens[j].text)
                    row[f"cue{sign}{d}"] = cue[j]
                    row[f"quoted{sign}{d}"] = inside[j]
                    row[f"pos{sign}{d}"] = classes[j][1]
                    row[f"rate{sign}{d}"] = rate[j]
                else:
                    row[f"edge{sign}{d}"] = True
        # A cue before this word in its sentence (content follows cues), or after it
        # (sources and fronted content precede them).
        row["cue_before"] = _far(before[i])
        row["cue_after"] = _far(after[i])
        rows.append(row)
    return rows


def _far(distance: int | None) -> str:
    """A distance in words as a few bins."""
    if distance is None:
        return "-"
    return "1" if distance == 1 else "2-3" if distance <= 3 else "4-8" if distance <= 8 else "9+"


@cache
def word_class(word: str) -> tuple[str, str]:
    """A word's lemma and the parts of speech it can be, from lemminflect's dictionary
    ("pledged" -> ("pledge", "VERB"), "shows" -> ("show", "NOUN|VERB")); a word it does
    not know is its own lemma, of class "?". No tagger: the CRF weighs the context."""
    from lemminflect import getAllLemmas

    found = getAllLemmas(word)
    if not found:
        return word, "?"
    lemmas = found.get("VERB") or found.get("AUX") or next(iter(found.values()))
    return lemmas[0].lower(), "|".join(sorted(found))


def _rate_bin(rate: float | None) -> str:
    """A lemma's cue rate as a few bins (a lemma seen too rarely in training: "-")."""
    if rate is None:
        return "-"
    return next(name for top, name in _RATE_BINS if rate < top)


_RATE_BINS = ((0.02, "0"), (0.1, "low"), (0.3, "some"), (0.6, "high"), (2.0, "most"))
# A lemma seen fewer times than this in training has no rate: too few to tell.
MIN_RATE_COUNT = 5


def cue_rates(counts: Mapping[str, tuple[int, int]]) -> dict[str, float]:
    """Each lemma's share of occurrences inside a cue, from (occurrences, in a cue)
    counts; lemmas seen fewer than :data:`MIN_RATE_COUNT` times are left out."""
    return {
        lemma: round(cued / seen, 4)
        for lemma, (seen, cued) in sorted(counts.items())
        if seen >= MIN_RATE_COUNT
    }


@cache
def _rates(model: Path) -> dict[str, float]:
    path = model.with_name(CUE_RATES)
    if not path.is_file():
        raise ConfigError(
            f"the attribution tagger's cue rates are missing ({path}): reinstall summarizer, "
            "or use attributions=rule"
        )
    return dict(json.loads(path.read_text(encoding="utf-8"))["rates"])


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


def tagger_attributions(
    article: Article,
    model: Path = MODEL,
    min_cue: float = 0.0,
    outside: float | None = TAGGER_OUTSIDE,
) -> list[Found]:
    """The article's attributions by the shipped tagger (or the model file given): those
    whose cue's first word the tagger tags as a cue with a marginal probability of at
    least ``min_cue`` (decoded as :func:`tagged` says)."""
    found, sure = tagged(article, model, outside)
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


def tagged(
    article: Article, model: Path = MODEL, outside: float | None = TAGGER_OUTSIDE
) -> tuple[list[Found], dict[int, float]]:
    """Every attribution the tagger finds, and each cue's start -> the probability that
    its first word is a cue (its marginal). ``outside``: a word takes its likeliest
    label other than none when the probability of none is below it
    (:func:`posterior_tags`); None keeps the single likeliest sequence (Viterbi)."""
    tagger, rates = _tagger(model), _rates(model)
    known = set(tagger.labels())  # a model trained on little may lack a tag ("I-CUE")
    out: list[tuple[list[Token], list[str]]] = []
    sure: dict[int, float] = {}
    for tokens in sequences(article):
        tagger.set(features(article, tokens, rates))
        marginals = [_marginals(tagger, known, i) for i in range(len(tokens))]
        tags = list(tagger.tag()) if outside is None else posterior_tags(marginals, outside)
        sure |= {
            tokens[i].start: marginals[i]["B-CUE"] + marginals[i]["I-CUE"]
            for i, t in enumerate(tags)
            if t.endswith("CUE") and (i == 0 or not tags[i - 1].endswith("CUE"))
        }
        out.append((tokens, tags))
        if len(sure) > 2 * MAX_ATTRIBUTIONS:  # the list keeps the first ones only
            break
    return assemble(article, out), sure


_TAGS = ("O", *(f"{head}-{label}" for label in LABELS for head in "BI"))


def _marginals(tagger: Any, known: set[str], i: int) -> dict[str, float]:
    return {tag: tagger.marginal(tag, i) if tag in known else 0.0 for tag in _TAGS}


def posterior_tags(marginals: list[dict[str, float]], outside: float) -> list[str]:
    """Tags from each word's marginal probabilities: a word whose probability of being
    none of source, cue and content is below ``outside`` takes the likeliest of the
    three (B- and I- added up); it continues the span before it (I-) when that has the
    same label and I- is at least as likely as B-. An ``outside`` above 0.5 tags more
    words than the single likeliest sequence does: recall for precision."""
    tags: list[str] = []
    for m in marginals:
        total = {label: m[f"B-{label}"] + m[f"I-{label}"] for label in LABELS}
        best = max(LABELS, key=total.__getitem__)
        if m["O"] >= outside:
            tags.append("O")
            continue
        going = bool(tags) and tags[-1].endswith(best) and m[f"I-{best}"] >= m[f"B-{best}"]
        tags.append(("I-" if going else "B-") + best)
    return tags


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
    """The tagger's attributions whose cue it is sure of (:data:`COMBINED_MIN_CUE`,
    decoded with :data:`COMBINED_OUTSIDE`), and the rule's (:func:`rule_attributions`)
    where none of them holds any of its content."""
    mine = tagger_attributions(article, model, COMBINED_MIN_CUE, COMBINED_OUTSIDE)
    return with_rule(mine, rule_attributions(article))[:MAX_ATTRIBUTIONS]


def with_rule(mine: list[Found], rule: list[Found]) -> list[Found]:
    """``mine`` and the ``rule``'s attributions that hold none of their content, in
    order of their cues."""
    held = set().union(*(range(f.content.start, f.content.end) for f in mine))
    more = [r for r in rule if held.isdisjoint(range(r.content.start, r.content.end))]
    return sorted([*mine, *more], key=lambda f: f.cue.start)


def manifest() -> dict[str, Any]:
    """The shipped tagger's manifest: data, command, labels and held-back scores."""
    return dict(json.loads(MANIFEST.read_text(encoding="utf-8")))
