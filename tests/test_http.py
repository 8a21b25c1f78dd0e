"""The HTTP path against llama-cpp-python's own OpenAI-compatible server (slow)."""

from __future__ import annotations

import asyncio
import re

import pytest

from summarizer import Analysis, AsyncSummarizer, Summarizer
from summarizer.backends.http import HTTPBackend
from summarizer.calls import CallLog, CallRequest, StructuredCaller
from summarizer.settings import load_settings
from tests.test_embedded import ODD_MESSAGES, Odd, assert_grounded

pytestmark = pytest.mark.slow


def test_reference_article_over_http(llama_server: str, seed_text: str) -> None:
    with Summarizer(base_url=llama_server, model="smollm2-135m-instruct", timeout=300) as client:
        result = client.analyze(seed_text)
    assert_grounded(result, seed_text)
    assert result.metadata.backend == "openai" and result.metadata.usage.total_tokens > 0


def test_async_client_over_http(llama_server: str, seed_text: str) -> None:
    async def run() -> Analysis:
        async with AsyncSummarizer(
            base_url=llama_server, model="smollm2-135m-instruct", strategy="combined", timeout=300
        ) as client:
            return await client.analyze(seed_text)

    assert_grounded(asyncio.run(run()), seed_text)


def test_tool_mode_really_constrains_the_server(llama_server: str) -> None:
    settings = load_settings(
        base_url=llama_server,
        model="smollm2-135m-instruct",
        reasks=0,
        max_output_tokens=128,
        timeout=120,
    )
    backend = HTTPBackend(settings)
    try:
        result = StructuredCaller(backend, settings).call(
            CallRequest("odd", ODD_MESSAGES, Odd), CallLog()
        )
    finally:
        backend.close()
    assert isinstance(result, Odd) and result.code == "zebra-42"
    assert re.fullmatch(r"[A-Z]{3}-[0-9]{2}", result.tag)
