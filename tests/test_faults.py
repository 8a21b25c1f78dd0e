"""Error paths against the scripted OpenAI-compatible server on loopback."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from summarizer import (
    Analysis,
    ConfigError,
    EndpointError,
    ModelNotFoundError,
    OutputError,
    OutputTruncatedError,
    Summarizer,
)
from tests.scripted_server import (
    CANNED,
    ScriptedServer,
    answer,
    empty_choices,
    hang,
    raw,
    reset,
    status,
    truncated,
)


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    for made in _made:
        made.close()
    _made.clear()


_made: list[Summarizer] = []


def client(server: ScriptedServer, **overrides: Any) -> Summarizer:
    settings: dict[str, Any] = {
        "base_url": server.base_url,
        "model": "scripted",
        "timeout": 2.0,
        "transport_retries": 2,
        "reasks": 1,
        "max_retry_wait": 5.0,
    }
    made = Summarizer(**{**settings, **overrides})
    _made.append(made)
    return made


def test_valid_answers_give_a_grounded_result(scripted: ScriptedServer, seed_text: str) -> None:
    result = client(scripted).analyze(seed_text)
    assert result.metadata.backend == "openai"
    assert result.metadata.calls == 3 and result.metadata.attempts == 3
    assert result.metadata.usage.total_tokens == 3 * 120
    (event,) = result.events
    assert event.date is not None and event.date.isoformat() == "2025-09-28"
    for span in [*event.evidence, *result.stances[0].evidence]:
        assert seed_text[span.start : span.end] == span.text
    # The three task prompts share everything before the task text.
    users = [r["messages"][1]["content"] for r in scripted.requests]
    shared = users[0].split("TASK:")[0]
    assert all(u.startswith(shared) for u in users) and "[10]" in shared


def test_429_is_retried_after_the_wait_the_server_asks_for(
    scripted: ScriptedServer, seed_text: str
) -> None:
    scripted.push(status(429, {"retry-after": "1"}))
    result = client(scripted).analyze(seed_text)
    assert result.metadata.attempts == 4
    assert scripted.times[1] - scripted.times[0] >= 0.95


def test_retry_after_is_capped(scripted: ScriptedServer, seed_text: str) -> None:
    scripted.push(status(429, {"retry-after": "3600"}))
    started = time.monotonic()
    client(scripted, max_retry_wait=0.2).analyze(seed_text)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("code", [500, 502, 503])
def test_server_errors_are_retried(scripted: ScriptedServer, seed_text: str, code: int) -> None:
    scripted.push(status(code), status(code))
    result = client(scripted).analyze(seed_text)
    assert result.metadata.attempts == 5


def test_persistent_500_fails_after_bounded_retries(
    scripted: ScriptedServer, seed_text: str
) -> None:
    scripted.push(*[status(500)] * 10)
    with pytest.raises(EndpointError, match="HTTP 500") as caught:
        client(scripted, transport_retries=2).analyze(seed_text)
    assert caught.value.attempts == 3 and caught.value.status_code == 500
    assert len(scripted.requests) == 3


def test_hang_times_out_and_is_retried_then_fails(scripted: ScriptedServer, seed_text: str) -> None:
    scripted.push(hang(3), hang(3))
    started = time.monotonic()
    with pytest.raises(EndpointError, match="timed out") as caught:
        client(scripted, timeout=0.5, transport_retries=1).analyze(seed_text)
    assert caught.value.attempts == 2
    assert time.monotonic() - started < 10


def test_connection_reset_is_retried(scripted: ScriptedServer, seed_text: str) -> None:
    scripted.push(reset())
    result = client(scripted).analyze(seed_text)
    assert result.metadata.attempts == 4


def test_empty_choices_are_retried(scripted: ScriptedServer, seed_text: str) -> None:
    scripted.push(empty_choices())
    result = client(scripted).analyze(seed_text)
    assert result.metadata.attempts == 4


def test_truncated_output_fails_clearly_with_the_raw_output(
    scripted: ScriptedServer, seed_text: str
) -> None:
    scripted.push(truncated('{"key_points": [{"sentences": [1], "po'))
    with pytest.raises(OutputTruncatedError, match="token limit") as caught:
        client(scripted).analyze(seed_text)
    assert caught.value.last_output == '{"key_points": [{"sentences": [1], "po'
    assert caught.value.usage is not None and caught.value.usage.total_tokens == 120


def test_invalid_json_is_sent_back_as_a_reask(scripted: ScriptedServer, seed_text: str) -> None:
    scripted.push(raw('{"key_points": [oops'))
    result = client(scripted).analyze(seed_text)
    assert result.metadata.attempts == 4
    reask = scripted.requests[1]["messages"]
    assert "INVALID" in reask[-1]["content"] and "oops" in reask[-1]["content"]
    assert result.metadata.usage.total_tokens == 4 * 120


def test_invalid_json_every_time_fails_with_last_output_and_usage(
    scripted: ScriptedServer, seed_text: str
) -> None:
    scripted.push(raw("{not json"), raw("{still not json"))
    with pytest.raises(OutputError, match="summary answer failed validation") as caught:
        client(scripted, reasks=1).analyze(seed_text)
    assert caught.value.last_output == "{still not json"
    assert caught.value.attempts == 2
    assert caught.value.usage is not None and caught.value.usage.total_tokens == 240


def test_reasks_carry_only_the_latest_errors_after_the_same_prefix(
    scripted: ScriptedServer, seed_text: str
) -> None:
    scripted.push(raw("{first"), raw("{second"))
    client(scripted, reasks=2).analyze(seed_text)
    first, _, third = (r["messages"] for r in scripted.requests[:3])
    assert len(third) == 2 and third[0] == first[0]
    assert third[1]["content"].startswith(first[1]["content"])
    added = third[1]["content"][len(first[1]["content"]) :]
    assert "INVALID" in added and "{second" in added and "{first" not in added


def test_schema_violation_is_reasked(scripted: ScriptedServer, seed_text: str) -> None:
    bad = dict(CANNED["EventsDraft"]["events"][0], status="rumoured")
    scripted.push(answer(CANNED["SummaryDraft"]), answer({"events": [bad]}))
    result = client(scripted).analyze(seed_text)
    assert result.metadata.attempts == 4
    assert "rumoured" in json.dumps(scripted.requests[2]["messages"])


def test_citing_a_missing_sentence_is_reasked_with_the_valid_range(
    scripted: ScriptedServer, seed_text: str
) -> None:
    summary = json.loads(json.dumps(CANNED["SummaryDraft"]))
    summary["key_points"][0]["sentences"] = [42]
    scripted.push(answer(summary))
    result = client(scripted).analyze(seed_text)
    reask = json.dumps(scripted.requests[1]["messages"])
    assert "sentence 42 does not exist" in reask and "from 1 to 10" in reask
    assert all(s.sentence <= 10 for k in result.summary.key_points for s in k.evidence)


def test_citations_that_never_become_valid_fail(scripted: ScriptedServer, seed_text: str) -> None:
    summary = json.loads(json.dumps(CANNED["SummaryDraft"]))
    summary["key_points"][0]["sentences"] = [99]
    scripted.push(answer(summary), answer(summary))
    with pytest.raises(OutputError, match="does not exist"):
        client(scripted, reasks=1).analyze(seed_text)


def test_unknown_model_is_a_config_error(scripted: ScriptedServer, seed_text: str) -> None:
    scripted.push(status(404))
    with pytest.raises(ModelNotFoundError, match="'scripted'"):
        client(scripted).analyze(seed_text)
    assert len(scripted.requests) == 1


def test_rejected_key_is_not_retried(scripted: ScriptedServer, seed_text: str) -> None:
    scripted.push(status(401))
    with pytest.raises(ConfigError, match="401"):
        client(scripted).analyze(seed_text)
    assert len(scripted.requests) == 1


def test_unreachable_endpoint(seed_text: str) -> None:
    with (
        socket_free_port() as port,
        Summarizer(
            base_url=f"http://127.0.0.1:{port}/v1",
            model="x",
            transport_retries=1,
            max_retry_wait=0.1,
        ) as summarizer,
        pytest.raises(EndpointError, match="cannot connect") as caught,
    ):
        summarizer.analyze(seed_text)
    assert caught.value.attempts == 2


def test_claims_are_labelled(scripted: ScriptedServer, seed_text: str) -> None:
    result = client(scripted).analyze(seed_text, claims=["Choe met Wang Yi"])
    (claim,) = result.claims
    assert claim.label == "agree" and claim.evidence[0].sentence == 1
    assert "(1) Choe met Wang Yi" in scripted.requests[-1]["messages"][1]["content"]


def test_async_client_uses_the_same_path(scripted: ScriptedServer, seed_text: str) -> None:
    import asyncio

    from summarizer import AsyncSummarizer

    scripted.push(status(503))

    async def run() -> Analysis:
        async with AsyncSummarizer(
            base_url=scripted.base_url, model="scripted", max_retry_wait=0.1
        ) as summarizer:
            return await summarizer.analyze(seed_text)

    result = asyncio.run(run())
    assert result.metadata.attempts == 4 and len(result.events) == 1


class socket_free_port:
    """A loopback port with nothing listening on it."""

    def __enter__(self) -> int:
        import socket

        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        return int(self._socket.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        self._socket.close()


def test_long_article_is_chunked_and_merged(scripted: ScriptedServer, seed_text: str) -> None:
    long_text = seed_text + "\n\n" + seed_text.replace(" date 2025-09-29 ", "")
    result = client(scripted, context_tokens=1024, max_output_tokens=64, reasks=0).analyze(
        long_text
    )
    assert result.metadata.chunks >= 2
    assert "reduce" in result.metadata.prompt_versions
    assert result.summary.headline == "North Korea and China draw closer"
    tools = [r["tool_choice"]["function"]["name"] for r in scripted.requests]
    assert tools[-1] == "ReduceDraft" and tools.count("SummaryDraft") == result.metadata.chunks
    cited = {s.sentence for e in result.events for s in e.evidence}
    assert max(cited) > 10  # chunk 2 cites its own [1], which is the article's sentence 11+
    assert all("\n[1] " in r["messages"][1]["content"] for r in scripted.requests[:-1])
    for span in [s for e in result.events for s in e.evidence]:
        assert long_text[span.start : span.end] == span.text
    # Every request fits the declared context: no chunk was silently cut.
    for request in scripted.requests:
        assert sum(len(m["content"] or "") for m in request["messages"]) // 3 < 1024 - 64


def test_article_text_is_never_rendered_as_a_template(scripted: ScriptedServer) -> None:
    # instructor renders messages as Jinja templates when given a context; an article
    # is data, so template syntax in it must reach the model as written.
    text = (
        "The {{ sentences }} group met on {% if x %}Monday{% endif %}. "
        "Its leader, {# not a comment #} Ana Ruiz, spoke. Nothing else happened."
    )
    with Summarizer(base_url=scripted.base_url, model="scripted") as client:
        client.analyze(text)
    for body in scripted.requests:
        content = body["messages"][-1]["content"]
        assert "{{ sentences }}" in content
        assert "{% if x %}Monday{% endif %}" in content
        assert "{# not a comment #}" in content
