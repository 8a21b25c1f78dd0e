"""Scorers: pure functions of (prediction, gold). No model calls, no I/O.

Each returns plain numbers (or ``None`` where a metric does not apply to the item) so
that runs can be aggregated, compared and bootstrapped without knowing the scorer.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TypeVar

import numpy as np
import regex
from rapidfuzz import fuzz
from rouge_score import rouge_scorer
from scipy.optimize import linear_sum_assignment

from summarizer.article import Article
from summarizer.evaluation.fixtures import (
    Fixture,
    GoldAttribution,
    GoldEvent,
    GoldSpan,
    GoldStance,
    KeyFact,
)
from summarizer.evaluation.records import PredAttribution, PredEvent, Prediction, PredStance
from summarizer.grounding import content_items, unsupported_content
from summarizer.headline_text import flaw
from summarizer.schema import ClaimLabel
from summarizer.words import content_stems

# A summary states a key fact when one of its wordings matches this well (0-100).
KEY_FACT_MATCH = 85.0
# Two names are the same entity at this similarity (0-1), aliases aside.
NAME_MATCH = 0.8
# A predicted and a gold item pair up in the one-to-one matching at this similarity (0-1).
ITEM_MATCH = 0.5
# Strict matching (the headline figures): an event's action must match this well, on
# stemmed content words (0-1), and its actors (and targets, where gold has any) this
# well as a group; a stance's claim must share this much (F1 of stemmed content words
# besides the holder's and target's names).
ACTION_MATCH = 0.7
PARTICIPANT_MATCH = 0.5
CLAIM_MATCH = 0.5
CLAIM_LABELS: tuple[ClaimLabel, ...] = ("agree", "disagree", "discuss", "unrelated")

Scores = dict[str, float | None]
P = TypeVar("P")
G = TypeVar("G")


# --- grounding ------------------------------------------------------------------------


def grounding(pred: Prediction, article: Article) -> Scores:
    """Share of evidence spans that are exact; share of summary names/numbers unsupported;
    share of the summary's stemmed content words the article (or its title) lacks."""
    spans = pred.all_evidence()
    exact = sum(
        1 for s in spans if 0 <= s.start <= s.end and article.text[s.start : s.end] == s.text
    )
    summary = f"{pred.headline}\n{pred.summary}"
    items = content_items(summary, article.language)
    unsupported = set(unsupported_content(article, summary))
    missing = sum(1 for i in items if i in unsupported)
    names = item_names(pred)
    return {
        "novel_word_rate": _novel_share(content_stems(summary), article),
        "absent_name_rate": (
            sum(1 for n in names if not _in_article(n, article)) / len(names) if names else None
        ),
        "evidence_exact": exact / len(spans) if spans else None,
        "evidence_spans": float(len(spans)),
        "unsupported_rate": missing / len(items) if items else 0.0,
        "unsupported_items": float(missing),
        "content_items": float(len(items)),
    }


@lru_cache(maxsize=64)  # every scorer of an item, for every system, reads it
def _article_stems(article: Article) -> frozenset[str]:
    """The stemmed content words of the article and its title."""
    return frozenset(content_stems(f"{article.title or ''}\n{article.text}"))


def _novel_share(words: Sequence[str], article: Article) -> float:
    """The share of ``words`` (stemmed content words) that the article lacks."""
    known = _article_stems(article)
    return sum(1 for w in words if w not in known) / len(words) if words else 0.0


def item_names(pred: Prediction) -> list[str]:
    """The names the events and stances give, each once: actors, targets, locations,
    holders, stance targets and attributions."""
    names = [n for e in pred.events for n in (*e.actors, *e.targets, e.location) if n]
    names += [n for s in pred.stances for n in (s.holder, s.target, s.attribution) if n]
    return list(dict.fromkeys(names))


def _in_article(name: str, article: Article) -> bool:
    """Whether ``name`` is written in the article (or its title), case and spacing aside."""
    return _spaced(name) in _spaced(f"{article.title or ''}\n{article.text}")


@lru_cache(maxsize=64)  # an article's text is spaced once for all its names
def _spaced(text: str) -> str:
    return " ".join(text.lower().split())


# --- summary --------------------------------------------------------------------------


