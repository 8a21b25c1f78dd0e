"""Structured calls: instructor for validation re-asks, tenacity for transport retries.

The two kinds of retry are kept apart and each is bounded:

- transport (429 honouring Retry-After, 5xx, timeouts, dropped connections, empty
  choices): the same request again, after a backoff; ``settings.transport_retries``.
- validation (invalid JSON, schema violations, citations of sentences that don't exist):
  instructor sends the error back to the model; ``settings.reasks``.

Every request's usage and raw output is recorded in a :class:`CallLog` as it arrives,
so a failure still reports what it cost and what the model last said. This module is
also the boundary where instructor's exceptions become ours.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

import instructor
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion
from pydantic import BaseModel
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from summarizer import label_logprobs
from summarizer.backends.base import ADAPTER_KEY, Backend, TransientEndpointError
from summarizer.errors import ModelError, OutputError, OutputTruncatedError, SummarizerError
from summarizer.json_repair import escape_control_characters
from summarizer.schema import Usage
from summarizer.settings import Settings

T = TypeVar("T", bound=BaseModel)

# About 400 tokens: what a re-ask may add to the prompt.
MAX_FEEDBACK_CHARS = 1200
REASK_TOKENS = 400


@dataclass
class CallLog:
    """What every model request of one analysis cost and returned."""

    usage: Usage = field(default_factory=Usage)
    attempts: int = 0
    calls: int = 0
    last_output: str | None = None

    def record(self, completion: ChatCompletion) -> None:
        if completion.usage is not None:
            details = completion.usage.prompt_tokens_details
            self.usage = self.usage + Usage(
                prompt_tokens=completion.usage.prompt_tokens,
                completion_tokens=completion.usage.completion_tokens,
                total_tokens=completion.usage.total_tokens,
                cached_prompt_tokens=(details.cached_tokens or 0) if details else 0,
            )
        if completion.choices:
            message = completion.choices[0].message
            calls = message.tool_calls or []
            args = [c.function.arguments for c in calls if c.type == "function"]
            self.last_output = args[0] if args else message.content


@dataclass(frozen=True)
class CallRequest:
    """One structured call: what a strategy asks of the model."""

    task: str
    messages: list[dict[str, str]]
    response_model: type[BaseModel]
    # Answered by the embedded model with its LoRA adapter (a ``tuned`` source's task).
    tuned: bool = False


class StructuredCaller:
    def __init__(self, backend: Backend, settings: Settings) -> None:
        self.backend = backend
        # Set by a batch run: the requests in flight at once, over all its articles.
        self.limiter: asyncio.Semaphore | None = None
        self._settings = settings
        self._sampling: dict[str, Any] = {
            "temperature": settings.temperature,
            "max_tokens": settings.max_output_tokens,
            "seed": settings.seed,
        }
        # The embedded model's labels come from scores; llama-cpp-python computes
        # log-probabilities in-process only with logits for every token.
        if settings.logprobs and backend.name != "embedded":
            self._sampling["logprobs"] = True

    def call(self, request: CallRequest, log: CallLog) -> BaseModel:
        accepted: list[ChatCompletion] = []

        def create(**kwargs: Any) -> ChatCompletion:
            kwargs.update(self._sampling)
            kwargs["messages"] = compact_reask(kwargs["messages"], len(request.messages))
            if request.tuned:
                kwargs[ADAPTER_KEY] = True
            for attempt in Retrying(**self._transport_policy()):
                with attempt:
                    log.attempts += 1
                    completion = _non_empty(self.backend.complete(kwargs), log)
            accepted.append(_accept(completion, log, self._settings.max_output_tokens))
            return accepted[-1]

        log.calls += 1
        patched = instructor.patch(create=create, mode=self.backend.mode)
        try:
            result: BaseModel = patched(
                response_model=_wrapped(request.response_model),
                messages=request.messages,
                max_retries=self._settings.reasks,
            )
        except Exception as exc:
            raise _as_ours(exc, request, log) from exc
        # The answer instructor parsed is the last one (a re-ask asks again).
        label_logprobs.attach(result, accepted[-1])
        return result

    async def acall(self, request: CallRequest, log: CallLog) -> BaseModel:
        accepted: list[ChatCompletion] = []

        async def create(**kwargs: Any) -> ChatCompletion:
            kwargs.update(self._sampling)
            kwargs["messages"] = compact_reask(kwargs["messages"], len(request.messages))
            if request.tuned:
                kwargs[ADAPTER_KEY] = True
            async for attempt in AsyncRetrying(**self._transport_policy()):
                with attempt:
                    log.attempts += 1
                    completion = _non_empty(await self._acomplete(kwargs), log)
            accepted.append(_accept(completion, log, self._settings.max_output_tokens))
            return accepted[-1]

        log.calls += 1
        patched: Callable[..., Awaitable[BaseModel]] = instructor.patch(
            create=create, mode=self.backend.mode
        )
        try:
            result: BaseModel = await patched(
                response_model=_wrapped(request.response_model),
                messages=request.messages,
                max_retries=self._settings.reasks,
            )
        except Exception as exc:
            raise _as_ours(exc, request, log) from exc
        label_logprobs.attach(result, accepted[-1])
        return result

    async def _acomplete(self, kwargs: dict[str, Any]) -> ChatCompletion:
        if self.limiter is None:
            return await self.backend.acomplete(kwargs)
        async with self.limiter:
            return await self.backend.acomplete(kwargs)

    def _transport_policy(self) -> dict[str, Any]:
        return transport_policy(self._settings)


def transport_policy(settings: Settings) -> dict[str, Any]:
    """tenacity's arguments for retrying a request: 429, 5xx, timeouts and dropped
    connections, honouring Retry-After (capped), up to the settings' count."""
    cap = settings.max_retry_wait
    backoff = wait_random_exponential(multiplier=0.5, max=cap)

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, TransientEndpointError) and exc.retry_after is not None:
            return min(exc.retry_after, cap)
        return float(backoff(state))

    return {
        "stop": stop_after_attempt(settings.transport_retries + 1),
        "wait": wait,
        "retry": retry_if_exception_type(TransientEndpointError),
        "reraise": True,
    }


