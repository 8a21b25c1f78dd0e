"""Trivial baselines: what each output must beat, in every eval run, at no model cost.

- ``lead3``: the article's first three sentences as its summary.
- ``constant:LABEL``: every claim gets LABEL.
- ``gate:LABEL``: the pipeline's lexical gate decides *unrelated*; every related claim
  gets LABEL.
- ``fnc1-baseline``: the FNC-1 official baseline (lexical features and gradient-boosted
  trees fitted on FNC-1 train, :mod:`summarizer.evaluation.fnc1_baseline`) labels every
  claim, *unrelated* included: the learned baseline a learned model has to beat.
- ``rules``: Lead-3 for the summary; events and stances by rule (:mod:`summarizer.rules`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from summarizer import claim_labels
from summarizer.article import Article
from summarizer.attribution_cues import CUE, QUOTES
from summarizer.attribution_tagger import MODEL as TAGGER_MODEL
from summarizer.attribution_tagger import combined_attributions, tagger_attributions
from summarizer.attributions import Found, Piece, rule_attributions
from summarizer.candidates import sentence_names
from summarizer.evaluation import fnc1_baseline
from summarizer.evaluation.fixtures import Fixture
from summarizer.evaluation.records import (
    PredAttribution,
    PredClaim,
    Prediction,
    PredSpan,
    pred_event,
    pred_stance,
)
from summarizer.outputs.headline import rule_headline
from summarizer.relatedness import gate_config
from summarizer.rules import rule_items
from summarizer.schema import ClaimLabel


class Lead3System:
    name = "lead3"
    replayed_calls = 0

    def cache_parts(self) -> dict[str, Any]:
        return {"system": self.name}

    def predict(self, fixture: Fixture, article: Article) -> Prediction:
        lead = [article.span(n) for n in range(1, min(3, len(article.sentences)) + 1)]
        return Prediction(
            headline=lead[0].text if lead else "",
            summary=" ".join(s.text for s in lead),
            key_points=[s.text for s in lead],
            key_point_evidence=[PredSpan(text=s.text, start=s.start, end=s.end) for s in lead],
        )

    def close(self) -> None:
        pass


class ConstantSystem:
    """Every claim labelled ``label``; no summary, events or stances."""

    replayed_calls = 0

    def __init__(self, label: ClaimLabel, *, gated: bool = False) -> None:
        self.label = label
        self.gated = gated
        self.name = f"{'gate' if gated else 'constant'}:{label}"

    def cache_parts(self) -> dict[str, Any]:
        # A gated baseline's answers change with the gate's thresholds and word weights.
        gate = {"claim_gate": gate_config()} if self.gated else {}
        return {"system": self.name, **gate}

    def predict(self, fixture: Fixture, article: Article) -> Prediction:
        claims = [c.claim for c in fixture.claims]
        related = (
            [g.related for g in claim_labels.gate(article, claims)]
            if self.gated
            else [True] * len(claims)
        )
        return Prediction(
            claims=[
                PredClaim(claim=claim, label=self.label if keep else "unrelated")
                for claim, keep in zip(claims, related, strict=True)
            ]
        )

    def close(self) -> None:
        pass


class Fnc1BaselineSystem:
    """Every claim labelled by the shipped FNC-1 baseline from the claim and the text."""

    name = "fnc1-baseline"
    replayed_calls = 0

    def cache_parts(self) -> dict[str, Any]:
        # The code's hash covers no data file: a refitted model is named by its own hash.
        return {"system": self.name, "model": fnc1_baseline.model_digest()}

    def predict(self, fixture: Fixture, article: Article) -> Prediction:
        claims = [c.claim for c in fixture.claims]
        labels = fnc1_baseline.claim_labels(article.text, claims)
        return Prediction(
            claims=[
                PredClaim(claim=claim, label=label)
                for claim, label in zip(claims, labels, strict=True)
            ]
        )

    def close(self) -> None:
        pass


class RulesSystem(Lead3System):
    """Lead-3 with the rule's headline (the title, else the first sentence without its
    dateline), events and stances by rule (:func:`summarizer.rules.rule_items`) and
    attributions by rule (:func:`summarizer.attributions.rule_attributions`)."""

    name = "rules"

    def predict(self, fixture: Fixture, article: Article) -> Prediction:
        events, stances = rule_items(article)
        return (
            super()
            .predict(fixture, article)
            .model_copy(
                update={
                    "headline": rule_headline(article),
                    "events": [pred_event(e) for e in events],
                    "stances": [pred_stance(s) for s in stances],
                    "attributions": [_pred_attribution(a) for a in rule_attributions(article)],
                }
            )
        )


def _pred_attribution(found: Found) -> PredAttribution:
    def span(piece: Piece) -> PredSpan:
        return PredSpan(text=piece.text, start=piece.start, end=piece.end)

    return PredAttribution(
        source=span(found.source) if found.source else None,
        source_name=found.name,
        cue=span(found.cue),
        content=span(found.content),
        kind=found.kind,
        confidence=found.confidence,
    )


class TaggerSystem:
    """Attributions by the learned tagger (:mod:`summarizer.attribution_tagger`), alone
    (``tagger``) or with the rule's where it found none (``combined``); nothing else.
    Its cache key holds the model file's hash, so a retrained tagger is rerun."""

    replayed_calls = 0

    def __init__(
        self, model: Path = TAGGER_MODEL, *, combined: bool = False, name: str | None = None
    ) -> None:
        self.model = model
        self.combined = combined
        self.name = name or ("combined" if combined else "tagger")

    def cache_parts(self) -> dict[str, Any]:
        digest = (
            hashlib.sha256(self.model.read_bytes()).hexdigest() if self.model.is_file() else None
        )
        return {"system": self.name, "model_sha256": digest}

    def predict(self, fixture: Fixture, article: Article) -> Prediction:
        find = combined_attributions if self.combined else tagger_attributions
        found = find(article, self.model)
        return Prediction(attributions=[_pred_attribution(a) for a in found])

    def close(self) -> None:
        pass