_ROUGE_TYPES = ["rouge1", "rouge2", "rougeL"]


@cache
def _rouge(language: str = "en") -> rouge_scorer.RougeScorer:
    if language == "en":
        return rouge_scorer.RougeScorer(_ROUGE_TYPES, use_stemmer=True)
    # rouge-score's own tokenizer keeps [a-z0-9] only: on Arabic or Korean it scores the
    # digits and nothing else.
    return rouge_scorer.RougeScorer(_ROUGE_TYPES, tokenizer=ScriptTokenizer())


class ScriptTokenizer:
    """ROUGE tokens in any script: a character of Chinese or Japanese (which write no
    spaces; character ROUGE is what their summarisation literature reports), a word of
    letters, marks and digits anywhere else; lower-cased, full-width forms folded."""

    _TOKEN = regex.compile(
        r"[\p{Han}\p{Hiragana}\p{Katakana}]"
        r"|(?:(?![\p{Han}\p{Hiragana}\p{Katakana}])[\p{L}\p{M}\p{N}])+"
    )

    def tokenize(self, text: str) -> list[str]:
        folded = unicodedata.normalize("NFKC", text).lower()
        return [str(token) for token in self._TOKEN.findall(folded)]


def headline(pred: Prediction, gold: Fixture, article: Article) -> Scores:
    """Whether the headline is empty, about the article rather than its news, cut short,
    or names what the article lacks; its ROUGE-L F1 against the reference headlines
    (best of them). Nothing for a system that writes no summary (a claim baseline),
    unless the item labels headlines."""
    text = " ".join(pred.headline.split())
    if not (text or pred.summary or pred.key_points or "headline" in gold.labelled):
        return {}
    found = flaw(text)
    out: Scores = {
        "headline_empty_rate": float(found == "empty"),
        "headline_meta_rate": float(found == "about the article"),
        "headline_cut_rate": float(found == "cut short"),
        "headline_unsupported_rate": float(bool(text and unsupported_content(article, text))),
        "headline_words": float(len(text.split())),
    }
    if gold.headlines:
        scores = _rouge(gold.language).score_multi(gold.headlines, text) if text else None
        out["headline_rougeL"] = scores["rougeL"].fmeasure if scores else 0.0
    return out


def summary(pred: Prediction, gold: Fixture) -> Scores:
    """ROUGE-1/2/L F1 (best over the references), key-fact recall, and length in words."""
    text = pred.summary.strip()
    out: Scores = {"summary_words": float(len(text.split()))}
    if gold.references:
        scores = _rouge(gold.language).score_multi(gold.references, text) if text else None
        for name in ("rouge1", "rouge2", "rougeL"):
            out[name] = scores[name].fmeasure if scores else 0.0
    if gold.key_facts:
        out["key_fact_recall"] = key_fact_recall(
            f"{pred.headline}. {text}", gold.key_facts, gold.aliases
        )
    return out


def key_points(pred: Prediction, gold: Fixture, article: Article) -> Scores:
    """The key points' faithfulness (their stemmed content words the article lacks; the
    share of points naming names or numbers it lacks) and coverage (ROUGE-1 F1 of the
    points together against the references; key-fact recall). Nothing for a system that
    writes none."""
    if not pred.key_points:
        return {}
    words = [w for point in pred.key_points for w in content_stems(point)]
    out: Scores = {
        "key_point_novel_word_rate": _novel_share(words, article),
        "key_point_unsupported_rate": sum(
            1 for point in pred.key_points if unsupported_content(article, point)
        )
        / len(pred.key_points),
    }
    joined = " ".join(pred.key_points)
    if gold.references:
        scores = _rouge(gold.language).score_multi(gold.references, joined)
        out["key_point_rouge1"] = scores["rouge1"].fmeasure
    if gold.key_facts:
        out["key_point_fact_recall"] = key_fact_recall(joined, gold.key_facts, gold.aliases)
    return out


