"""Attributions: who is reported to have said what. Sources: the rule
(:mod:`summarizer.attributions`), or none."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from summarizer.article import Article
from summarizer.attributions import Piece, rule_attributions
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
        article = job.article
        return [
            Attribution(
                source=_span(article, a.source) if a.source else None,
                source_name=a.name,
                cue=_span(article, a.cue),
                content=_span(article, a.content),
                kind=a.kind,
            )
            for a in rule_attributions(article)
        ]


class NoAttributions:
    name: AttributionName = "none"
    tasks: tuple[Task, ...] = ()
    tuned = False

    def found(self, job: Job) -> list[Attribution]:
        return []


def attribution_source(name: AttributionName) -> AttributionSource:
    return NoAttributions() if name == "none" else RuleAttributions()


def _span(article: Article, piece: Piece) -> Span:
    return Span(
        text=piece.text, start=piece.start, end=piece.end, sentence=article.sentence_of(piece.start)
    )
