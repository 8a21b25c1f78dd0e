"""What a system under evaluation predicted for one item, in a form every system can fill.

Our pipeline's :class:`~summarizer.schema.Analysis` guarantees exact spans by
construction; baselines do not (a naive prompt quotes the article and may misquote), so
evidence here is loose and the grounding scorer checks it against the text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from summarizer.schema import (
    Analysis,
    ClaimLabel,
    Event,
    EventStatus,
    Position,
    Span,
    Stance,
    Usage,
)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PredSpan(_Record):
    text: str
    start: int
    end: int


class PredEvent(_Record):
    actors: list[str]
    action: str
    targets: list[str] = Field(default_factory=list)
    date: dt.date | None = None
    location: str | None = None
    status: EventStatus
    evidence: list[PredSpan] = Field(default_factory=list)


class PredStance(_Record):
    holder: str
    target: str
    position: Position
    claim: str
    attribution: str | None = None
    evidence: list[PredSpan] = Field(default_factory=list)


class PredClaim(_Record):
    claim: str
    label: ClaimLabel
    evidence: list[PredSpan] = Field(default_factory=list)
    # The probability that the label is right, where the source gives one (calibration
    # is measured on it); None from a rule.
    confidence: float | None = None


class PredAttribution(_Record):
    """Who said what: the source as written (None where none is found) and the name it
    stands for (a pronoun resolved), the cue and the content, each one stretch."""

    source: PredSpan | None = None
    source_name: str | None = None
    cue: PredSpan | None = None
    content: PredSpan
    kind: str = "indirect"  # direct (quoted), indirect or mixed
    confidence: float | None = None  # the probability that it is right, where given


class Prediction(_Record):
    headline: str = ""
    summary: str = ""
    key_points: list[str] = Field(default_factory=list)
    key_point_evidence: list[PredSpan] = Field(default_factory=list)
    events: list[PredEvent] = Field(default_factory=list)
    stances: list[PredStance] = Field(default_factory=list)
    claims: list[PredClaim] = Field(default_factory=list)
    attributions: list[PredAttribution] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    calls: int = 0
    attempts: int = 0
    latency_s: float = 0.0

    @classmethod
    def from_analysis(cls, a: Analysis) -> Prediction:
        return cls(
            headline=a.summary.headline,
            summary=a.summary.text,
            key_points=[k.text for k in a.summary.key_points],
            key_point_evidence=[s for k in a.summary.key_points for s in _spans(k.evidence)],
            events=[pred_event(e) for e in a.events],
            stances=[pred_stance(s) for s in a.stances],
            claims=[
                PredClaim(
                    claim=c.claim,
                    label=c.label,
                    evidence=_spans(c.evidence),
                    confidence=c.confidence,
                )
                for c in a.claims
            ],
            attributions=[
                PredAttribution(
                    source=_span(t.source) if t.source else None,
                    source_name=t.source_name,
                    cue=_span(t.cue),
                    content=_span(t.content),
                    kind=t.kind,
                    confidence=t.confidence,
                )
                for t in a.attributions
            ],
            usage=a.metadata.usage,
            calls=a.metadata.calls,
            attempts=a.metadata.attempts,
            latency_s=a.metadata.latency_s,
        )

    def all_evidence(self) -> list[PredSpan]:
        return [
            *self.key_point_evidence,
            *(s for e in self.events for s in e.evidence),
            *(s for st in self.stances for s in st.evidence),
            *(s for c in self.claims for s in c.evidence),
            *(s for a in self.attributions for s in (a.source, a.cue, a.content) if s is not None),
        ]


def _spans(evidence: Sequence[Span]) -> list[PredSpan]:
    return [_span(s) for s in evidence]


def _span(span: Span) -> PredSpan:
    return PredSpan(text=span.text, start=span.start, end=span.end)


def pred_event(e: Event) -> PredEvent:
    """The fields the scorers read, from a schema event (its spans' offsets included)."""
    return PredEvent.model_validate(e, from_attributes=True)


def pred_stance(s: Stance) -> PredStance:
    return PredStance.model_validate(s, from_attributes=True)