def key_fact_recall(text: str, facts: Sequence[KeyFact], aliases: dict[str, list[str]]) -> float:
    """Share of facts with a wording found in ``text`` (fuzzy; any alias of a name counts)."""
    haystack = _normal(text)
    found = 0
    for fact in facts:
        variants = {v for w in fact.wordings for v in _alias_variants(w, aliases)}
        if any(fuzz.partial_ratio(_normal(v), haystack) >= KEY_FACT_MATCH for v in variants):
            found += 1
    return found / len(facts) if facts else 0.0


def _alias_variants(wording: str, aliases: dict[str, list[str]]) -> set[str]:
    variants = {wording}
    for canonical, others in aliases.items():
        for name in (canonical, *others):
            if name and name.lower() in wording.lower():
                pattern = re.compile(re.escape(name), re.IGNORECASE)
                variants.update(pattern.sub(o, wording) for o in (canonical, *others) if o)
    return variants


# --- events and stances ---------------------------------------------------------------


@dataclass(frozen=True)
class Matching:
    """A one-to-one matching of predicted to gold items."""

    pairs: list[tuple[int, int, float]]  # (predicted index, gold index, similarity)
    predicted: int
    gold: int

    def prf(self, prefix: str, suffix: str = "") -> Scores:
        tp = len(self.pairs)
        precision = tp / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)
        recall = tp / self.gold if self.gold else (1.0 if not self.predicted else 0.0)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            f"{prefix}_precision{suffix}": precision,
            f"{prefix}_recall{suffix}": recall,
            f"{prefix}_f1{suffix}": f1,
            f"{prefix}_tp{suffix}": float(tp),
            f"{prefix}_predicted{suffix}": float(self.predicted),
            f"{prefix}_gold{suffix}": float(self.gold),
        }


def match(
    predicted: Sequence[P], gold: Sequence[G], similarity: Callable[[P, G], float]
) -> Matching:
    """Hungarian assignment maximising total similarity; pairs below ITEM_MATCH don't count
    (a strict similarity says 0 for a pair that must not match)."""
    if not predicted or not gold:
        return Matching([], len(predicted), len(gold))
    sims = np.array([[similarity(p, g) for g in gold] for p in predicted])
    rows, cols = linear_sum_assignment(sims, maximize=True)
    pairs = [(int(r), int(c), float(sims[r, c])) for r, c in zip(rows, cols, strict=True)]
    return Matching([p for p in pairs if p[2] >= ITEM_MATCH], len(predicted), len(gold))


def events(pred: Prediction, gold: Fixture) -> Scores:
    """P/R/F1 of one-to-one matched events, strict and lenient; date, location and status
    accuracy on the strict pairs.

    Strict: the action matches (stemmed content words, :data:`ACTION_MATCH`) and so do
    the participants (:data:`PARTICIPANT_MATCH`: the actors, and the targets where gold
    names any). Lenient is the weighted similarity alone, where matching names can carry
    a pair whatever was done: kept as a second column, never the headline.
    """
    names = _AliasIndex.of(gold.aliases)

    def similarity(p: PredEvent, g: GoldEvent) -> float:
        action = max(_text_sim(p.action, a) for a in (g.action, *g.action_aliases))
        return (
            0.4 * names.group_sim(p.actors, g.actors)
            + 0.4 * action
            + 0.2 * names.group_sim(p.targets, g.targets)
        )

    def strict(p: PredEvent, g: GoldEvent) -> float:
        if action_sim(p.action, g, gold.language) < ACTION_MATCH:
            return 0.0
        if names.group_sim(p.actors, g.actors) < PARTICIPANT_MATCH:
            return 0.0
        if g.targets and names.group_sim(p.targets, g.targets) < PARTICIPANT_MATCH:
            return 0.0
        return similarity(p, g)

    matching = match(pred.events, gold.events, strict)
    out = matching.prf("event")
    out.update(match(pred.events, gold.events, similarity).prf("event", suffix="_lenient"))
    pairs = [(pred.events[i], gold.events[j]) for i, j, _ in matching.pairs]
    out["event_date_accuracy"] = _share(p.date == g.date for p, g in pairs if g.date is not None)
    out["event_location_accuracy"] = _share(
        p.location is not None and names.same(p.location, g.location)
        for p, g in pairs
        if g.location is not None
    )
    out["event_status_accuracy"] = _share(p.status == g.status for p, g in pairs)
    return out


