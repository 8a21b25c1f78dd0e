"""Attributions: who is reported to have said what. Sources: the rule
(:mod:`summarizer.attributions`), the learned tagger (:mod:`summarizer.attribution_tagger`),
the two combined (the default), or none."""

from __future__ import annotations

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


class RuleAttributions:
    """Reporting cues, quotation marks and speakers' turns; no call."""

    name: AttributionName = "rule"
    tasks: tuple[Task, ...] = ()
    tuned = False

    def found(self, job: Job) -> list[Attribution]:
        return _attributions(job.article, rule_attributions(job.article))


class TaggerAttributions:
    """A CRF over the article's words, trained on PolNeAR's train split; no call."""

    name: AttributionName = "tagger"
    tasks: tuple[Task, ...] = ()
    tuned = False

    def found(self, job: Job) -> list[Attribution]:
        return _attributions(job.article, tagger_attributions(job.article))


class CombinedAttributions:
    """The tagger's where it is sure of the cue, the rule's where it found none; no call."""

    name: AttributionName = "combined"
    tasks: tuple[Task, ...] = ()
    tuned = False

    def found(self, job: Job) -> list[Attribution]:
        return _attributions(job.article, combined_attributions(job.article))


def _attributions(article: Article, found: list[Found]) -> list[Attribution]:
    return [
        Attribution(
            source=_span(article, a.source) if a.source else None,
            source_name=a.name,
            cue=_span(article, a.cue),
            content=_span(article, a.content),
            kind=a.kind,
        )
        for a in found
    ]


class NoAttributions:
    name: AttributionName = "none"
    tasks: tuple[Task, ...] = ()
    tuned = False

    def found(self, job: Job) -> list[Attribution]:
        return []


def attribution_source(name: AttributionName) -> AttributionSource:
    if name == "tagger":
        return TaggerAttributions()
    if name == "combined":
        return CombinedAttributions()
    return NoAttributions() if name == "none" else RuleAttributions()


def _span(article: Article, piece: Piece) -> Span:
    return Span(
        text=piece.text, start=piece.start, end=piece.end, sentence=article.sentence_of(piece.start)
    )
