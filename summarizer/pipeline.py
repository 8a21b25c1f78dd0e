"""One article through the whole line: chunk, call, ground, merge, assemble."""

from __future__ import annotations

import asyncio
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from summarizer import claim_labels, grounding
from summarizer.article import Article
from summarizer.backends import Backend
from summarizer.calls import REASK_TOKENS, CallLog, CallRequest, StructuredCaller
from summarizer.chunking import plan_chunks
from summarizer.drafts import KeyPointDraft, SummaryDraft
from summarizer.echo import EchoGuard
from summarizer.errors import ConfigError, ExtractiveWarning
from summarizer.language import ENGLISH, language_name
from summarizer.morphology import missing_extra
from summarizer.outputs import Job, Sources, sources_for
from summarizer.outputs.claims import claim_stances
from summarizer.outputs.events import events as events_of
from summarizer.outputs.stances import stances as stances_of
from summarizer.outputs.summary import EXTRACTIVE_SENTENCES
from summarizer.outputs.summary import summary as summary_of
from summarizer.prompts import Prompts, load_prompts
from summarizer.relatedness import Relatedness
from summarizer.schema import Analysis, ArticleInfo, ClaimStance, Metadata
from summarizer.scoring import ScoreFn, scorer_of
from summarizer.settings import Settings
from summarizer.strategies import (
    CLAIMS_PER_CALL,
    VERIFY_TOKENS,
    ChunkDrafts,
    Drafts,
    Plan,
    plan,
    tasks_used,
)


@dataclass(frozen=True)
class Reading:
    """How one article is analysed: the settings and prompts for its language, and the
    source of each output that those settings choose."""

    settings: Settings
    prompts: Prompts
    output_language: str
    extractive: bool
    sources: Sources


MIN_ARTICLE_TOKENS = 128
# The recheck's feedback: a line per field and at most RECHECK_NAMES short names.
RECHECK_TOKENS = 160


