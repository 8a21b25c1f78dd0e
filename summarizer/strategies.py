"""Strategies: which structured calls one article needs, in which order.

A strategy is a generator that yields *waves*: lists of :class:`CallRequest` objects
that do not depend on one another, and receives their validated drafts back, in order.
Keeping it free of I/O lets one plan be driven synchronously, asynchronously (a wave's
requests in parallel on an HTTP endpoint) or as rounds of a batch-API file, without
writing it twice. Within a wave the calls for one chunk come back to back and share
their prompt prefix, so a llama.cpp backend run in order evaluates the article once and
reuses its KV cache for the next task.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel

from summarizer import grounding
from summarizer.article import Article, Passage
from summarizer.calls import CallRequest
from summarizer.candidates import names_in, times_in
from summarizer.drafts import (
    ClaimDraft,
    ClaimsDraft,
    CombinedClaimsDraft,
    CombinedDraft,
    EventDraft,
    EventsDraft,
    HeadlineDraft,
    ReduceDraft,
    StanceDraft,
    StancesDraft,
    SummaryDraft,
    VerifyDraft,
    exactly,
    for_passage,
    with_choices,
)
from summarizer.outputs.headline import lead_passage
from summarizer.prompt_text import as_data
from summarizer.prompts import Prompts, Task
from summarizer.settings import Settings

# A verify prompt quotes each item's first cited sentence and states the item, cut to
# these lengths so that its size is bounded: at most 11 items (6 events, 5 stances) of
# about 270 characters with their labels, some 750 tokens of English. The chunk planner
# keeps VERIFY_TOKENS for it on top of the article.
VERIFY_SENTENCE_CHARS = 140
VERIFY_STATEMENT_CHARS = 100
VERIFY_TOKENS = 1000
CLAIMS_PER_CALL = 16
_POSITION_VERBS = {
    "support": "supports",
    "oppose": "opposes",
    "neutral": "is neutral on",
    "mixed": "has mixed views on",
}


@dataclass
class ChunkDrafts:
    passage: Passage  # what the model saw; its citations are numbered within it
    summary: SummaryDraft
    events: list[EventDraft] = field(default_factory=list)
    stances: list[StanceDraft] = field(default_factory=list)
    claims: list[ClaimDraft] = field(default_factory=list)
    unverified: int = 0  # events and stances the verify pass dropped


@dataclass
class Drafts:
    chunks: list[ChunkDrafts]
    reduced: ReduceDraft | None
    headline: str | None = None  # the headline call's answer, where one was asked


Wave = list[CallRequest]
Plan = Generator[Wave, list[BaseModel], Drafts]


def plan(
    article: Article,
    claims: Sequence[str],
    *,
    settings: Settings,
    prompts: Prompts,
    chunks: list[list[int]],
    extraction: tuple[Task, ...],
    tuned: frozenset[Task] = frozenset(),
    headline: bool = False,
) -> Plan:
    """The calls for ``article``: per passage (``chunks``) its summary, the
    ``extraction`` tasks that its events' and stances' sources need (none for a rule;
    a combined call's events and stances are used only by the model's sources) and its
    claims' labels; with ``headline``, one headline call on the article's first
    sentences; then the checks that follow from the answers. The ``tuned`` tasks are
    answered through the embedded model's adapter."""
    strategy = settings.strategy
    examples = settings.examples
    wave: Wave = []
    passages: list[Passage] = []
    for numbers in chunks:
        passage = article.passage(numbers)
        passages.append(passage)

        def request(
            task: Task,
            model: type[BaseModel],
            passage: Passage = passage,
            claims: Sequence[str] = claims,
        ) -> CallRequest:
            messages = prompts.messages(task, passage, claims=list(claims), examples=examples)
            sized = for_passage(model, len(passage))
            return CallRequest(task, messages, sized, tuned=task in tuned)

        names = tuple(names_in(article, numbers)) if settings.candidates else ()
        times = tuple(times_in(article, numbers)) if settings.candidates else ()
        if strategy == "combined":
            whole: type[CombinedDraft] = (
                exactly(CombinedClaimsDraft, "claims", len(claims)) if claims else CombinedDraft
            )
            wave.append(request("combined", with_choices(whole, names, times)))
            continue
        wave.append(request("summary", SummaryDraft))
        if "events" in extraction:
            wave.append(request("events", with_choices(EventsDraft, names, times)))
        if "stances" in extraction:
            wave.append(request("stances", with_choices(StancesDraft, names, times)))
        for group in claim_groups(claims):
            model = exactly(ClaimsDraft, "claims", len(group))
            wave.append(request("claims", model, claims=group))
    if headline:
        # Last in the wave: its passage is shorter than the first chunk's, so the chunk's
        # calls keep sharing their prefix in llama.cpp's KV cache.
        wave.append(headline_request(article, prompts, examples, tuned="headline" in tuned))

    answers = iter((yield wave))
    results: list[ChunkDrafts] = []
    for passage in passages:
        if strategy == "combined":
            combined = next(answers)
            assert isinstance(combined, CombinedDraft)
            labelled = combined.claims if isinstance(combined, CombinedClaimsDraft) else []
            results.append(
                ChunkDrafts(passage, combined.summary, combined.events, combined.stances, labelled)
            )
            continue
        summary = next(answers)
        assert isinstance(summary, SummaryDraft)
        chunk = ChunkDrafts(passage, summary)
        if "events" in extraction:
            events = next(answers)
            assert isinstance(events, EventsDraft)
            chunk.events = events.events
        if "stances" in extraction:
            stances = next(answers)
            assert isinstance(stances, StancesDraft)
            chunk.stances = stances.stances
        for _ in claim_groups(claims):
            answer = next(answers)
            assert isinstance(answer, ClaimsDraft)
            chunk.claims += answer.claims
        results.append(chunk)
    written = None
    if headline:
        answer = next(answers)
        assert isinstance(answer, HeadlineDraft)
        written = answer.headline

    if settings.verify and extraction:
        yield from _verify(results, prompts)

    reduced = None
    if len(results) > 1:
        # The only dependency: one summary from the chunks' summaries.
        parts = [c.summary.summary for c in results]
        messages = prompts.messages("reduce", article.passage([]), parts=parts)
        reduce = CallRequest("reduce", messages, ReduceDraft)
        (answer,) = yield [reduce]
        assert isinstance(answer, ReduceDraft)
        reduced = answer
        if _rechecks(settings):
            reduced = yield from _recheck(article, reduce, reduced, settings, prompts)
    elif _rechecks(settings) and strategy == "per_task":
        # The first chunk's summary request is the first of the wave.
        first = results[0].summary
        summary = yield from _recheck(article, wave[0], first, settings, prompts)
        # Only the written parts are taken: the key points (and so an extractive
        # summary) stay the ones first chosen.
        results[0].summary = first.model_copy(
            update={"headline": summary.headline, "summary": summary.summary}
        )
    return Drafts(results, reduced, written)


