"""Model-graded scorers: a judge model rates a summary's faithfulness and relevance, 1-5.

G-Eval-style form filling (Liu et al. 2023): the prompt gives the criterion and the
steps to evaluate it (``prompts/judge/<criterion>.j2``), the answer is one score from 1
to 5, and the grade is the probability-weighted mean over the five scores where the
probabilities are available (:mod:`summarizer.evaluation.judge_answers`):

- the embedded model generates nothing: its log-probability of each of "1".."5" as the
  whole answer (:mod:`summarizer.scoring`) gives the weights;
- an endpoint answers with one digit; asked for log-probabilities (``logprobs``), the
  top alternatives of that digit's token give the weights, else the digit is the grade.

Each grade is cached like a call, with what it cost, so a warm re-run makes no call (and
loads no model) and still reports what its grades cost.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from summarizer.cache import ResponseCache, cache_key, call_parts
from summarizer.errors import ModelError
from summarizer.evaluation.judge_answers import (
    CRITERIA,
    SCORES,
    Criterion,
    Message,
    ask,
    judge_messages,
    option_score,
    template_version,
)
from summarizer.schema import Usage
from summarizer.settings import Settings, load_settings

if TYPE_CHECKING:
    from summarizer.backends import Backend
    from summarizer.scoring import ScoreFn

__all__ = ["CRITERIA", "WORST", "Criterion", "Graded", "Judge", "JudgeCost", "judge_settings"]

# What a judged system's failed item is graded: the worst score.
WORST = 1.0
EMBEDDED = "embedded"


@dataclass(frozen=True)
class Graded:
    """One summary's grade on one criterion, in [1, 5], and what it cost when it was
    made (a cached grade reports the cost of the call that made it)."""

    score: float
    usage: Usage
    cached: bool
    requests: int = 1
    seconds: float = 0.0


@dataclass
class JudgeCost:
    """What a judge's grades cost: ``calls`` and ``cache_hits`` are this run's; the
    requests, tokens and seconds are what the grades cost when they were made."""

    grades: int = 0
    calls: int = 0
    cache_hits: int = 0
    requests: int = 0
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0
    failures: int = 0
    last_error: str | None = None

    def add(self, graded: Graded) -> None:
        self.grades += 1
        self.cache_hits += graded.cached
        self.calls += 0 if graded.cached else graded.requests
        self.requests += graded.requests
        self.usage = self.usage + graded.usage
        self.seconds += graded.seconds

    def failed(self, exc: ModelError) -> None:
        """A grade the judge could not give: its requests and tokens still count."""
        self.failures += 1
        self.calls += exc.attempts
        self.requests += exc.attempts
        self.usage = self.usage + (exc.usage or Usage())
        self.last_error = str(exc)

    def as_dict(self) -> dict[str, Any]:
        return {
            "grades": self.grades,
            "calls": self.calls,
            "cache_hits": self.cache_hits,
            "failures": self.failures,
            "last_error": self.last_error,
            "requests": self.requests,
            "tokens": self.usage.total_tokens,
            "evaluated_prompt_tokens": self.usage.evaluated_prompt_tokens,
            "generated_tokens": self.usage.completion_tokens,
            "seconds": round(self.seconds, 3),
        }

    def line(self) -> str:
        failed = f", {self.failures} failed ({self.last_error})" if self.failures else ""
        return (
            f"{self.grades} grades{failed}: {self.calls} calls made, {self.cache_hits} "
            f"cache hits; the grades cost {self.requests} requests, "
            f"{self.usage.total_tokens:,} tokens ({self.usage.evaluated_prompt_tokens:,} "
            f"prompt tokens evaluated, {self.usage.completion_tokens:,} generated), "
            f"{self.seconds:.1f} s of model time"
        )


class Judge:
    """Grades summaries with the model ``settings`` name (the embedded one or an
    endpoint's); the backend is made at the first grade the cache lacks."""

    def __init__(self, settings: Settings, cache: ResponseCache | None = None) -> None:
        self.settings = settings
        self.cache = cache
        self.cost = JudgeCost()
        self._backend: Backend | None = None
        self._score_fn: ScoreFn | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.settings.model_name

    def config(self) -> dict[str, Any]:
        """Who graded, as a run records it (no credentials)."""
        return {
            "model": self.name,
            "backend": self.settings.backend,
            "base_url": self.settings.public_base_url,
            "logprobs": self.settings.logprobs,
            "templates": {c: template_version(c) for c in CRITERIA},
        }

    def messages(self, article_text: str, summary_text: str, criterion: Criterion) -> list[Message]:
        return judge_messages(article_text, summary_text, criterion)

    def key(self, article_text: str, summary_text: str, criterion: Criterion) -> str:
        """The grade's cache key: the judge's call settings (code hash included), the
        criterion's template version, the article, the summary and the criterion."""
        return cache_key(
            {
                "kind": "judge",
                **call_parts(self.settings),
                "criterion": criterion,
                "template": template_version(criterion),
                "article": hashlib.sha256(article_text.encode("utf-8")).hexdigest(),
                "summary": summary_text,
            }
        )

    def score(self, article_text: str, summary_text: str, criterion: Criterion) -> Graded:
        """The summary's grade, from the cache when a run before asked the same."""
        key = self.key(article_text, summary_text, criterion)
        hit = self.cache.get(key) if self.cache else None
        if isinstance(hit, dict) and "judge_score" in hit:
            graded = Graded(
                score=float(hit["judge_score"]),
                usage=Usage.model_validate(hit["usage"]),
                cached=True,
                requests=int(hit["requests"]),
                seconds=float(hit["seconds"]),
            )
        else:
            try:
                graded = self._grade(
                    self.messages(article_text, summary_text, criterion), criterion
                )
            except ModelError as exc:
                with self._lock:
                    self.cost.failed(exc)
                raise
            if self.cache:
                self.cache.put(
                    key,
                    {
                        "judge_score": graded.score,
                        "usage": graded.usage.model_dump(mode="json"),
                        "requests": graded.requests,
                        "seconds": graded.seconds,
                    },
                )
        with self._lock:
            self.cost.add(graded)
        return graded

    def grades(self, article_text: str, summary_text: str) -> dict[str, float | None]:
        """``judge_<criterion>`` for every criterion; None where the judge failed (the
        failure is counted in the cost, and a run goes on)."""
        out: dict[str, float | None] = {}
        for criterion in CRITERIA:
            try:
                out[f"judge_{criterion}"] = self.score(article_text, summary_text, criterion).score
            except ModelError:
                out[f"judge_{criterion}"] = None
        return out

    def _grade(self, messages: list[Message], criterion: Criterion) -> Graded:
        from summarizer.calls import CallLog
        from summarizer.scoring import ScoreRequest

        backend, score_fn = self._model()
        log = CallLog()
        started = time.monotonic()
        if score_fn is not None:  # the embedded model: scores, nothing generated
            score = option_score(
                score_fn(ScoreRequest(f"judge_{criterion}", messages, SCORES), log)
            )
        else:
            score = ask(backend, self.settings, messages, log)
        seconds = round(time.monotonic() - started, 3)
        return Graded(score, log.usage, cached=False, requests=log.attempts, seconds=seconds)

    def _model(self) -> tuple[Backend, ScoreFn | None]:
        with self._lock:
            if self._backend is None:
                from summarizer.backends import make_backend
                from summarizer.scoring import scorer_of

                self._backend = make_backend(self.settings)
                self._score_fn = scorer_of(self._backend)
            return self._backend, self._score_fn

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()
            self._backend = None


def judge_settings(
    spec: str, base_url: str | None = None, logprobs: bool | None = None
) -> Settings:
    """The judge's settings: ``embedded`` (the in-process model, whatever endpoint the
    environment names) or a model name, served at ``base_url`` or the environment's
    endpoint (or OpenAI's, with an API key)."""
    if spec.strip().lower() == EMBEDDED:
        settings = load_settings(model=EMBEDDED, logprobs=logprobs)
        return settings.model_copy(update={"base_url": None})
    return load_settings(model=spec.strip(), base_url=base_url, logprobs=logprobs)
