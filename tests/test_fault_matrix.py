"""The fault matrix: every way an endpoint or a model can fail, one row each.

Each fault hits the second call of an analysis (events; the summary call has already
been answered), so a failure must still account for what the first call cost. For each
row the test checks that retries are bounded, that the fault is classified as the row
says (``retry``: the same request again; ``reask``: the error goes back to the model;
``fail``: no second try), that the error is one clear line, and that every answered
request's tokens are in the total. Then the same faults, stuck to articles of a batch:
the run goes on, the failures are recorded, and ``--resume`` re-runs only those.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from summarizer import EndpointError, ModelError, OutputError, OutputTruncatedError, Summarizer
from summarizer.errors import public_name
from tests.scripted_server import (
    CANNED,
    ScriptedServer,
    Step,
    answer,
    empty_choices,
    hang,
    raw,
    reset,
    status,
    trickle,
    truncated,
)

TOKENS = 120  # per answered request, as the scripted server reports
TIMEOUT = 1.0
RETRIES = 2  # transport retries: 3 requests at most
REASKS = 1  # validation re-asks: 2 answers at most


def _bad_status() -> dict[str, Any]:
    event = dict(CANNED["EventsDraft"]["events"][0], status="rumoured")
    return {"events": [event]}


def _bad_citation() -> dict[str, Any]:
    event = dict(CANNED["EventsDraft"]["events"][0], sentences=[42])
    return {"events": [event]}


@dataclass(frozen=True)
class Fault:
    name: str
    step: Step
    kind: str  # retry | reask | fail
    error: type[ModelError]
    message: str  # in the error when the fault persists
    answered: bool  # the faulty reply carries usage the client must count


FAULTS = [
    Fault("429-retry-after", status(429, {"retry-after": "0.3"}), "retry", EndpointError,
          "HTTP 429", False),
    Fault("429-no-retry-after", status(429), "retry", EndpointError, "HTTP 429", False),
    Fault("500", status(500), "retry", EndpointError, "HTTP 500", False),
    Fault("502", status(502), "retry", EndpointError, "HTTP 502", False),
    Fault("503", status(503), "retry", EndpointError, "HTTP 503", False),
    Fault("connection-reset", reset(), "retry", EndpointError, "cannot connect", False),
    Fault("read-timeout", hang(3 * TIMEOUT), "retry", EndpointError, "timed out", False),
    Fault("slow-stream", trickle(4 * TIMEOUT), "retry", EndpointError, "timed out", False),
    Fault("empty-choices", empty_choices(), "retry", EndpointError, "no choices", True),
    Fault("truncated", truncated(), "fail", OutputTruncatedError, "token limit", True),
    Fault("invalid-json", raw('{"events": [oops'), "reask", OutputError,
          "answer failed validation", True),
    Fault("schema-violation", answer(_bad_status()), "reask", OutputError, "rumoured", True),
    Fault("missing-sentence", answer(_bad_citation()), "reask", OutputError,
          "sentence 42 does not exist", True),
]  # fmt: skip
IDS = [f.name for f in FAULTS]


def _client(server: ScriptedServer) -> Summarizer:
    return Summarizer(
        base_url=server.base_url,
        model="scripted",
        timeout=TIMEOUT,
        transport_retries=RETRIES,
        reasks=REASKS,
        max_retry_wait=0.5,
    )


@pytest.mark.parametrize("fault", FAULTS, ids=IDS)
def test_a_fault_once_is_handled_as_classified(
    scripted: ScriptedServer, seed_text: str, fault: Fault
) -> None:
    scripted.push(answer(None), fault.step)  # answer(None): the canned answer
    with _client(scripted) as client:
        if fault.kind == "fail":
            with pytest.raises(fault.error, match=fault.message) as caught:
                client.analyze(seed_text)
            assert len(scripted.requests) == 2  # no second try
            assert caught.value.usage is not None
            assert caught.value.usage.total_tokens == 2 * TOKENS
            return
        result = client.analyze(seed_text)
    # One extra request, then the rest of the analysis as usual.
    assert len(scripted.requests) == 4 and result.metadata.attempts == 4
    assert result.metadata.usage.total_tokens == (4 if fault.answered else 3) * TOKENS
    first, second = scripted.requests[1]["messages"], scripted.requests[2]["messages"]
    if fault.kind == "retry":
        assert second == first  # the same request again
    else:
        assert second[-1]["content"].startswith(first[-1]["content"])
        assert "YOUR LAST ANSWER WAS INVALID" in second[-1]["content"]
    if fault.name == "429-retry-after":
        assert scripted.times[2] - scripted.times[1] >= 0.29


@pytest.mark.parametrize("fault", [f for f in FAULTS if f.kind != "fail"], ids=lambda f: f.name)
def test_a_fault_that_persists_fails_clearly_within_bounds(
    scripted: ScriptedServer, seed_text: str, fault: Fault
) -> None:
    bound = RETRIES + 1 if fault.kind == "retry" else REASKS + 1
    scripted.push(answer(None), *[fault.step] * 10)
    started = time.monotonic()
    with _client(scripted) as client, pytest.raises(fault.error) as caught:
        client.analyze(seed_text)
    error = caught.value
    assert public_name(error) == fault.error.__name__
    assert fault.message in str(error) and "\n" not in str(error)
    assert len(scripted.requests) == 1 + bound and error.attempts == 1 + bound
    assert error.usage is not None
    assert error.usage.total_tokens == (1 + (bound if fault.answered else 0)) * TOKENS
    if fault.answered:
        assert error.last_output  # what the model last said, for debugging
    # Bounded in time too: per request at most the timeout, plus capped waits.
    assert time.monotonic() - started < bound * (TIMEOUT + 0.5) + 3


def test_usage_of_a_slow_stream_is_bounded_by_the_timeout(
    scripted: ScriptedServer, seed_text: str
) -> None:
    # httpx's timeouts are per read: a body trickling in would never trip them.
    scripted.push(answer(None), trickle(30))
    started = time.monotonic()
    with _client(scripted) as client:
        client.analyze(seed_text)
    assert time.monotonic() - started < 2 * TIMEOUT + 2


def test_a_persistent_fault_fails_the_async_client_the_same_way(
    scripted: ScriptedServer, seed_text: str
) -> None:
    import asyncio

    from summarizer import AsyncSummarizer

    scripted.rules["Choe Son-hui"] = trickle(30)  # every request of the article

    async def run() -> None:
        async with AsyncSummarizer(
            base_url=scripted.base_url, model="scripted", timeout=TIMEOUT, transport_retries=2,
            max_retry_wait=0.1,
        ) as client:  # fmt: skip
            await client.analyze(seed_text)

    started = time.monotonic()
    with pytest.raises(EndpointError, match="timed out"):
        asyncio.run(run())
    # The three calls run side by side, each with 3 requests of at most TIMEOUT.
    assert time.monotonic() - started < 3 * TIMEOUT + 3
    assert len(scripted.requests) == 3 * 3


# The faults that persist for one article of a batch, keyed by a marker in its text.
BATCH_FAULTS = {f"FAULT{i:02d}": f for i, f in enumerate(FAULTS)}


def _batch_input(path: Path, seed_text: str) -> list[str]:
    lines: list[dict[str, str]] = []
    for i in range(4):
        lines.append({"id": f"ok-{i}", "text": seed_text})
    for marker, fault in BATCH_FAULTS.items():
        lines.append({"id": fault.name, "text": f"{seed_text}\n\nCode {marker} was noted."})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return [line["id"] for line in lines]


def _run_batch(server: ScriptedServer, inputs: Path, out: Path, *flags: str) -> Any:
    command = [
        *(sys.executable, "-m", "summarizer", "batch", str(inputs), "-o", str(out)),
        *("--base-url", server.base_url, "--model", "scripted", "--no-cache", "-q", "-j", "4"),
        *("--timeout", str(TIMEOUT), "--transport-retries", "1", "--reasks", "1"),
        *flags,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_faults_in_a_batch_are_recorded_and_resume_reruns_only_them(
    scripted: ScriptedServer, seed_text: str, tmp_path: Path
) -> None:
    inputs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = _batch_input(inputs, seed_text)
    scripted.rules.update({marker: fault.step for marker, fault in BATCH_FAULTS.items()})
    done = _run_batch(scripted, inputs, out)
    assert done.returncode == 1, done.stderr  # some items failed
    assert "Traceback" not in done.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ids
    by_id = {r["id"]: r for r in records}
    assert all(by_id[f"ok-{i}"]["ok"] for i in range(4))
    for fault in FAULTS:
        record = by_id[fault.name]
        assert not record["ok"], fault.name
        assert record["error_type"] == fault.error.__name__, (fault.name, record["error"])
        # Every call of the article gets the same reply, whichever task it is for.
        expected = "failed validation" if fault.kind == "reask" else fault.message
        assert expected in record["error"]
        if fault.answered:  # the failed answer's tokens are counted
            assert record["usage"]["total_tokens"] >= TOKENS

    # The endpoint recovers; a resumed run asks again for the failed articles only.
    scripted.reset_state()
    done = _run_batch(scripted, inputs, out, "--resume")
    assert done.returncode == 0, done.stderr
    asked = {_marker(r) for r in scripted.requests}
    assert asked == set(BATCH_FAULTS) and len(scripted.requests) == 3 * len(FAULTS)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["id"] for r in records) == sorted(ids)
    assert all(r["ok"] for r in records)


def _marker(body: dict[str, Any]) -> str | None:
    prompt = str(body["messages"][-1]["content"])
    return next((m for m in BATCH_FAULTS if m in prompt), None)