def headline_request(
    article: Article, prompts: Prompts, examples: bool, *, tuned: bool
) -> CallRequest:
    """The headline call: the article's first sentences (training asks the same)."""
    messages = prompts.messages("headline", lead_passage(article), examples=examples)
    return CallRequest("headline", messages, HeadlineDraft, tuned=tuned)


Written = TypeVar("Written", SummaryDraft, ReduceDraft)


def _rechecks(settings: Settings) -> bool:
    """Whether the summary call's answer is checked for names the article lacks: only
    where its headline or summary text is used."""
    used = settings.headlining == "model" or settings.summary_style == "abstractive"
    return settings.headline_guard and used


def _recheck(
    article: Article, request: CallRequest, draft: Written, settings: Settings, prompts: Prompts
) -> Generator[Wave, list[BaseModel], Written]:
    """Ask once more when the headline (or a summary the model writes) names people,
    places or numbers the article lacks; keep whichever answer names fewer of them.
    What is still unsupported is reported by the pipeline's warnings."""
    found = _unsupported(article, draft, settings)
    if not found:
        return draft
    messages = prompts.recheck(request.messages, found)
    (answer,) = yield [CallRequest("recheck", messages, request.response_model)]
    assert isinstance(answer, type(draft))
    again = _unsupported(article, answer, settings)
    return answer if sum(map(len, again.values())) < sum(map(len, found.values())) else draft