def stances(pred: Prediction, gold: Fixture) -> Scores:
    """P/R/F1 of one-to-one matched stances, strict and lenient; position accuracy on the
    strict pairs.

    Strict: holder and target are the same entities (:data:`NAME_MATCH`) and the claim
    says the same thing (:data:`CLAIM_MATCH`, ROUGE-1 F1 with stemming). The position is
    not a way to match: it is what the pairs are then scored on, and a three-way label
    agrees by chance often enough to carry a pair whose claim is unrelated.
    """
    names = _AliasIndex.of(gold.aliases)

    def similarity(p: PredStance, g: GoldStance) -> float:
        return (
            0.4 * names.name_sim(p.holder, g.holder)
            + 0.3 * names.name_sim(p.target, g.target)
            + 0.3 * _text_sim(p.claim, g.claim)
        )

    def strict(p: PredStance, g: GoldStance) -> float:
        if not (names.same(p.holder, g.holder) and names.same(p.target, g.target)):
            return 0.0
        if claim_sim(p.claim, g.claim, (g.holder, g.target), gold.language) < CLAIM_MATCH:
            return 0.0
        return similarity(p, g)

    matching = match(pred.stances, gold.stances, strict)
    out = matching.prf("stance")
    out.update(match(pred.stances, gold.stances, similarity).prf("stance", suffix="_lenient"))
    pairs = [(pred.stances[i], gold.stances[j]) for i, j, _ in matching.pairs]
    out["stance_position_accuracy"] = _share(p.position == g.position for p, g in pairs)
    return out


def action_sim(action: str, gold: GoldEvent, language: str = "en") -> float:
    """How well ``action`` names the gold event's action or one of its aliases (0-1):
    fuzzy similarity of the stemmed content words, so "met with" is "met" and "fined"
    is "fine", while "was arrested" is not "was fined". Words of another ``language``
    are stemmed or analysed as the claim gate does (закрыли is закрыть, 계속했다 is
    계속하다)."""
    return max(_content_sim(action, a, language) for a in (gold.action, *gold.action_aliases))


def claim_sim(a: str, b: str, names: Sequence[str] = (), language: str = "en") -> float:
    """F1 of the stemmed content words two claims share, both ways round (token-set
    similarity would call any claim inside a longer one the same claim). The words of
    ``names`` (the stance's holder and target) do not count: a claim that only names
    its target says nothing, unless naming is all the gold claim does."""
    ignored = {w for n in names for w in content_stems(n, language)}
    sa, sb = Counter(content_stems(a, language)), Counter(content_stems(b, language))
    if any(w not in ignored for w in sb):
        sa = Counter({w: n for w, n in sa.items() if w not in ignored})
        sb = Counter({w: n for w, n in sb.items() if w not in ignored})
    shared = sum((sa & sb).values())
    if not shared:
        return 0.0
    precision, recall = shared / sum(sa.values()), shared / sum(sb.values())
    return 2 * precision * recall / (precision + recall)


def _content_sim(a: str, b: str, language: str = "en") -> float:
    sa, sb = content_stems(a, language), content_stems(b, language)
    if not sa or not sb:
        return 0.0
    return float(fuzz.token_set_ratio(" ".join(sa), " ".join(sb))) / 100


@dataclass(frozen=True)
class _AliasIndex:
    canonical: dict[str, str]

    @classmethod
    def of(cls, aliases: dict[str, list[str]]) -> _AliasIndex:
        index = {}
        for name, others in aliases.items():
            for variant in (name, *others):
                index[_normal(variant)] = _normal(name)
        return cls(index)

    def _canon(self, name: str) -> str:
        normal = _normal(name)
        return self.canonical.get(normal, normal)

    def name_sim(self, a: str, b: str) -> float:
        ca, cb = self._canon(a), self._canon(b)
        if ca == cb:
            return 1.0
        return max(_text_sim(ca, cb), _text_sim(_normal(a), _normal(b)))

    def same(self, a: str, b: str | None) -> bool:
        return b is not None and self.name_sim(a, b) >= NAME_MATCH

    def group_sim(self, predicted: Sequence[str], gold: Sequence[str]) -> float:
        """Mean over gold names of the best predicted match; empty on both sides is 1."""
        if not gold:
            return 1.0 if not predicted else 0.5
        if not predicted:
            return 0.0
        return sum(max(self.name_sim(p, g) for p in predicted) for g in gold) / len(gold)


