"""What the judge is asked, and how its answer becomes a grade (see
:mod:`summarizer.evaluation.judge`).

The prompt is ``prompts/judge/<criterion>.j2``: the criterion and the steps to evaluate
it, then the article as the pipeline shows it (numbered sentences, each as data) and the
summary as data, on one line. The grade is the probability-weighted mean over the
scores 1-5 where the probabilities are known, else the digit the model wrote.

The judge's templates sit in a folder of their own: they are not the pipeline's, so a
prompt variant folder (``--prompts``), the echo guard and the pipeline's prompt versions
never see them.
"""

from __future__ import annotations

import hashlib
import math
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

import jinja2

from summarizer.article import Article
from summarizer.errors import ModelError
from summarizer.prompt_text import as_data
from summarizer.resources import data_dir
from summarizer.settings import Settings

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion

    from summarizer.backends import Backend
    from summarizer.calls import CallLog

Criterion = Literal["faithfulness", "relevance"]
CRITERIA: tuple[Criterion, ...] = get_args(Criterion)
# The answers, each scored as the whole answer by the embedded model.
SCORES = ("1", "2", "3", "4", "5")
# An endpoint's answer is one digit; a few tokens leave room for a leading space.
MAX_TOKENS = 4
TOP_LOGPROBS = 5
Message = dict[str, str]

_DIGIT = re.compile(r"[1-5]")


def judge_messages(article_text: str, summary_text: str, criterion: Criterion) -> list[Message]:
    text = _template(criterion).render(
        numbered=_numbered(article_text), summary=as_data(summary_text)
    )
    return [{"role": "user", "content": text.strip()}]


@cache
def template_version(criterion: Criterion) -> str:
    """The content hash of the criterion's template, as prompt versions are."""
    text = (_folder() / f"{criterion}.j2").read_text("utf-8")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def weighted(probabilities: dict[int, float]) -> float:
    """The probability-weighted mean of the scores (the probabilities need not sum to 1)."""
    total = sum(probabilities.values())
    if not total > 0:
        raise ModelError("the judge gave no probability to any score")
    return sum(score * p for score, p in probabilities.items()) / total


def option_score(logprobs: list[float]) -> float:
    """The embedded model's grade from its log-probability of each of :data:`SCORES`."""
    top = max(logprobs)
    return weighted({i: math.exp(lp - top) for i, lp in enumerate(logprobs, 1)})


def score_of(completion: ChatCompletion) -> float:
    """An endpoint's grade: the weighted mean over the answer's score token and its top
    alternatives when the completion has their log-probabilities, else the digit."""
    choice = completion.choices[0]
    content = choice.message.content or ""
    digit = _DIGIT.search(content)
    if digit is None:
        raise ModelError(
            f"the judge answered {content[:80]!r}, not a score from 1 to 5", last_output=content
        )
    tokens = choice.logprobs.content if choice.logprobs and choice.logprobs.content else []
    for token in tokens:
        if token.token.strip() in SCORES:
            # The digit's token and its alternatives, each text once; " 4" and "4" are
            # one score.
            alternatives = {t.token: t.logprob for t in token.top_logprobs or []}
            alternatives.setdefault(token.token, token.logprob)
            found: dict[int, float] = {}
            for text, logprob in alternatives.items():
                if (value := text.strip()) in SCORES:
                    found[int(value)] = found.get(int(value), 0.0) + math.exp(logprob)
            return weighted(found)
    return float(digit.group(0))


def ask(backend: Backend, settings: Settings, messages: list[Message], log: CallLog) -> float:
    """One chat completion for the digit at temperature 0, with the top log-probabilities
    when the settings ask for them; retried like any call on a transient failure."""
    from tenacity import Retrying

    from summarizer.backends.base import TransientEndpointError
    from summarizer.calls import transport_policy

    request: dict[str, Any] = {
        "messages": messages,
        "max_tokens": MAX_TOKENS,
        "temperature": 0.0,
        "seed": settings.seed,
    }
    if settings.logprobs:
        request.update(logprobs=True, top_logprobs=TOP_LOGPROBS)
    try:
        for attempt in Retrying(**transport_policy(settings)):
            with attempt:
                log.attempts += 1
                completion = backend.complete(request)
                log.record(completion)
                if not completion.choices:
                    raise TransientEndpointError("the endpoint answered with no choices")
        return score_of(completion)
    except ModelError as exc:
        exc.usage, exc.attempts = log.usage, log.attempts
        raise


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_folder()),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )


def _template(criterion: Criterion) -> jinja2.Template:
    return _environment().get_template(f"{criterion}.j2")


def _folder() -> Path:
    return data_dir("prompts") / "judge"


@lru_cache(maxsize=64)
def _numbered(article_text: str) -> str:
    """The article as the pipeline shows it. Cached: one article's summaries are graded
    one after another."""
    return Article.from_text(article_text).passage().numbered()