def _unsupported(
    article: Article, draft: SummaryDraft | ReduceDraft, settings: Settings
) -> dict[str, list[str]]:
    fields = {"headline": draft.headline}
    if settings.summary_style == "abstractive":  # otherwise the summary is the article's
        fields["summary"] = draft.summary
    found = {k: grounding.unsupported_content(article, v) for k, v in fields.items()}
    return {k: v for k, v in found.items() if v}


def _verify(chunks: list[ChunkDrafts], prompts: Prompts) -> Generator[Wave, list[BaseModel], None]:
    """Ask, once per chunk, whether each event's and stance's first cited sentence
    states it; drop the items the model says no to."""
    asked = [c for c in chunks if c.events or c.stances]
    if not asked:
        return
    wave = [
        CallRequest(
            "verify",
            prompts.messages("verify", c.passage, statements=_statements(c)),
            exactly(VerifyDraft, "verdicts", len(c.events) + len(c.stances)),
        )
        for c in asked
    ]
    answers = yield wave
    for chunk, answer in zip(asked, answers, strict=True):
        assert isinstance(answer, VerifyDraft)
        verdicts = iter(answer.verdicts)
        events = [e for e in chunk.events if next(verdicts) == "yes"]
        stances = [s for s in chunk.stances if next(verdicts) == "yes"]
        chunk.unverified = len(chunk.events) - len(events) + len(chunk.stances) - len(stances)
        chunk.events, chunk.stances = events, stances


def _statements(chunk: ChunkDrafts) -> list[dict[str, object]]:
    said = [
        (
            e.sentences[0],
            " ".join(filter(None, [", ".join(e.actors), e.action, ", ".join(e.targets)])),
        )
        for e in chunk.events
    ] + [
        (s.sentences[0], f"{s.holder} {_POSITION_VERBS[s.position]} {s.target}")
        for s in chunk.stances
    ]
    article, numbers = chunk.passage.article, chunk.passage.numbers
    return [
        {
            "number": cited,
            "sentence": _cut(
                as_data(article.sentence_text(numbers[cited - 1])), VERIFY_SENTENCE_CHARS
            ),
            "text": _cut(as_data(text), VERIFY_STATEMENT_CHARS),
        }
        for cited, text in said
    ]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def claim_groups(claims: Sequence[str]) -> list[Sequence[str]]:
    """The claims in calls of at most :data:`CLAIMS_PER_CALL`: an FNC-1 body comes with
    up to 132 headlines, and one answer for all of them would not fit the context."""
    return [claims[i : i + CLAIMS_PER_CALL] for i in range(0, len(claims), CLAIMS_PER_CALL)]


def tasks_used(
    settings: Settings,
    has_claims: bool,
    chunked: bool,
    extraction: tuple[Task, ...],
    headline: bool = False,
) -> list[Task]:
    """The prompts an article's plan uses (``extraction``: the tasks its events' and
    stances' sources need; ``headline``: whether it asks a headline call)."""
    strategy = settings.strategy
    tasks: list[Task] = ["combined"] if strategy == "combined" else ["summary"]
    if headline:
        tasks.append("headline")
    if strategy != "combined":
        tasks += extraction
    if has_claims and strategy != "combined":
        tasks.append("claims")
    if chunked:
        tasks.append("reduce")
    if _rechecks(settings) and (chunked or strategy == "per_task"):
        tasks.append("recheck")
    if settings.verify and extraction:
        tasks.append("verify")
    return tasks
