"""Attributions: who is reported to have said what. Sources: the rule
(:mod:`summarizer.attributions`), the learned tagger (:mod:`summarizer.attribution_tagger`),
the two combined (the default), or none."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from summarizer.article import Article
from summarizer.attribution_tagger import combined_attributions, tagger_attributions
from summarizer.attributions import Found, Piece, rule_attributions
from summarizer.prompts import Task
from summarizer.schema import Attribution, Span
from summarizer.settings import AttributionName

if TYPE_CHECKING:
    from summarizer.outputs.job import Job


class AttributionSource(Protocol):
    name: AttributionName
    tasks: tuple[Task, ...]
    tuned: bool

    def found(self, job: Job) -> list[Attribution]: ...


# Each source's finder over the article; none calls a model.
FINDERS: dict[AttributionName, Callable[[Article], list[Found]]] = {
    # Reporting cues, quotation marks and speakers' turns.
    "rule": rule_attributions,
    # A CRF over the article's words, trained on PolNeAR's train split.
    "tagger": tagger_attributions,
    # The tagger's where it is sure of the cue, the rule's where it found none.
    "combined": combined_attributions,
    "none": lambda article: [],
}


class FoundAttributions:
    """Attributions by one of :data:`FINDERS`; no call."""

    tasks: tuple[Task, ...] = ()
    tuned = False

    def __init__(self, name: AttributionName) -> None:
        self.name: AttributionName = name

    def found(self, job: Job) -> list[Attribution]:
        article = job.article
        return [
            Attribution(
                source=_span(article, a.source) if a.source else None,
                source_name=a.name,
                cue=_span(article, a.cue),
                content=_span(article, a.content),
                kind=a.kind,
                confidence=a.confidence,
            )
            for a in FINDERS[self.name](article)
        ]


def attribution_source(name: AttributionName) -> AttributionSource:
    return FoundAttributions(name)


def _span(article: Article, piece: Piece) -> Span:
    return Span(
        text=piece.text, start=piece.start, end=piece.end, sentence=article.sentence_of(piece.start)
    )
