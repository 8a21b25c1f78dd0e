"""The headline. Sources: the model (written with the summary), the embedded model
through its LoRA adapter (tuned: one short call on the article's first sentences), or
the rule (the title, else the first sentence)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from summarizer import grounding
from summarizer.article import Article, Passage
from summarizer.headline_text import flaw, without_dateline
from summarizer.prompts import Task
from summarizer.settings import HeadlineName

if TYPE_CHECKING:
    from summarizer.outputs.job import Job
    from summarizer.strategies import Drafts

# The tuned headline is written from the article's first sentences, up to this many
# characters (about 250 tokens of English, at least one sentence): a news article puts
# what happened first, and the adapter was trained on requests of this size, which fit
# its 512-token training sequences with the prompt.
LEAD_CHARS = 1000


def lead_passage(article: Article) -> Passage:
    """The article's first sentences, up to :data:`LEAD_CHARS` (at least one)."""
    numbers: list[int] = []
    used = 0
    for number in range(1, len(article.sentences) + 1):
        used += len(article.sentence_text(number)) + 1
        if numbers and used > LEAD_CHARS:
            break
        numbers.append(number)
    return article.passage(numbers)


class HeadlineSource(Protocol):
    name: HeadlineName
    tasks: tuple[Task, ...]  # the model tasks the plan needs for it, once per article
    tuned: bool  # whether those tasks run through the embedded model's adapter

    def headline(self, job: Job, drafts: Drafts) -> str:
        """The headline as the source writes it, before spacing and the echo guard."""
        ...


class RuleHeadline:
    """The article's own headline: its title, else its first sentence without its
    dateline."""

    name: HeadlineName = "rule"
    tasks: tuple[Task, ...] = ()
    tuned = False

    def headline(self, job: Job, drafts: Drafts) -> str:
        return rule_headline(job.article)


class ModelHeadline:
    """The headline the model wrote with the summary: the reduced one of a chunked
    article, else the first passage's."""

    name: HeadlineName = "model"
    tasks: tuple[Task, ...] = ()  # the summary call writes it
    tuned = False

    def headline(self, job: Job, drafts: Drafts) -> str:
        written = drafts.reduced or drafts.chunks[0].summary
        return written.headline


class TunedHeadline:
    """The adapter's headline for an article without a title; the title where there is
    one. Where the adapter's is flawed or names what the article lacks, the rule's."""

    name: HeadlineName = "tuned"
    tasks: tuple[Task, ...] = ("headline",)
    tuned = True

    def headline(self, job: Job, drafts: Drafts) -> str:
        written = job.echo.text(" ".join(drafts.headline.split())) if drafts.headline else ""
        if not written or flaw(written) or grounding.unsupported_content(job.article, written):
            return rule_headline(job.article)
        return written


def asks_headline(article: Article) -> bool:
    """Whether a tuned headline is asked of the model: only for an untitled article."""
    return not (article.title and article.title.strip())


def rule_headline(article: Article) -> str:
    """The title, else the first sentence without its dateline (the next one where the
    first is only a dateline or a label)."""
    if article.title:
        return article.title
    for number in range(1, len(article.sentences) + 1):
        if text := without_dateline(article.sentence_text(number)).strip():
            return text
    return article.sentence_text(1)


def headline_source(name: HeadlineName) -> HeadlineSource:
    if name == "tuned":
        return TunedHeadline()
    return RuleHeadline() if name == "rule" else ModelHeadline()
