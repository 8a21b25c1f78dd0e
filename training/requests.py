"""The requests the pipeline makes, built by the pipeline itself.

The pipeline is run on the embedded model's settings with events from the model
(``extractor=model``) up to its first wave of calls: the same reading (language), the
same chunks of a long article (``context_tokens``), the same templates and the same
sized response models. Nothing is re-typed here. The claim label request is
:func:`summarizer.claim_labels.score_requests`' first: the claim and the three
sentences most like it.

The backend under the pipeline only counts tokens, with llama.cpp's own tokenizer for
the shipped GGUF (``vocab_only``: no weights are loaded); it never answers.
"""

from __future__ import annotations

import statistics
import warnings
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from openai.types.chat import ChatCompletion

from summarizer import claim_labels
from summarizer.article import Article, Passage
from summarizer.backends.embedded import _formatter, embedded_model_path
from summarizer.backends.modes import choose_mode
from summarizer.calls import CallRequest
from summarizer.errors import ExtractiveWarning, ModelError
from summarizer.outputs.headline import asks_headline
from summarizer.pipeline import Pipeline
from summarizer.prompts import Message, load_prompts
from summarizer.settings import EMBEDDED_MODEL, BackendName, Settings
from summarizer.strategies import headline_request

if TYPE_CHECKING:
    from llama_cpp import Llama

# The embedded model's end-of-turn token, appended to every answer in training.
END_OF_TURN = "<|im_end|>"


class Tokenizer:
    """A backend that counts tokens as the embedded backend does, and never answers."""

    name: BackendName = "embedded"
    model = EMBEDDED_MODEL
    parallel = False

    def __init__(self, settings: Settings) -> None:
        self.mode = choose_mode(settings.mode)
        self.context_tokens = settings.context_tokens

    @cached_property
    def llama(self) -> Llama:
        from llama_cpp import Llama

        return Llama(model_path=str(embedded_model_path()), vocab_only=True, verbose=False)

    def count_tokens(self, text: str) -> int:
        return len(self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def chat_tokens(self, messages: list[Message], answer: str) -> tuple[int, int]:
        """Tokens of the prompt as the chat template renders it (generation prompt
        included) and of the answer with its end-of-turn token, as training sees them."""
        formatted = _formatter(self.llama)(messages=messages)  # type: ignore[arg-type]
        prompt = self.llama.tokenize(
            formatted.prompt.encode("utf-8"), add_bos=not formatted.added_special, special=True
        )
        answered = self.llama.tokenize(
            (answer + END_OF_TURN).encode("utf-8"), add_bos=False, special=True
        )
        return len(prompt), len(answered)

    def complete(self, request: dict[str, Any]) -> ChatCompletion:
        raise ModelError("the training data's backend only counts tokens")

    async def acomplete(self, request: dict[str, Any]) -> ChatCompletion:
        return self.complete(request)

    def close(self) -> None:
        """Nothing to release."""

    async def aclose(self) -> None:
        """Nothing to release."""


@dataclass(frozen=True)
class EventsRequest:
    passage: Passage  # the sentences the model is shown, numbered from 1
    request: CallRequest


class Requests:
    """The pipeline's ``events``, ``claim_label`` and ``headline`` requests for an article."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or pipeline_settings()
        self.tokenizer = Tokenizer(self.settings)
        self.pipeline = Pipeline(self.settings, self.tokenizer, load_prompts(self.settings.prompts))

    def events(self, article: Article) -> list[EventsRequest]:
        """One request per chunk of ``article``; none where the pipeline asks the model
        for no events (an article not in English: the embedded model writes English only)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExtractiveWarning)
            reading = self.pipeline.reading(article)
        if reading.extractive:
            return []
        chunks = self.pipeline.chunks(reading, article, [])
        steps = self.pipeline.plan(reading, article, [], chunks)
        wave = next(steps)
        asked = [r for r in wave if r.task == "events"]
        passages = [article.passage(numbers) for numbers in chunks]
        return [EventsRequest(p, r) for p, r in zip(passages, asked, strict=True)]

    def headline(self, article: Article) -> list[Message] | None:
        """The tuned headline's request, as ``headline=tuned`` asks it of an untitled
        article; None where the pipeline would not ask (not English: the model writes
        English only)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExtractiveWarning)
            reading = self.pipeline.reading(article)
        if reading.extractive or not asks_headline(article):
            return None
        request = headline_request(article, reading.prompts, self.settings.examples, tuned=True)
        return request.messages

    def claim_label(self, article: Article, claim: str) -> list[Message]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExtractiveWarning)
            prompts = self.pipeline.reading(article).prompts
        request, _calibration = claim_labels.score_requests(prompts, article, claim)
        return request.messages


def pipeline_settings() -> Settings:
    """The embedded model's settings, with events asked of the model and claim labels
    left to the code that builds their requests (no label scores are read here)."""
    return Settings(base_url=None, model=None, extractor="model", claim_labels="rule")


def spread(values: list[int]) -> dict[str, float]:
    """Median, 95th percentile and maximum of token counts (nearest rank)."""
    if not values:
        return {}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, -(-95 * len(ordered) // 100) - 1))]
    return {"median": statistics.median(ordered), "p95": p95, "max": ordered[-1]}
