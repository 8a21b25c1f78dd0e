"""The summary: headline, text and key points. Sources, by style: ``lead`` (the article's
first sentence, then the sentences the key points cite), ``extractive`` (the cited
sentences alone), ``lead3`` (the first three sentences: the rule news summarisation is
measured against) and ``abstractive`` (the model's own words). Every style takes its key
points from the model's summary draft (in its wording, or quoting the sentence each cites:
the ``key_points`` setting), and its headline from the headline's source
(:mod:`summarizer.outputs.headline`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from summarizer import grounding
from summarizer.headline_text import without_dateline
from summarizer.outputs.headline import HeadlineSource, rule_headline
from summarizer.schema import KeyPoint, Span, Summary
from summarizer.settings import SummaryStyle

if TYPE_CHECKING:
    from summarizer.outputs.job import Job
    from summarizer.strategies import Drafts

MAX_KEY_POINTS = 8
# Lead-3's length: the summaries of news datasets are about three sentences long.
EXTRACTIVE_SENTENCES = 3


class SummarySource(Protocol):
    name: SummaryStyle

    def text(self, job: Job, key_points: Sequence[KeyPoint], written: str) -> str:
        """The summary's text, given its key points and the text the model wrote."""
        ...


class AbstractiveSummary:
    name: SummaryStyle = "abstractive"

    def text(self, job: Job, key_points: Sequence[KeyPoint], written: str) -> str:
        return job.echo.text(" ".join(written.split()))


class ExtractiveSummary:
    """The first sentence each key point cites; ``lead`` puts the article's first
    sentence first. The model's text only where no key point cites anything."""

    def __init__(self, lead: bool) -> None:
        self.lead = lead
        self.name: SummaryStyle = "lead" if lead else "extractive"

    def text(self, job: Job, key_points: Sequence[KeyPoint], written: str) -> str:
        article = job.article
        first = article.span(1) if self.lead and article.sentences else None
        return extractive_summary(key_points, first) or job.echo.text(" ".join(written.split()))


class LeadThreeSummary:
    """The article's first :data:`EXTRACTIVE_SENTENCES` sentences (Lead-3): the rule,
    whatever the model's key points cite."""

    name: SummaryStyle = "lead3"

    def text(self, job: Job, key_points: Sequence[KeyPoint], written: str) -> str:
        article = job.article
        count = min(EXTRACTIVE_SENTENCES, len(article.sentences))
        return " ".join(" ".join(article.span(n).text.split()) for n in range(1, count + 1))


def summary_source(style: SummaryStyle) -> SummarySource:
    if style == "abstractive":
        return AbstractiveSummary()
    if style == "lead3":
        return LeadThreeSummary()
    return ExtractiveSummary(lead=style == "lead")


def summary(
    job: Job, source: SummarySource, headline_source: HeadlineSource, drafts: Drafts
) -> Summary:
    """The article's summary from the drafts: the reduced text of a chunked article, else
    the first passage's; key points from every passage, duplicates merged; the headline
    from its source. On an extractive reading the key points are their sentences and the
    headline is the article's own."""
    chunks = drafts.chunks
    written = (drafts.reduced or chunks[0].summary).summary
    headline = headline_source.headline(job, drafts)
    echo = job.echo
    key_points = grounding.merge_duplicates(
        echo.key_points(
            grounding.key_point(c.passage, k) for c in chunks for k in c.summary.key_points
        ),
        grounding.key_point_key,
    )[:MAX_KEY_POINTS]
    if job.extractive or job.settings.key_point_wording == "quote":
        # Two points that cite the same sentence first are one point once quoted.
        key_points = grounding.merge_duplicates(
            (extractive_point(k) for k in key_points), grounding.key_point_key
        )
    if job.extractive:
        headline = rule_headline(job.article)
    text = source.text(job, key_points, written)
    return Summary(headline=echo.text(" ".join(headline.split())), text=text, key_points=key_points)


def extractive_point(point: KeyPoint) -> KeyPoint:
    """``point`` stated in the article's words: its first cited sentence, without the
    dateline it may open with (the span keeps the whole sentence)."""
    sentence = " ".join(point.evidence[0].text.split())
    return point.model_copy(update={"text": without_dateline(sentence).strip() or sentence})


def extractive_summary(key_points: Sequence[KeyPoint], lead: Span | None = None) -> str:
    """The first sentence each key point cites, most important point first, up to
    EXTRACTIVE_SENTENCES, in the article's order: a summary that can only say what the
    article says, in its words. ``lead`` (the article's first sentence) comes first if
    given.

    Only first citations: filling up to three sentences with the points' other
    citations scored lower on SummEval dev (ROUGE-2 0.248 against 0.275, ROUGE-L 0.350
    against 0.386; ROUGE-1 0.481 against 0.480), and so did filling them with the
    article's second and third sentences after ``lead`` (0.483 / 0.254 / 0.344: Lead-3's
    length and Lead-3's scores).
    """
    chosen: dict[int, Span] = {lead.start: lead} if lead is not None else {}
    for point in key_points:
        if len(chosen) == EXTRACTIVE_SENTENCES:
            break
        chosen.setdefault(point.evidence[0].start, point.evidence[0])
    return " ".join(" ".join(chosen[k].text.split()) for k in sorted(chosen))