def _text_sim(a: str, b: str) -> float:
    return float(fuzz.token_set_ratio(_normal(a), _normal(b))) / 100


def _normal(text: str) -> str:
    text = re.sub(r"['’]s\b", "", text.lower())
    return " ".join(re.sub(r"[^\w\s-]", " ", text).split())


def _share(values: object) -> float | None:
    flags = list(values)  # type: ignore[call-overload]
    return sum(1 for f in flags if f) / len(flags) if flags else None


# --- claim stance ---------------------------------------------------------------------

# Equal-width bins of the reliability table and of the expected calibration error.
CALIBRATION_BINS = 10


def claims(pred: Prediction, gold: Fixture) -> Scores:
    """Accuracy and the FNC-1 score over the item's claims (macro-F1 is run-level)."""
    labels = claim_pairs(pred, gold)
    if not labels:
        return {}
    correct = sum(1 for p, g in labels if p == g)
    earned, best = fnc1_score(labels)
    return {
        "claim_accuracy": correct / len(labels),
        "claim_related_accuracy": related_accuracy(labels),
        "fnc1_score": earned,
        "fnc1_max": best,
        "fnc1_relative": earned / best if best else None,
    }


def claim_pairs(pred: Prediction, gold: Fixture) -> list[tuple[ClaimLabel | None, ClaimLabel]]:
    """(predicted, gold) label per gold claim; None where the system gave no label."""
    given = {c.claim: c.label for c in pred.claims}
    return [(given.get(g.claim), g.label) for g in gold.claims]


def claim_confidences(pred: Prediction, gold: Fixture) -> list[tuple[float, bool]]:
    """(confidence, whether the label is right) per gold claim whose predicted label
    carries a confidence: what calibration is measured on. A null confidence makes no
    claim, so it is not counted as any probability."""
    given = {c.claim: c for c in pred.claims}
    out = []
    for g in gold.claims:
        c = given.get(g.claim)
        if c is not None and c.confidence is not None:
            out.append((c.confidence, c.label == g.label))
    return out


def calibration_bin(confidence: float) -> int:
    """The equal-width bin of a confidence; 1.0 falls in the last one."""
    return min(int(confidence * CALIBRATION_BINS), CALIBRATION_BINS - 1)


def reliability(
    pairs: Sequence[tuple[float, bool]],
) -> list[tuple[float, float, int, float, float]]:
    """The reliability table: per equal-width bin of confidence that holds any pair,
    (low, high, pairs, mean confidence, share right)."""
    out = []
    bins = CALIBRATION_BINS
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(c, r) for c, r in pairs if calibration_bin(c) == b]
        if inside:
            mean = sum(c for c, _ in inside) / len(inside)
            right = sum(1 for _, r in inside if r) / len(inside)
            out.append((low, high, len(inside), mean, right))
    return out


def expected_calibration_error(pairs: Sequence[tuple[float, bool]]) -> float:
    """ECE: the mean over pairs of |mean confidence − share right| of their bin
    (Guo et al. 2017, equal-width bins)."""
    table = reliability(pairs)
    return sum(n * abs(mean - right) for _, _, n, mean, right in table) / len(pairs)


def brier(pairs: Sequence[tuple[float, bool]]) -> float:
    """The Brier score of the confidences as probabilities that the label is right."""
    return sum((c - float(r)) ** 2 for c, r in pairs) / len(pairs)


def fnc1_score(pairs: Sequence[tuple[ClaimLabel | None, ClaimLabel]]) -> tuple[float, float]:
    """The official FNC-1 score and its maximum: 0.25 for the related/unrelated call,
    0.75 more for the right agree/disagree/discuss label."""
    earned = best = 0.0
    for predicted, gold in pairs:
        best += 0.25 if gold == "unrelated" else 1.0
        if predicted is None:
            continue
        if (predicted == "unrelated") == (gold == "unrelated"):
            earned += 0.25
        if gold != "unrelated" and predicted == gold:
            earned += 0.75
    return earned, best