class CueSentenceSystem:
    """The attribution baseline: every sentence with a reporting cue ("said",
    "according to") is one attribution, its content the whole sentence, its source the
    name nearest the cue, or none; no summary, events, stances or claims."""

    name = "cue-sentences"
    replayed_calls = 0

    def cache_parts(self) -> dict[str, Any]:
        return {"system": self.name}

    def predict(self, fixture: Fixture, article: Article) -> Prediction:
        names = sentence_names(article)
        found = []
        for sentence in article.sentences:
            text = article.text[sentence.start : sentence.end]
            cue = CUE.search(text)
            if cue is None:
                continue
            source = _nearest(text, names.get(sentence.number, []), cue.start())
            found.append(
                PredAttribution(
                    source=_span(article, sentence.start, text, source) if source else None,
                    source_name=source,
                    cue=PredSpan(
                        text=cue.group(),
                        start=sentence.start + cue.start(),
                        end=sentence.start + cue.end(),
                    ),
                    content=PredSpan(text=text, start=sentence.start, end=sentence.end),
                    kind="direct" if any(q in text for q in QUOTES) else "indirect",
                )
            )
        return Prediction(attributions=found)

    def close(self) -> None:
        pass


def _nearest(text: str, names: list[str], at: int) -> str | None:
    """The name whose first occurrence in ``text`` is closest to offset ``at``."""
    placed = [(abs(text.find(n) - at), n) for n in names if text.find(n) >= 0]
    return min(placed)[1] if placed else None


def _span(article: Article, offset: int, text: str, name: str) -> PredSpan:
    start = offset + text.find(name)
    return PredSpan(
        text=article.text[start : start + len(name)], start=start, end=start + len(name)
    )