@cache
def _wrapped(model: type[BaseModel]) -> type[BaseModel]:
    """The response model as instructor's schema class, made once per model.

    Given a plain model, instructor builds a new pydantic class around it on every call:
    a few milliseconds of CPU and a class's worth of memory per request, which a batch
    of thousands of articles notices. Given this one, it uses it as it is.
    """
    wrapped: type[BaseModel] = instructor.openai_schema(model)
    return wrapped


def compact_reask(messages: list[dict[str, Any]], asked: int) -> list[dict[str, Any]]:
    """Turn instructor's re-ask into the original prompt plus the latest errors.

    instructor appends each failed answer and its validation errors to the conversation.
    Sending only the errors, at the end of the original user message, keeps the re-ask
    small and bounded (the chunk planner reserves REASK_TOKENS for it) and keeps the
    article prefix unchanged, so a llama.cpp backend reuses its KV cache.
    """
    if len(messages) <= asked:
        return messages
    feedback = str(messages[-1].get("content") or "").strip()
    if len(feedback) > MAX_FEEDBACK_CHARS:
        feedback = feedback[:MAX_FEEDBACK_CHARS] + " …"
    *head, user = messages[:asked]
    content = f"{user['content']}\nYOUR LAST ANSWER WAS INVALID. Fix these errors:\n{feedback}\n"
    return [*head, {**user, "content": content}]


def _non_empty(completion: ChatCompletion, log: CallLog) -> ChatCompletion:
    if not completion.choices:
        log.record(completion)  # an answer with no choices may still be billed
        raise TransientEndpointError("the endpoint answered with no choices")
    return completion


def _accept(completion: ChatCompletion, log: CallLog, max_tokens: int) -> ChatCompletion:
    """Record the answer, repair what is safe to repair, and stop on truncation."""
    log.record(completion)
    choice = completion.choices[0]
    # llama.cpp's JSON grammar lets raw newlines into strings; strict JSON rejects them.
    for call in choice.message.tool_calls or []:
        if call.type == "function":
            call.function.arguments = escape_control_characters(call.function.arguments)
    if choice.message.content:
        choice.message.content = escape_control_characters(choice.message.content)
    # llama-cpp-python reports "tool_calls" even when a tool call ran out of tokens.
    used = completion.usage.completion_tokens if completion.usage else 0
    if choice.finish_reason == "length" or used >= max_tokens:
        raise OutputTruncatedError(
            "the model's answer was cut off at the token limit; raise max_output_tokens "
            "or use a model that answers more briefly",
            last_output=log.last_output,
        )
    return completion


def _as_ours(exc: Exception, request: CallRequest, log: CallLog) -> SummarizerError:
    """Map instructor's exceptions (and ours that it wrapped) to one typed error."""
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, SummarizerError):
        cause = cause.__cause__
    found: SummarizerError
    if isinstance(cause, SummarizerError):
        found = cause
    elif isinstance(exc, IncompleteOutputException):
        found = OutputTruncatedError("the model's answer was cut off at the token limit")
    elif isinstance(exc, InstructorRetryException):
        found = OutputError(
            f"the {request.task} answer failed validation after {exc.n_attempts} attempt(s): "
            f"{_first_line(exc)}"
        )
    else:
        found = ModelError(f"the {request.task} call failed: {type(exc).__name__}: {exc}")
    if isinstance(found, ModelError):
        found.usage = log.usage
        found.attempts = log.attempts
        found.last_output = log.last_output
    return found


def _first_line(exc: InstructorRetryException) -> str:
    cause = exc.__cause__ or exc
    # pydantic's text with the value it got, without its type codes and help links.
    lines = [_PYDANTIC_DETAIL.sub(r" (got \1)", line).strip() for line in str(cause).splitlines()]
    kept = [line for line in lines if line and not line.startswith("For further information")]
    return " / ".join(kept[:4])[:500]


_PYDANTIC_DETAIL = re.compile(r"\s*\[type=[^,\]]*, input_value=(.*), input_type=\w+\]$")