def related_accuracy(pairs: Sequence[tuple[ClaimLabel | None, ClaimLabel]]) -> float:
    """The share of pairs whose related/unrelated call is right (no label: wrong): what
    the claim gate alone decides on the embedded model."""
    right = sum(1 for p, g in pairs if p is not None and (p == "unrelated") == (g == "unrelated"))
    return right / len(pairs) if pairs else 0.0


def macro_f1(pairs: Sequence[tuple[ClaimLabel | None, ClaimLabel]]) -> float:
    """Mean F1 over the four labels that occur in gold or predictions."""
    present = [label for label in CLAIM_LABELS if any(label in pair for pair in pairs)]
    f1s = []
    for label in present:
        tp = sum(1 for p, g in pairs if p == label and g == label)
        fp = sum(1 for p, g in pairs if p == label and g != label)
        fn = sum(1 for p, g in pairs if p != label and g == label)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


# --- cost -----------------------------------------------------------------------------


def cost(pred: Prediction) -> Scores:
    return {
        "prompt_tokens": float(pred.usage.prompt_tokens),
        "completion_tokens": float(pred.usage.completion_tokens),
        "total_tokens": float(pred.usage.total_tokens),
        "latency_s": pred.latency_s,
        "attempts": float(pred.attempts),
    }


# --- input: language and sentences ---------------------------------------------------


def reading(gold: Fixture, article: Article) -> Scores:
    """Whether the article's language was detected right; with a hand split, the sentence
    boundaries both splits draw (true positives, predicted and gold, for a micro F1)."""
    out: Scores = {"language_correct": float(article.language == gold.language)}
    if gold.sentences:
        # A boundary is where a sentence other than the first starts: the whitespace
        # before it belongs to neither split, so the two compare exactly.
        found = {s.start for s in article.sentences[1:]}
        hand = set(_starts_of(article.text, gold.sentences)[1:])
        out["split_tp"] = float(len(found & hand))
        out["split_predicted"] = float(len(found))
        out["split_gold"] = float(len(hand))
        both = len(found) + len(hand)
        out["split_f1"] = 2 * len(found & hand) / both if both else 1.0
    return out


def _starts_of(text: str, sentences: Sequence[str]) -> list[int]:
    starts, cursor = [], 0
    for sentence in sentences:
        start = text.index(sentence, cursor)  # the fixture's validator guarantees it
        starts.append(start)
        cursor = start + len(sentence)
    return starts


# --- attributions ---------------------------------------------------------------------

# Pronouns and relatives a source may be written as: a source written so is not a name.
_PRONOUNS = frozenset(
    "he she it they we i you who which that his her their its them him us me one".split()  # noqa: SIM905
)
_TOKEN = regex.compile(r"[\p{L}\p{N}]+")


def attributions(pred: Prediction, gold: Fixture) -> Scores:
    """Attributions matched one to one by content: a pair counts when the contents
    overlap by at least half the shorter one's characters. Strict P/R/F1 (the headline
    figures) also need the sources to match: overlapping spans, or the predicted
    resolved name equal to or containing the gold source's words ("Donald Trump" for
    "Trump"); a gold attribution without a source takes any. Over the content pairs:
    the share whose sources match, and the content's token F1. Recall among gold
    attributions whose source is a name (not a pronoun or a bare noun). And the stances'
    precision against them (:func:`_supports`), where the system gives stances."""
    found, strict = _attribution_pairs(pred, gold)
    named = [i for i, g in enumerate(gold.attributions) if _is_name(g)]
    hit = {g for _, g in strict}
    out = Matching([(p, g, 1.0) for p, g in strict], found.predicted, found.gold).prf("attribution")
    out["attribution_tp_named"] = float(sum(1 for g in named if g in hit))
    out["attribution_gold_named"] = float(len(named))
    if pred.stances:
        supported = [s for s in pred.stances if any(_supports(g, s) for g in gold.attributions)]
        out["stance_attribution_tp"] = float(len(supported))
        out["stance_attribution_predicted"] = float(len(pred.stances))
    if found.pairs:
        out["attribution_source_accuracy"] = len(strict) / len(found.pairs)
        out["attribution_content_f1"] = float(
            np.mean(
                [
                    _token_f1(
                        pred.attributions[p].content.text, _joined(gold.attributions[g].content)
                    )
                    for p, g, _ in found.pairs
                ]
            )
        )
    return out


