"""Any OpenAI-compatible endpoint: OpenAI, vLLM, Ollama, llama.cpp's server."""

from __future__ import annotations

import email.utils
import time
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx2
import instructor
import openai
from openai.types.chat import ChatCompletion

from summarizer.backends.base import TransientEndpointError
from summarizer.backends.deadline import AsyncDeadlineClient, DeadlineClient
from summarizer.backends.modes import choose_mode
from summarizer.errors import ConfigError, EndpointError, ModelNotFoundError, SummarizerError
from summarizer.settings import BackendName, Settings, public_url

PATH = "/chat/completions"
# Endpoints that need no key (vLLM, Ollama, llama.cpp) still make the client ask for one.
_NO_KEY = "not-needed"


class HTTPBackend:
    parallel = True
    name: BackendName = "openai"

    def __init__(self, settings: Settings) -> None:
        self.model = settings.model_name
        self.mode: instructor.Mode = choose_mode(settings.mode)
        self.context_tokens = settings.context_tokens
        key = settings.api_key.get_secret_value() if settings.api_key else None
        base_url, self._auth = _credentials_apart(settings.base_url)
        # Retries are ours (tenacity, in summarizer.backends.calls), so the client makes none.
        common: dict[str, Any] = {
            "base_url": base_url,
            "api_key": key or _NO_KEY,
            "timeout": settings.timeout,
            "max_retries": 0,
        }
        # Shown in errors and used in cache keys: without credentials a URL may carry.
        self.base_url = public_url(settings.base_url or "https://api.openai.com/v1")
        # What an endpoint's error message must not repeat back to the user.
        password = urlsplit(settings.base_url).password if settings.base_url else None
        self._secrets = [s for s in (key, password) if s]
        self._common = common
        self._timeout = settings.timeout
        self._client: openai.OpenAI | None = None
        self._aclient: openai.AsyncOpenAI | None = None

    def complete(self, request: dict[str, Any]) -> ChatCompletion:
        if self._client is None:
            http = DeadlineClient(self._timeout, self._auth)
            self._client = openai.OpenAI(**self._common, http_client=http)
        try:
            return self._client.post(PATH, cast_to=ChatCompletion, body=self._body(request))
        except openai.OpenAIError as exc:
            raise self._ours(exc) from exc

    async def acomplete(self, request: dict[str, Any]) -> ChatCompletion:
        if self._aclient is None:
            ahttp = AsyncDeadlineClient(self._timeout, self._auth)
            self._aclient = openai.AsyncOpenAI(**self._common, http_client=ahttp)
        try:
            return await self._aclient.post(PATH, cast_to=ChatCompletion, body=self._body(request))
        except openai.OpenAIError as exc:
            raise self._ours(exc) from exc

    def _ours(self, exc: openai.OpenAIError) -> SummarizerError:
        error = map_openai_error(exc, self.model, self.base_url)
        # An endpoint may echo the key (or a URL with credentials) in its error text.
        message = redact(str(error), self._secrets)
        if message != str(error):
            error.args = (message,)
        return error

    def _body(self, request: dict[str, Any]) -> dict[str, Any]:
        # Posted as it is: the body is plain JSON already, and the typed
        # ``chat.completions.create`` would walk all of it again to transform it, a few
        # milliseconds per request that a batch at high concurrency notices.
        return {"model": self.model, **request}

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        self.close()
        if self._aclient is not None:
            await self._aclient.close()
            self._aclient = None

    def count_tokens(self, text: str) -> int:
        # The endpoint's tokenizer is unknown; three characters a token errs on the safe side.
        return len(text) // 3 + 1


def map_openai_error(exc: openai.OpenAIError, model: str, base_url: str) -> SummarizerError:
    """The one place where openai's exceptions become ours."""
    if isinstance(exc, openai.APITimeoutError):
        return TransientEndpointError(f"the request to {base_url} timed out")
    if isinstance(exc, openai.APIConnectionError):
        return TransientEndpointError(f"cannot connect to {base_url}: {exc.__cause__ or exc}")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _short(exc.message)
        if status == 429 or status >= 500:
            return TransientEndpointError(
                f"{base_url} answered HTTP {status}: {detail}",
                retry_after=retry_after_seconds(exc.response.headers),
                status_code=status,
            )
        if status == 404:
            return ModelNotFoundError(
                f"{base_url} answered 404 for model {model!r}: "
                "check the model name and the base URL"
            )
        if status in (401, 403):
            return ConfigError(f"{base_url} refused the API key (HTTP {status})")
        return EndpointError(f"{base_url} answered HTTP {status}: {detail}", status_code=status)
    return EndpointError(f"request to {base_url} failed: {_short(str(exc))}")


def _credentials_apart(url: str | None) -> tuple[str | None, httpx2.BasicAuth | None]:
    """A base URL's user and password as basic auth, and the URL without them.

    httpx would send them as basic auth anyway, but it and openai also log the URL of
    every request, credentials included.
    """
    if url is None:
        return None, None
    parts = urlsplit(url)
    if parts.password is None and parts.username is None:
        return url, None
    host = parts.netloc.rpartition("@")[2]
    bare = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return bare, httpx2.BasicAuth(unquote(parts.username or ""), unquote(parts.password or ""))


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return text


def retry_after_seconds(headers: Any) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or an HTTP date) or ``retry-after-ms``."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        return max(email.utils.mktime_tz(parsed) - time.time(), 0.0)


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
