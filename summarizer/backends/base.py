"""The backend interface and the error that marks a failure worth retrying."""

from __future__ import annotations

from typing import Any, Protocol

import instructor
from openai.types.chat import ChatCompletion

from summarizer.errors import EndpointError
from summarizer.settings import BackendName

# The request key that asks the embedded model for its LoRA adapter on this call (a
# ``tuned`` source's task); no other backend is ever given it.
ADAPTER_KEY = "summarizer_adapter"


class TransientEndpointError(EndpointError):
    """A failure that may go away: 429, 5xx, timeout, dropped connection.

    ``retry_after`` is the wait the server asked for, in seconds, if it asked.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class Backend(Protocol):
    name: BackendName
    model: str
    mode: instructor.Mode
    context_tokens: int
    # Whether independent requests may run at the same time (an endpoint) or must run
    # one after another (one in-process model, whose KV cache wants them in order).
    parallel: bool

    def complete(self, request: dict[str, Any]) -> ChatCompletion:
        """One request, no retries. Raises TransientEndpointError or another SummarizerError."""
        ...

    async def acomplete(self, request: dict[str, Any]) -> ChatCompletion: ...

    def count_tokens(self, text: str) -> int: ...

    def close(self) -> None: ...

    async def aclose(self) -> None: ...