def attribution_confidences(pred: Prediction, gold: Fixture) -> list[tuple[float, bool]]:
    """(confidence, whether right) for each predicted attribution with a confidence:
    right when strictly matched, as :func:`attributions` counts it."""
    _, strict = _attribution_pairs(pred, gold)
    right = {p for p, _ in strict}
    return [
        (a.confidence, i in right)
        for i, a in enumerate(pred.attributions)
        if a.confidence is not None
    ]


def _attribution_pairs(pred: Prediction, gold: Fixture) -> tuple[Matching, list[tuple[int, int]]]:
    """The one-to-one matching by content, and its pairs whose sources match too."""
    found = match(pred.attributions, gold.attributions, _content_overlap)
    strict = [
        (p, g)
        for p, g, _ in found.pairs
        if _same_source(pred.attributions[p], gold.attributions[g])
    ]
    return found, strict


def _chars(pieces: Sequence[GoldSpan]) -> set[int]:
    return {i for p in pieces for i in range(p.start, p.end)}


def _content_overlap(pred: PredAttribution, gold: GoldAttribution) -> float:
    """The shared characters as a share of the shorter content (0-1)."""
    mine, theirs = set(range(pred.content.start, pred.content.end)), _chars(gold.content)
    shorter = min(len(mine), len(theirs))
    return len(mine & theirs) / shorter if shorter else 0.0


def _same_source(pred: PredAttribution, gold: GoldAttribution) -> bool:
    if not gold.source:
        return True
    if pred.source is not None and set(range(pred.source.start, pred.source.end)) & _chars(
        gold.source
    ):
        return True
    if not pred.source_name:
        return False
    said = _tokens(pred.source_name)
    written = _tokens(_joined(gold.source))
    return bool(written) and (said == written or set(written) <= set(said))


def _supports(gold: GoldAttribution, stance: PredStance) -> bool:
    """Whether a gold attribution states the stance: its content overlaps the stance's
    evidence, and its source is the holder: their words, one within the other ("Trump"
    and "Donald Trump"); a gold attribution without a source, or with a pronoun for one
    (which the gold does not resolve), takes any holder."""
    content = _chars(gold.content)
    if not any(content & set(range(e.start, e.end)) for e in stance.evidence):
        return False
    written = _tokens(_joined(gold.source))
    if not written or (len(written) == 1 and written[0] in _PRONOUNS):
        return True
    holder = _tokens(stance.holder)
    return bool(holder) and (set(written) <= set(holder) or set(holder) <= set(written))


def _is_name(gold: GoldAttribution) -> bool:
    """A source written as a name: a capitalised word that is not a pronoun."""
    words = [w for piece in gold.source for w in _TOKEN.findall(piece.text)]
    return any(w[:1].isupper() and w.lower() not in _PRONOUNS for w in words)


def _joined(pieces: Sequence[GoldSpan]) -> str:
    return " ".join(p.text for p in pieces)


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def _token_f1(predicted: str, gold: str) -> float:
    mine, theirs = Counter(_tokens(predicted)), Counter(_tokens(gold))
    shared = sum((mine & theirs).values())
    if not shared:
        return 0.0
    precision, recall = shared / sum(mine.values()), shared / sum(theirs.values())
    return 2 * precision * recall / (precision + recall)


def score_item(pred: Prediction, gold: Fixture, article: Article) -> Scores:
    """Every scorer that applies to what the fixture labels."""
    out: Scores = {**grounding(pred, article), **cost(pred), **reading(gold, article)}
    out.update(headline(pred, gold, article))
    if "summary" in gold.labelled:
        out.update(summary(pred, gold))
        out.update(key_points(pred, gold, article))
    if "events" in gold.labelled:
        out.update(events(pred, gold))
    if "stances" in gold.labelled:
        out.update(stances(pred, gold))
    if "claims" in gold.labelled:
        out.update(claims(pred, gold))
    if "attributions" in gold.labelled:
        out.update(attributions(pred, gold))
    return out
