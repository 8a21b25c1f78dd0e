"""Labels by score: the model's log-probability for each option, calibrated.

A 135M model that must *write* a label in JSON mostly writes the same one; the same
model's next-token probabilities still rank the options, once its prior for each option
is divided out ("Calibrate Before Use", Zhao et al. 2021: the options' probabilities
for a content-free input, here the same prompt with the item replaced by "N/A").
One prompt pass per item, no generated tokens.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from summarizer.calls import CallLog
from summarizer.schema import Usage

Message = dict[str, str]
# What replaces the item in the calibration prompt.
CONTENT_FREE = "N/A"


@dataclass(frozen=True)
class ScoreRequest:
    """Score each of ``options`` as the whole answer to ``messages``."""

    task: str
    messages: list[Message]
    options: tuple[str, ...]
    # Scored by the embedded model with its LoRA adapter (a ``tuned`` source).
    tuned: bool = False


@dataclass(frozen=True)
class Scored:
    logprobs: list[float]
    usage: Usage


@runtime_checkable
class OptionScorer(Protocol):
    """A backend that can score options (the embedded model)."""

    def option_logprobs(
        self, messages: list[Message], options: Sequence[str], *, tuned: bool = False
    ) -> Scored: ...


# How a pipeline gets a request's scores; an eval run passes one that caches them.
ScoreFn = Callable[[ScoreRequest, CallLog], list[float]]


def scorer_of(backend: object) -> ScoreFn | None:
    """Scores straight from ``backend``, each request's tokens added to the log."""
    if not isinstance(backend, OptionScorer):
        return None

    def score(request: ScoreRequest, log: CallLog) -> list[float]:
        scored = backend.option_logprobs(request.messages, request.options, tuned=request.tuned)
        log.usage = log.usage + scored.usage
        log.attempts += 1
        return scored.logprobs

    return score


def normalised(logprobs: Sequence[float]) -> list[float]:
    """Probabilities of the options, renormalised over them alone."""
    return calibrated(logprobs, [0.0] * len(logprobs))


def calibrated(logprobs: Sequence[float], prior: Sequence[float]) -> list[float]:
    """Probabilities of the options with the content-free prior divided out."""
    shifted = [lp - p for lp, p in zip(logprobs, prior, strict=True)]
    top = max(shifted)
    weights = [math.exp(s - top) for s in shifted]
    total = sum(weights)
    return [w / total for w in weights]