class Pipeline:
    def __init__(self, settings: Settings, backend: Backend, prompts: Prompts | None = None):
        self.settings = settings
        self.backend = backend
        self.prompts = prompts or load_prompts(settings.prompts)
        self.caller = StructuredCaller(backend, settings)
        self.score = scorer_of(backend)
        # Chosen (and checked) once for the settings as given; an article's reading only
        # ever moves an output to a source that needs less.
        self.sources = sources_for(settings, can_score=self.score is not None)

    def run(self, article: Article, claims: Sequence[str] = ()) -> Analysis:
        return self.run_with(
            article, claims, lambda wave, log: [self.caller.call(r, log) for r in wave]
        )

    def run_with(
        self,
        article: Article,
        claims: Sequence[str],
        answer: Callable[[list[CallRequest], CallLog], list[BaseModel]],
        score: ScoreFn | None = None,
    ) -> Analysis:
        """Drive the plan with ``answer`` giving each wave's drafts (a batch-API import
        answers from a results file) and ``score`` each label's scores (an eval run
        caches them)."""
        started = time.perf_counter()
        log = CallLog()
        reading = self.reading(article)
        gates, asked, steps = self._start(reading, article, claims)
        try:
            wave = next(steps)
            while True:
                wave = steps.send(answer(wave, log))
        except StopIteration as done:
            drafts: Drafts = done.value
        job = self._job(reading, article)
        labels = claim_stances(
            job, reading.sources.claims, claims, gates, drafts, score or self.score, log
        )
        return self._assemble(reading, job, asked, drafts, labels, log, started)

    async def arun(self, article: Article, claims: Sequence[str] = ()) -> Analysis:
        started = time.perf_counter()
        log = CallLog()
        reading = self.reading(article)
        gates, asked, steps = self._start(reading, article, claims)
        try:
            wave = next(steps)
            while True:
                wave = steps.send(await self._wave(wave, log))
        except StopIteration as done:
            drafts: Drafts = done.value
        job = self._job(reading, article)
        labels = await asyncio.to_thread(
            claim_stances, job, reading.sources.claims, claims, gates, drafts, self.score, log
        )
        return self._assemble(reading, job, asked, drafts, labels, log, started)

    def reading(self, article: Article) -> Reading:
        """How ``article`` is analysed: in which language, with which settings.

        The embedded model writes English only (on other languages it wrote English
        headlines about "the article" and garbled names), so for any other article or
        output language every field it would write comes from the article: the headline
        is the title or first sentence, summary and key points are the first three
        sentences (Lead-3), events and stances come from the rule, claims from the gate
        and the rule. No call is made: on the tuning half of the fixtures in other
        languages, the summary of the sentences its key points cite lost to Lead-3 on
        every measure (docs/languages.md).
        """
        output = self.settings.output_language or article.language
        if self.settings.backend != "embedded":
            # English prompts for English articles stay as they were measured.
            english = output == ENGLISH and article.language == ENGLISH
            told = None if english else language_name(output)
            speaking = self.prompts.speaking(told)
            return Reading(self.settings, speaking, output, False, self.sources)
        if article.language == ENGLISH and output == ENGLISH:
            return Reading(self.settings, self.prompts, output, False, self.sources)
        changes: dict[str, object] = {
            "headline_guard": False,
            "headline": "rule",
            "extractor": "rule",
            "summary": "lead",
        }
        if self.settings.claim_labelling == "generated":
            changes["claim_labels"] = "rule"
        warnings.warn(EXTRACTIVE_NOTE, ExtractiveWarning, stacklevel=2)
        settings = self.settings.model_copy(update=changes)
        sources = sources_for(settings, can_score=self.score is not None)
        return Reading(settings, self.prompts, output, True, sources)

    def _job(self, reading: Reading, article: Article) -> Job:
        """What the outputs' sources read; the echo guard knows the shipped prompts'
        instructions, whatever language the reading's prompts speak."""
        echo = EchoGuard(self.prompts.instructions, article.text)
        return Job(article, reading.settings, reading.prompts, reading.extractive, echo)

    def _start(
        self, reading: Reading, article: Article, claims: Sequence[str]
    ) -> tuple[list[Relatedness], list[str], Plan]:
        """The claims' gate, the claims the model writes labels for (the related ones, if
        it writes any) and the plan of calls."""
        gates = claim_labels.gate(article, claims)
        asked = reading.sources.claims.asked(claims, gates)
        if reading.extractive:
            return gates, asked, _lead_plan(article)
        chunks = self.chunks(reading, article, asked)
        return gates, asked, self.plan(reading, article, asked, chunks)

    async def _wave(self, wave: list[CallRequest], log: CallLog) -> list[BaseModel]:
        """A wave's requests: in parallel on an endpoint; in order in-process, where the
        order is what lets llama.cpp reuse the article's KV cache."""
        if not self.backend.parallel or len(wave) == 1:
            return [await self.caller.acall(request, log) for request in wave]
        # A TaskGroup cancels the wave's other requests as soon as one fails for good.
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(self.caller.acall(r, log)) for r in wave]
        except ExceptionGroup as failed:
            raise failed.exceptions[0] from None
        return [task.result() for task in tasks]

    def plan(
        self, reading: Reading, article: Article, claims: Sequence[str], chunks: list[list[int]]
    ) -> Plan:
        """The calls for ``article`` in ``chunks``, each output's sources asking theirs."""
        return plan(
            article,
            claims,
            settings=reading.settings,
            prompts=reading.prompts,
            chunks=chunks,
            extraction=reading.sources.extraction_tasks,
            tuned=reading.sources.tuned_tasks,
            headline=reading.sources.headline_call(article),
        )

    def chunks(self, reading: Reading, article: Article, claims: Sequence[str]) -> list[list[int]]:
        """The passages ``article`` is shown in, as sentence numbers: the whole article if
        it fits; otherwise runs of sentences that each fit (training builds its requests
        with the same plan)."""
        settings = reading.settings
        sources = reading.sources
        tasks = tasks_used(
            settings,
            bool(claims),
            False,
            sources.extraction_tasks,
            sources.headline_call(article),
        )
        empty = article.passage([])
        # The claims of the largest call: all of them in a combined call, else the first
        # group (see claim_groups).
        combined = settings.strategy == "combined"
        shown = list(claims) if combined else list(claims[:CLAIMS_PER_CALL])
        overhead = max(
            sum(
                self.backend.count_tokens(m["content"]) + 8
                for m in reading.prompts.messages(
                    task, empty, claims=shown, examples=settings.examples
                )
            )
            for task in tasks
            if task not in ("recheck", "verify")
        )
        # A re-ask adds the validation errors to the prompt; a recheck, the names it lists.
        reask = REASK_TOKENS if settings.reasks else 0
        if "recheck" in tasks:
            reask += RECHECK_TOKENS
        if "verify" in tasks:  # its prompt is the article's with the items listed after it
            reask += VERIFY_TOKENS
        budget = self.backend.context_tokens - settings.max_output_tokens - overhead - reask
        if budget < MIN_ARTICLE_TOKENS:
            raise ConfigError(
                f"context_tokens={self.backend.context_tokens} leaves no room for the article "
                f"after max_output_tokens={settings.max_output_tokens}, room for a re-ask "
                f"and the {overhead}-token prompt; raise context_tokens or lower "
                "max_output_tokens"
            )
        return plan_chunks(article, budget_tokens=budget, count_tokens=self.backend.count_tokens)

    def _assemble(
        self,
        reading: Reading,
        job: Job,
        asked: Sequence[str],
        drafts: Drafts,
        labels: list[ClaimStance],
        log: CallLog,
        started: float,
    ) -> Analysis:
        """Each output from its source, and what the analysis cost and warns of."""
        article, chunks, settings, echo = job.article, drafts.chunks, reading.settings, job.echo
        sources = reading.sources
        summary = summary_of(job, sources.summary, sources.headline, drafts)
        events = events_of(job, sources.events, drafts)
        stances = stances_of(job, sources.stances, drafts)
        attributions = sources.attributions.found(job)

        warnings = grounding.unsupported_warnings(article, summary, events, stances)
        if unverified := sum(c.unverified for c in chunks):
            warnings.append(
                f"dropped {unverified} event(s) or stance(s) that the model, asked again, "
                "said their cited sentence does not state"
            )
        if echo.removed:
            warnings.append(
                f"removed {echo.removed} piece(s) of text that repeated the prompt's instructions"
            )
        if missing := missing_extra(article.language):
            warnings.append(f"no names or rule events in this article: {missing}")
        tasks = (
            []
            if reading.extractive
            else tasks_used(
                settings,
                bool(asked),
                len(chunks) > 1,
                sources.extraction_tasks,
                sources.headline_call(article),
            )
        )
        if any(c.source == "scores" for c in labels):
            tasks.append("claim_label")
        metadata = Metadata(
            backend=self.backend.name,
            model=self.backend.model,
            mode=self.backend.mode.value,
            strategy=settings.strategy,
            prompt_versions={t: self.prompts.versions[t] for t in tasks},
            usage=log.usage,
            calls=log.calls,
            attempts=log.attempts,
            chunks=len(chunks),
            language=article.language,
            output_language=reading.output_language,
            extractive=reading.extractive,
            latency_s=round(time.perf_counter() - started, 3),
            warnings=list(dict.fromkeys(warnings)),
        )
        return Analysis(
            article=ArticleInfo(
                title=article.title,
                published=article.published,
                text=article.text,
                sentences=len(article.sentences),
            ),
            summary=summary,
            events=events,
            stances=stances,
            claims=labels,
            attributions=attributions,
            metadata=metadata,
        )


def _lead_plan(article: Article) -> Plan:
    """A plan of no calls whose drafts cite the first EXTRACTIVE_SENTENCES sentences as
    the key points: Lead-3, for a model that cannot write the language asked."""
    cited = range(1, min(EXTRACTIVE_SENTENCES, len(article.sentences)) + 1)
    # Built, not validated: the drafts' limits bound what a model writes, and these
    # are the article's own sentences, however long.
    points = [KeyPointDraft.model_construct(sentences=[n], point="") for n in cited]
    summary = SummaryDraft.model_construct(key_points=points, headline="", summary="")
    return Drafts([ChunkDrafts(article.passage(), summary)], reduced=None)
    yield []  # a generator that asks for nothing


# One message whatever the languages, so that Python shows it once per process however
# many articles of however many languages a batch holds.
EXTRACTIVE_NOTE = (
    "the embedded model writes English only: on an article in another language, or for "
    "another output_language, the headline, summary and key points are the article's own "
    "sentences and events and stances come from the rule (metadata.extractive is true); "
    "set base_url and model to a stronger model to have them written in the language asked"
)
