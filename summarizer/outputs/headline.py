"""The headline. Sources: the model (written with the summary), the embedded model
through its LoRA adapter (tuned: one short call on the article's first sentences), or
the rule (the title, else the first sentence)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal, Protocol

import regex

from summarizer import grounding
from summarizer.article import Article, Passage
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

Flaw = Literal["empty", "about the article", "cut short"]

# A headline about the article instead of its news ("The article is about a disaster
# in ..."), or the prompt's words ("TASK", "Headline:"): what a zero-shot small model
# writes when it does not know what is asked.
_META = re.compile(
    r"\b(?:the|this) (?:article|text|passage|news story|story above|sentences?)\b"
    r"|^\W*(?:task|headline|title|summary|answer)\b\s*(?:[:.]|$)",
    re.IGNORECASE,
)
# Cut inside a number ("... a powerful 6.") or after a word that cannot end one ("in"
# can: "turn himself in").
_CUT = re.compile(r"\d[.,]$|\b(?:and|or|of|the|a|an|to|with|for)$", re.IGNORECASE)

# A dateline opens a wire story's first sentence and is no part of its news: "SEOUL/
# BEIJING — ", "HEMPSTEAD, N.Y., Sept. 26 (UPI) — ", "Rome (CNN)", "SAN FRANCISCO -- ";
# also a one-word label sentence ("ABSTRACT."). The place is in capitals, or an agency
# in brackets follows it; a hyphen counts only between spaces ("US-China talks" keeps
# its "US"), and the news after it starts with a capital, a digit or a quotation mark.
_PLACE = r"\p{Lu}[\p{L}'’.\-]*(?:[ /]\p{Lu}[\p{L}'’.\-]*)*"
_CAPITALS = r"\p{Lu}{2,}[\p{Lu}'’.\-]*(?:[ /]\p{Lu}[\p{Lu}'’.\-]*)*"
_MORE = r"(?:,[ ][\p{L}\p{N}.'’ ]{1,24}?){0,3}"  # ", N.Y., Sept. 26"
_DASH = r"(?:\s*[—–―]\s*|\s*--\s*|\s+-\s+)"
_NEWS = r"(?=[\p{Lu}\p{N}\"“‘'])"
_DATELINE = regex.compile(
    rf"\A\s*(?:(?:{_PLACE}{_MORE}[ ]?)?\(\p{{Lu}}[\p{{L}}. ]{{0,20}}\)(?:{_DASH}|(?=\p{{L}}))"
    rf"|{_CAPITALS}{_MORE}{_DASH}{_NEWS}"
    rf"|\p{{Lu}}{{3,}}[.:]\s*(?:{_NEWS}|\Z))"
)


def without_dateline(sentence: str) -> str:
    """``sentence`` without the dateline it opens with, if any."""
    found = _DATELINE.match(sentence)
    return sentence[found.end() :] if found else sentence


def flaw(headline: str) -> Flaw | None:
    """What makes ``headline`` unusable whatever the article: empty, about the article
    rather than its news, or cut short."""
    text = " ".join(headline.split())
    if not text:
        return "empty"
    if _META.search(text):
        return "about the article"
    if _CUT.search(text):
        return "cut short"
    return None


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
