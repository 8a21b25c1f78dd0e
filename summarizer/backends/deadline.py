"""A deadline on the whole HTTP request, not only on each read.

httpx's timeouts apply to each network operation: a server (or a proxy) that sends its
answer a few bytes at a time never trips the read timeout, and one request can hold a
batch slot for hours. These transports check one deadline per request while the body
arrives and fail with httpx's own ``ReadTimeout``, which openai reports as a timeout,
so the call is retried like any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterator

import httpx2

# What openai's default client allows; passing our own transport replaces its pool.
LIMITS = httpx2.Limits(max_connections=1000, max_keepalive_connections=100)


class DeadlineClient(httpx2.Client):
    """An httpx client whose requests each have one deadline.

    Closed when dropped, as openai's own client is, so a caller who never closes a
    ``Summarizer`` doesn't leak its connections.
    """

    def __init__(self, seconds: float, auth: httpx2.BasicAuth | None = None) -> None:
        super().__init__(
            transport=DeadlineTransport(seconds), timeout=seconds, auth=auth, follow_redirects=True
        )

    def __del__(self) -> None:
        if not self.is_closed:
            with contextlib.suppress(Exception):
                self.close()


class AsyncDeadlineClient(httpx2.AsyncClient):
    """The async :class:`DeadlineClient`."""

    def __init__(self, seconds: float, auth: httpx2.BasicAuth | None = None) -> None:
        super().__init__(
            transport=AsyncDeadlineTransport(seconds),
            timeout=seconds,
            auth=auth,
            follow_redirects=True,
        )

    def __del__(self) -> None:
        if not self.is_closed:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().create_task(self.aclose())


class DeadlineTransport(httpx2.BaseTransport):
    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._inner = httpx2.HTTPTransport(limits=LIMITS)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        deadline = time.monotonic() + self._seconds
        response = self._inner.handle_request(request)
        response.stream = _SyncBody(response.stream, deadline, request)
        return response

    def close(self) -> None:
        self._inner.close()


class AsyncDeadlineTransport(httpx2.AsyncBaseTransport):
    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._inner = httpx2.AsyncHTTPTransport(limits=LIMITS)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        deadline = time.monotonic() + self._seconds
        response = await self._inner.handle_async_request(request)
        response.stream = _AsyncBody(response.stream, deadline, request)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def _expired(seconds_over: float, request: httpx2.Request) -> httpx2.ReadTimeout:
    return httpx2.ReadTimeout(
        f"the answer was still arriving {seconds_over:.1f} s past the request's deadline",
        request=request,
    )


class _SyncBody(httpx2.SyncByteStream):
    def __init__(self, inner: object, deadline: float, request: httpx2.Request) -> None:
        assert isinstance(inner, httpx2.SyncByteStream)
        self._inner, self._deadline, self._request = inner, deadline, request

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            over = time.monotonic() - self._deadline
            if over > 0:
                raise _expired(over, self._request)
            yield chunk

    def close(self) -> None:
        self._inner.close()


class _AsyncBody(httpx2.AsyncByteStream):
    def __init__(self, inner: object, deadline: float, request: httpx2.Request) -> None:
        assert isinstance(inner, httpx2.AsyncByteStream)
        self._inner, self._deadline, self._request = inner, deadline, request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            over = time.monotonic() - self._deadline
            if over > 0:
                raise _expired(over, self._request)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()
