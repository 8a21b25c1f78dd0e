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
from summarizer.prompts import Prompts, load_prompts
from summarizer.relatedness import Relatedness
from summarizer.rules import rule_items
from summarizer.schema import (
    Analysis,
    ArticleInfo,
    ClaimStance,
    KeyPoint,
    Metadata,
    Span,
    Summary,
)
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

MAX_KEY_POINTS = 8


@dataclass(frozen=True)
class Reading:
    """How one article is analysed: the settings and prompts for its language."""

    settings: Settings
    prompts: Prompts
    output_language: str
    extractive: bool


# Lead-3's length: the summaries of news datasets are about three sentences long.
EXTRACTIVE_SENTENCES = 3
MIN_ARTICLE_TOKENS = 128
# The recheck's feedback: a line per field and at most RECHECK_NAMES short names.
RECHECK_TOKENS = 160
# When chunks disagree about a claim, the most decisive label wins.
_LABEL_RANK = {"disagree": 3, "agree": 2, "discuss": 1, "unrelated": 0}


class Pipeline:
    def __init__(self, settings: Settings, backend: Backend, prompts: Prompts | None = None):
        self.settings = settings
        self.backend = backend
        self.prompts = prompts or load_prompts(settings.prompts)
        self.caller = StructuredCaller(backend, settings)
        self.score = scorer_of(backend)
        if settings.claim_labelling == "scores" and self.score is None:
            raise ConfigError(
                "claim_labels=scores needs a model whose label probabilities can be read "
                "(the embedded model); use generated or rule with an endpoint"
            )

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
        stances = self._claim_stances(
            reading, article, claims, gates, asked, drafts, score or self.score, log
        )
        return self._assemble(reading, article, asked, drafts, stances, log, started)

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
        stances = await asyncio.to_thread(
            self._claim_stances, reading, article, claims, gates, asked, drafts, self.score, log
        )
        return self._assemble(reading, article, asked, drafts, stances, log, started)

    def reading(self, article: Article) -> Reading:
        """How ``article`` is analysed: in which language, with which settings.

        The embedded model writes English only (on other languages it wrote English
        headlines about "the article" and garbled names), so for any other article or
        output language every field it would write comes from the article: the headline
        is the title or first sentence, summary and key points are the first three
        sentences (Lead-3), events and stances come from the rule, claims from the gate
        and the rule. No call is made: on the tuning half of the fixtures in other
        languages, the summary of the sentences its key points cite lost to Lead-3 on
        every measure (ROUGE-1/2/L 0.468/0.334/0.382 against 0.529/0.387/0.413, key
        facts 0.250 against 0.458; docs/languages.md).
        """
        output = self.settings.output_language or article.language
        if self.settings.backend != "embedded":
            # English prompts for English articles stay as they were measured.
            english = output == ENGLISH and article.language == ENGLISH
            told = None if english else language_name(output)
            return Reading(self.settings, self.prompts.speaking(told), output, extractive=False)
        if article.language == ENGLISH and output == ENGLISH:
            return Reading(self.settings, self.prompts, output, extractive=False)
        changes: dict[str, object] = {
            "headline_guard": False,
            "extractor": "rule",
            "summary": "lead",
        }
        if self.settings.claim_labelling == "generated":
            changes["claim_labels"] = "rule"
        warnings.warn(EXTRACTIVE_NOTE, ExtractiveWarning, stacklevel=2)
        return Reading(self.settings.model_copy(update=changes), self.prompts, output, True)

    def _start(
        self, reading: Reading, article: Article, claims: Sequence[str]
    ) -> tuple[list[Relatedness], list[str], Plan]:
        """The claims' gate, the claims the model writes labels for (the related ones, if
        it writes any) and the plan of calls."""
        gates = claim_labels.gate(article, claims)
        asked = []
        if reading.settings.claim_labelling == "generated":
            asked = [claim for claim, gate in zip(claims, gates, strict=True) if gate.related]
        if reading.extractive:
            return gates, asked, _lead_plan(article)
        chunks = self._chunks(reading, article, asked)
        return gates, asked, self._plan(reading, article, asked, chunks)

    def _claim_stances(
        self,
        reading: Reading,
        article: Article,
        claims: Sequence[str],
        gates: list[Relatedness],
        asked: list[str],
        drafts: Drafts,
        score: ScoreFn | None,
        log: CallLog,
    ) -> list[ClaimStance]:
        """Every claim's stance, in order: unrelated by the gate, else by the model's
        scores, its generated answer (for ``asked``) or the rule."""
        labelling = reading.settings.claim_labelling
        generated = iter(_merge_claims(asked, drafts.chunks))
        stances: list[ClaimStance] = []
        for claim, gate in zip(claims, gates, strict=True):
            if not gate.related:
                stances.append(claim_labels.unrelated(claim, gate))
            elif labelling == "generated":
                stances.append(next(generated))
            elif labelling == "scores" and score is not None:
                request, calibration = claim_labels.score_requests(reading.prompts, article, claim)
                found = claim_labels.by_scores(
                    article, claim, score(request, log), score(calibration, log)
                )
                stances.append(found)
            else:
                stances.append(claim_labels.by_rule(article, claim))
        return stances

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

    def _plan(
        self, reading: Reading, article: Article, claims: Sequence[str], chunks: list[list[int]]
    ) -> Plan:
        return plan(
            article, claims, settings=reading.settings, prompts=reading.prompts, chunks=chunks
        )

    def _chunks(self, reading: Reading, article: Article, claims: Sequence[str]) -> list[list[int]]:
        """Whole article if it fits; otherwise runs of sentences that each fit."""
        settings = reading.settings
        tasks = tasks_used(settings, bool(claims), chunked=False)
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
        article: Article,
        asked: Sequence[str],
        drafts: Drafts,
        claim_stances: list[ClaimStance],
        log: CallLog,
        started: float,
    ) -> Analysis:
        chunks = drafts.chunks
        first = chunks[0].summary
        headline, text = (
            (drafts.reduced.headline, drafts.reduced.summary)
            if drafts.reduced
            else (first.headline, first.summary)
        )
        settings = reading.settings
        echo = EchoGuard(self.prompts.instructions, article.text)
        key_points = grounding.merge_duplicates(
            echo.key_points(
                grounding.key_point(c.passage, k) for c in chunks for k in c.summary.key_points
            ),
            grounding.key_point_key,
        )[:MAX_KEY_POINTS]
        if reading.extractive:
            key_points = [extractive_point(k) for k in key_points]
            headline = extractive_headline(article)
        style = settings.summary_style
        if style == "abstractive":
            text = echo.text(" ".join(text.split()))
        else:
            lead = article.span(1) if style == "lead" and article.sentences else None
            text = extractive_summary(key_points, lead) or echo.text(" ".join(text.split()))
        summary = Summary(
            headline=echo.text(" ".join(headline.split())), text=text, key_points=key_points
        )
        if settings.extraction == "rule":
            events, stances = rule_items(article)
        else:
            events = echo.events(grounding.event(c.passage, e) for c in chunks for e in c.events)
            stances = echo.stances(
                grounding.stance(c.passage, s) for c in chunks for s in c.stances
            )
        if settings.grounded_fields:
            events = [k for e in events if (k := grounding.grounded_event(e)) is not None]
            stances = [t for s in stances if (t := grounding.grounded_stance(s)) is not None]
        events = grounding.merge_duplicates(events, grounding.event_key)
        stances = grounding.merge_duplicates(stances, grounding.stance_key)

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
        tasks = [] if reading.extractive else tasks_used(settings, bool(asked), len(chunks) > 1)
        if any(c.source == "scores" for c in claim_stances):
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
            claims=claim_stances,
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


def extractive_point(point: KeyPoint) -> KeyPoint:
    """``point`` stated in the article's words: its first cited sentence."""
    return point.model_copy(update={"text": " ".join(point.evidence[0].text.split())})


def extractive_headline(article: Article) -> str:
    """The article's own headline: its title, else its first sentence."""
    return article.title or article.sentence_text(1)


# One message whatever the languages, so that Python shows it once per process however
# many articles of however many languages a batch holds.
EXTRACTIVE_NOTE = (
    "the embedded model writes English only: on an article in another language, or for "
    "another output_language, the headline, summary and key points are the article's own "
    "sentences and events and stances come from the rule (metadata.extractive is true); "
    "set base_url and model to a stronger model to have them written in the language asked"
)


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


def _merge_claims(claims: Sequence[str], chunks: list[ChunkDrafts]) -> list[ClaimStance]:
    best: dict[int, ClaimStance] = {}
    for chunk in chunks:
        for index, (claim, draft) in enumerate(zip(claims, chunk.claims, strict=True)):
            found = grounding.claim_stance(chunk.passage, claim, draft)
            held = best.get(index)
            if held is None or _LABEL_RANK[found.label] > _LABEL_RANK[held.label]:
                best[index] = found
    return [best[i] for i in sorted(best)]
