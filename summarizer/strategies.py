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

from pydantic import BaseModel

from summarizer.article import Article, Passage
from summarizer.calls import CallRequest
from summarizer.drafts import (
    ClaimDraft,
    ClaimsDraft,
    CombinedClaimsDraft,
    CombinedDraft,
    EventDraft,
    EventsDraft,
    ReduceDraft,
    StanceDraft,
    StancesDraft,
    SummaryDraft,
    claims_model,
    for_passage,
)
from summarizer.prompts import Prompts, Task
from summarizer.settings import Strategy


@dataclass
class ChunkDrafts:
    passage: Passage  # what the model saw; its citations are numbered within it
    summary: SummaryDraft
    events: list[EventDraft] = field(default_factory=list)
    stances: list[StanceDraft] = field(default_factory=list)
    claims: list[ClaimDraft] = field(default_factory=list)


@dataclass
class Drafts:
    chunks: list[ChunkDrafts]
    reduced: ReduceDraft | None


Wave = list[CallRequest]
Plan = Generator[Wave, list[BaseModel], Drafts]


def plan(
    article: Article,
    claims: Sequence[str],
    *,
    strategy: Strategy,
    prompts: Prompts,
    chunks: list[list[int]],
) -> Plan:
    wave: Wave = []
    passages: list[Passage] = []
    for numbers in chunks:
        passage = article.passage(numbers)
        passages.append(passage)

        def request(task: Task, model: type[BaseModel], passage: Passage = passage) -> CallRequest:
            messages = prompts.messages(task, passage, claims=list(claims))
            sized = for_passage(model, len(passage))
            return CallRequest(task, messages, sized)

        if strategy == "combined":
            wave.append(
                request(
                    "combined",
                    claims_model(CombinedClaimsDraft, len(claims)) if claims else CombinedDraft,
                )
            )
            continue
        wave += [
            request("summary", SummaryDraft),
            request("events", EventsDraft),
            request("stances", StancesDraft),
        ]
        if claims:
            wave.append(request("claims", claims_model(ClaimsDraft, len(claims))))

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
        summary, events, stances = next(answers), next(answers), next(answers)
        assert isinstance(summary, SummaryDraft)
        assert isinstance(events, EventsDraft) and isinstance(stances, StancesDraft)
        chunk = ChunkDrafts(passage, summary, events.events, stances.stances)
        if claims:
            answer = next(answers)
            assert isinstance(answer, ClaimsDraft)
            chunk.claims = answer.claims
        results.append(chunk)

    reduced = None
    if len(results) > 1:
        # The only dependency: one summary from the chunks' summaries.
        parts = [c.summary.summary for c in results]
        messages = prompts.messages("reduce", article.passage([]), parts=parts)
        (answer,) = yield [CallRequest("reduce", messages, ReduceDraft)]
        assert isinstance(answer, ReduceDraft)
        reduced = answer
    return Drafts(results, reduced)


def tasks_used(strategy: Strategy, has_claims: bool, chunked: bool) -> list[Task]:
    tasks: list[Task] = ["combined"] if strategy == "combined" else ["summary", "events", "stances"]
    if has_claims and strategy != "combined":
        tasks.append("claims")
    if chunked:
        tasks.append("reduce")
    return tasks
