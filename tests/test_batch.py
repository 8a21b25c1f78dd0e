"""Batch runs against the scripted loopback server: order and ids, failures, resume,
the response cache, the async API, and Batch-API export/import through validation."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from summarizer import AsyncSummarizer, BatchRecord, ResponseCache, Settings, run_batch
from summarizer.batch_files import read_results, replay, request_id
from tests.scripted_server import CANNED, ScriptedServer, canned, status

ARTICLE = (
    "Officials in {city} opened a new bridge on Monday. The mayor, Ana Ruiz, said the "
    "bridge would cut travel times. Critics said the project cost too much. Traffic "
    "was light on the first day. In other news, North Korea's Foreign Minister Choe "
    "Son-hui met Wang Yi in Beijing, North Korean media said."
)
# The last sentence names what the scripted server's canned headline and summary name,
# so no answer sets off the headline recheck: these tests count requests.


def _write_inputs(path: Path, n: int, *, extra: list[str] | None = None) -> list[str]:
    ids = [f"a-{i}" for i in range(n)]
    lines = [
        json.dumps({"id": i, "text": ARTICLE.format(city=f"Town{k}"), "published": "2025-03-03"})
        for k, i in enumerate(ids)
    ]
    path.write_text("\n".join([*lines, *(extra or [])]) + "\n", encoding="utf-8")
    return ids


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _settings(server: ScriptedServer, **kw: Any) -> Settings:
    return Settings(
        base_url=server.base_url, model="scripted", transport_retries=0, max_retry_wait=0, **kw
    )


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_output_is_in_input_order_with_one_record_per_id(
    scripted: ScriptedServer, tmp_path: Path
) -> None:
    inputs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = _write_inputs(inputs, 24)
    # Random latency: articles finish out of order; the output must not.
    rng = random.Random(7)
    scripted.latency = lambda body: rng.uniform(0, 0.05)
    summary = run_batch(inputs, out, concurrency=8, settings=_settings(scripted))
    records = _records(out)
    assert [r["id"] for r in records] == ids
    assert [r["line"] for r in records] == list(range(1, 25))
    assert all(r["ok"] for r in records)
    assert summary.ok == 24 and summary.failed == 0
    assert len(scripted.requests) == 24 * 3
    assert summary.model_calls == 24 * 3
    for r in records:
        BatchRecord.model_validate(r)  # the documented schema


def test_failures_are_recorded_and_the_run_goes_on(
    scripted: ScriptedServer, tmp_path: Path
) -> None:
    inputs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_inputs(inputs, 3, extra=["{not json", json.dumps({"id": "blank", "text": " "}), "[1]"])
    with inputs.open("ab") as handle:
        handle.write(b'{"text": "caf\xe9"}\n')  # Latin-1, not UTF-8
    scripted.push(status(500))  # the first article's first request, with no retries left
    summary = run_batch(inputs, out, concurrency=1, settings=_settings(scripted))
    records = {r["id"]: r for r in _records(out)}
    assert list(records) == ["a-0", "a-1", "a-2", "line-4", "blank", "line-6", "line-7"]
    assert records["line-7"]["error"] == "line 7 is not valid UTF-8"
    assert records["a-0"]["ok"] is False
    assert records["a-0"]["error_type"] == "EndpointError"
    assert "HTTP 500" in records["a-0"]["error"]
    assert records["line-4"]["error_type"] == "InputError"
    assert "not JSON" in records["line-4"]["error"]
    assert records["blank"]["error"] == "the article is empty"
    assert "not a JSON object" in records["line-6"]["error"]
    assert records["a-1"]["ok"] and records["a-2"]["ok"]
    assert (summary.ok, summary.failed) == (2, 5)


def test_resume_after_a_killed_run_keeps_finished_work_and_reruns_the_rest(
    scripted: ScriptedServer, tmp_path: Path
) -> None:
    inputs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = _write_inputs(inputs, 30)
    scripted.latency = 0.05
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "summarizer", "batch", str(inputs), "-o", str(out), "-q"),
            *("--base-url", scripted.base_url, "--model", "scripted", "--no-cache", "-j", "2"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while (not out.exists() or len(out.read_bytes().splitlines()) < 5) and process.poll() is None:
        assert time.monotonic() < deadline, "the batch wrote nothing within 60 s"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    finished = [r["id"] for r in _records(out)]
    assert 5 <= len(finished) < 30
    # A write cut short, as a crash mid-line leaves it.
    with out.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "a-29", "line": 30, "ok": tru')
    scripted.reset_state()
    summary = run_batch(inputs, out, resume=True, settings=_settings(scripted))
    records = _records(out)
    assert sorted(r["id"] for r in records) == sorted(ids)
    assert all(r["ok"] for r in records)
    assert [r["id"] for r in records[: len(finished)]] == finished
    assert summary.kept == len(finished)
    assert len(scripted.requests) == 3 * (30 - len(finished))


def test_resume_reruns_only_failed_items(scripted: ScriptedServer, tmp_path: Path) -> None:
    inputs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = _write_inputs(inputs, 4)
    scripted.push(status(503))
    first = run_batch(inputs, out, concurrency=1, settings=_settings(scripted))
    assert (first.ok, first.failed) == (3, 1)
    scripted.reset_state()
    second = run_batch(inputs, out, resume=True, settings=_settings(scripted))
    assert (second.kept, second.ok, second.failed) == (3, 1, 0)
    assert len(scripted.requests) == 3
    records = _records(out)
    assert sorted(r["id"] for r in records) == sorted(ids)
    assert all(r["ok"] for r in records)


def test_existing_output_is_never_overwritten_by_accident(
    scripted: ScriptedServer, tmp_path: Path
) -> None:
    inputs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_inputs(inputs, 1)
    out.write_text("precious\n")
    result = _cli("batch", str(inputs), "-o", str(out), "--base-url", scripted.base_url)
    assert result.returncode == 2
    assert "--resume" in result.stderr and "Traceback" not in result.stderr
    assert out.read_text() == "precious\n"


def test_duplicate_ids_are_refused_before_any_call(
    scripted: ScriptedServer, tmp_path: Path
) -> None:
    inputs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    line = json.dumps({"id": "same", "text": ARTICLE.format(city="X")})
    inputs.write_text(f"{line}\n{line}\n")
    result = _cli("batch", str(inputs), "-o", str(out), "--base-url", scripted.base_url)
    assert result.returncode == 2
    assert "ids must be unique" in result.stderr
    assert scripted.requests == []


def test_cache_hits_and_misses_across_processes(scripted: ScriptedServer, tmp_path: Path) -> None:
    inputs, cache_file = tmp_path / "in.jsonl", tmp_path / "cache.sqlite"
    _write_inputs(inputs, 5)
    base = ["--base-url", scripted.base_url, "--model", "scripted", "--cache", str(cache_file)]
    cold = _cli("batch", str(inputs), "-o", str(tmp_path / "1.jsonl"), "-q", *base)
    assert cold.returncode == 0, cold.stderr
    assert "cache 0 hits / 5 misses" in cold.stderr
    assert len(scripted.requests) == 15

    warm = _cli("batch", str(inputs), "-o", str(tmp_path / "2.jsonl"), "-q", *base)
    assert warm.returncode == 0, warm.stderr
    assert "cache 5 hits / 0 misses" in warm.stderr
    assert "0 model requests" in warm.stderr
    assert len(scripted.requests) == 15
    assert all(r["cached"] for r in _records(tmp_path / "2.jsonl"))
    fresh = [r["analysis"] for r in _records(tmp_path / "1.jsonl")]
    assert [r["analysis"] for r in _records(tmp_path / "2.jsonl")] == fresh

    # Another parameter is another key.
    changed = _cli(
        "batch", str(inputs), "-o", str(tmp_path / "3.jsonl"), "-q", *base,
        "--max-output-tokens", "1000",
    )  # fmt: skip
    assert "cache 0 hits / 5 misses" in changed.stderr
    assert len(scripted.requests) == 30

    off = _cli("batch", str(inputs), "-o", str(tmp_path / "4.jsonl"), "-q", *base, "--no-cache")
    assert off.returncode == 0 and " hits / " not in off.stderr
    assert len(scripted.requests) == 45


def test_cache_key_covers_prompt_versions_and_article(
    scripted: ScriptedServer, tmp_path: Path
) -> None:
    from summarizer import Article
    from summarizer.cache import analysis_key

    settings = _settings(scripted)
    article = Article.from_text(ARTICLE.format(city="A"))
    key = analysis_key(settings, {"summary": "v1"}, article, [])
    assert key != analysis_key(settings, {"summary": "v2"}, article, [])
    assert key != analysis_key(settings, {"summary": "v1"}, Article.from_text("Other. Text."), [])
    assert key != analysis_key(settings, {"summary": "v1"}, article, ["a claim"])
    assert key != analysis_key(
        _settings(scripted, strategy="combined"), {"summary": "v1"}, article, []
    )
    with ResponseCache(tmp_path / "c.sqlite") as cache:
        assert cache.get(key) is None
        cache.put(key, {"x": 1})
        assert cache.get(key) == {"x": 1}
        assert (cache.hits, cache.misses) == (1, 1)


def test_async_api_streams_records_in_order(scripted: ScriptedServer) -> None:
    texts: list[Any] = [ARTICLE.format(city=f"C{i}") for i in range(6)]
    texts.insert(2, {"text": ""})
    rng = random.Random(3)
    scripted.latency = lambda body: rng.uniform(0, 0.03)

    async def go() -> list[BatchRecord]:
        async with AsyncSummarizer(base_url=scripted.base_url, model="scripted") as client:
            return [r async for r in client.analyze_many(texts, concurrency=4)]

    records = asyncio.run(go())
    assert [r.line for r in records] == list(range(1, 8))
    assert [r.ok for r in records] == [True, True, False, True, True, True, True]
    assert records[2].error_type == "InputError"
    assert records[0].analysis is not None
    assert records[0].analysis.events[0].evidence[0].text.startswith("Officials in C0")


def test_concurrency_bounds_requests_in_flight(scripted: ScriptedServer, tmp_path: Path) -> None:
    inputs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_inputs(inputs, 12)
    scripted.latency = 0.1
    started = time.monotonic()
    run_batch(inputs, out, concurrency=4, settings=_settings(scripted))
    elapsed = time.monotonic() - started
    # 36 requests of 0.1 s, 4 at a time: at least 0.9 s; serial would be 3.6 s.
    assert elapsed >= 0.85
    in_flight = _max_overlap(scripted.times, 0.1)
    assert in_flight <= 4


def _max_overlap(starts: list[float], seconds: float) -> int:
    events = sorted([(t, 1) for t in starts] + [(t + seconds - 1e-3, -1) for t in starts])
    level = peak = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    return peak


# --- Batch API files ---------------------------------------------------------------


def _answer_all(requests: Path, results: Path, *, override: dict[str, Any] | None = None) -> None:
    """Play the Batch API: answer every request with the scripted server's canned answer."""
    lines = []
    for line in requests.read_text(encoding="utf-8").splitlines():
        request = json.loads(line)
        body = request["body"]
        tool = body["tool_choice"]["function"]["name"]
        custom = (override or {}).get(tool)
        if custom == "status-500":
            response: dict[str, Any] = {"status_code": 500, "body": {"error": "boom"}}
        else:
            arguments = custom if custom is not None else json.dumps(canned(tool, body))
            response = {"status_code": 200, "body": _completion(tool, arguments)}
        lines.append(
            json.dumps({"id": "batch_req_x", "custom_id": request["custom_id"],
                        "response": response, "error": None})
        )  # fmt: skip
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _completion(tool: str, arguments: str) -> dict[str, Any]:
    call = {"id": "call_1", "type": "function", "function": {"name": tool, "arguments": arguments}}
    return {
        "id": "chatcmpl-batch",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-test",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": None, "tool_calls": [call]},
                "finish_reason": "tool_calls",
            }
        ],
        "usage": {"prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60},
    }


def _batch_settings(**kw: Any) -> Settings:
    return Settings(model="gpt-test", api_key="sk-test", **kw)


def test_export_writes_a_batch_api_file(tmp_path: Path) -> None:
    inputs, requests = tmp_path / "in.jsonl", tmp_path / "requests.jsonl"
    _write_inputs(inputs, 2)
    with inputs.open("a") as handle:
        # A claim the article is about (an unrelated one is labelled by the gate, no call).
        claims = ["Officials opened a new bridge"]
        handle.write(json.dumps({"id": "c", "text": ARTICLE.format(city="Q"), "claims": claims}))
    summary = replay(inputs, _batch_settings(), requests_out=requests)
    lines = [json.loads(line) for line in requests.read_text().splitlines()]
    assert summary.requests == len(lines) == 3 + 3 + 4  # summary, events, stances (+ claims)
    assert summary.pending == 3
    ids = [line["custom_id"] for line in lines]
    assert len(set(ids)) == len(ids)
    for line in lines:
        assert set(line) == {"custom_id", "method", "url", "body"}
        assert (line["method"], line["url"]) == ("POST", "/v1/chat/completions")
        assert line["body"]["model"] == "gpt-test"
        assert line["custom_id"] == request_id(line["body"])
        assert line["body"]["tool_choice"]["type"] == "function"
        assert "sk-test" not in json.dumps(line)
    # The same inputs and settings give the same file (ids are content hashes).
    again = tmp_path / "again.jsonl"
    replay(inputs, _batch_settings(), requests_out=again)
    assert again.read_text() == requests.read_text()


def test_import_validates_grounds_and_asks_again_in_a_next_round(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    round1, results1 = tmp_path / "r1.jsonl", tmp_path / "res1.jsonl"
    round2, results2 = tmp_path / "r2.jsonl", tmp_path / "res2.jsonl"
    _write_inputs(inputs, 2)
    replay(inputs, _batch_settings(), requests_out=round1)
    # Every events answer cites a sentence that does not exist; stances come back 500.
    bad_events = json.dumps({"events": [{**canned("EventsDraft", _fake_body())["events"][0],
                                         "sentences": [99]}]})  # fmt: skip
    _answer_all(
        round1, results1, override={"EventsDraft": bad_events, "StancesDraft": "status-500"}
    )
    summary = replay(inputs, _batch_settings(), results=[results1], output=out, requests_out=round2)
    assert (summary.finished, summary.pending, summary.result_errors) == (0, 2, 2)
    records = _records(out)
    assert [r["error_type"] for r in records] == ["Pending", "Pending"]
    asked = [json.loads(line)["body"] for line in round2.read_text().splitlines()]
    tools = sorted(b["tool_choice"]["function"]["name"] for b in asked)
    assert tools == ["EventsDraft", "EventsDraft", "StancesDraft", "StancesDraft"]
    reasks = [b for b in asked if b["tool_choice"]["function"]["name"] == "EventsDraft"]
    assert all("YOUR LAST ANSWER WAS INVALID" in b["messages"][-1]["content"] for b in reasks)
    assert all("99" in b["messages"][-1]["content"] for b in reasks)

    _answer_all(round2, results2)
    final = replay(
        inputs, _batch_settings(), results=[results1, results2], output=out, requests_out=round2
    )
    assert (final.finished, final.pending, final.failed) == (2, 0, 0)
    for record in _records(out):
        analysis = BatchRecord.model_validate(record).analysis
        assert analysis is not None
        text = analysis.article.text
        for item in [*analysis.events, *analysis.stances]:
            for span in item.evidence:
                assert text[span.start : span.end] == span.text
        # Usage counts every answer used, the failed first one included.
        assert record["usage"]["total_tokens"] == 4 * 60


def test_the_headline_recheck_is_a_round_of_its_own(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    round1, results1 = tmp_path / "r1.jsonl", tmp_path / "res1.jsonl"
    round2, results2 = tmp_path / "r2.jsonl", tmp_path / "res2.jsonl"
    _write_inputs(inputs, 1)
    replay(inputs, _batch_settings(), requests_out=round1)
    invented = {**canned("SummaryDraft", _fake_body()), "headline": "Zorro visits Gotham"}
    _answer_all(round1, results1, override={"SummaryDraft": json.dumps(invented)})
    summary = replay(inputs, _batch_settings(), results=[results1], output=out, requests_out=round2)
    assert (summary.finished, summary.pending) == (0, 1)
    (asked,) = [json.loads(line)["body"] for line in round2.read_text().splitlines()]
    assert "headline: Zorro, Gotham" in asked["messages"][-1]["content"]

    _answer_all(round2, results2)
    final = replay(inputs, _batch_settings(), results=[results1, results2], output=out)
    assert (final.finished, final.pending, final.failed) == (1, 0, 0)
    (record,) = _records(out)
    assert record["analysis"]["summary"]["headline"] == CANNED["SummaryDraft"]["headline"]


def test_the_verify_pass_is_a_round_of_its_own(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    round1, results1 = tmp_path / "r1.jsonl", tmp_path / "res1.jsonl"
    round2, results2 = tmp_path / "r2.jsonl", tmp_path / "res2.jsonl"
    _write_inputs(inputs, 1)
    settings = _batch_settings(verify=True)
    replay(inputs, settings, requests_out=round1)
    _answer_all(round1, results1)
    summary = replay(inputs, settings, results=[results1], output=out, requests_out=round2)
    assert (summary.finished, summary.pending) == (0, 1)
    (asked,) = [json.loads(line)["body"] for line in round2.read_text().splitlines()]
    assert "Statement: Wang Yi supports North Korea" in asked["messages"][-1]["content"]

    _answer_all(round2, results2, override={"VerifyDraft": '{"verdicts": ["yes", "no"]}'})
    final = replay(inputs, settings, results=[results1, results2], output=out)
    assert (final.finished, final.pending, final.failed) == (1, 0, 0)
    (record,) = _records(out)
    assert len(record["analysis"]["events"]) == 1 and record["analysis"]["stances"] == []


def test_import_with_other_settings_explains_the_mismatch(tmp_path: Path) -> None:
    inputs = tmp_path / "in.jsonl"
    _write_inputs(inputs, 1)
    requests, results = tmp_path / "req.jsonl", tmp_path / "res.jsonl"
    replay(inputs, _batch_settings(), requests_out=requests)
    _answer_all(requests, results)
    result = _cli(
        "batch", "import", str(inputs), "--results", str(results), "-o", str(tmp_path / "o.jsonl"),
        "--model", "another-model", "--base-url", "http://127.0.0.1:9/v1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "same model options as the export" in result.stderr


def test_results_file_that_is_not_batch_output_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "res.jsonl"
    bad.write_text('{"hello": 1}\n')
    with pytest.raises(Exception, match="not a Batch API result line"):
        read_results([bad])


def _fake_body() -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": "[1] x"}]}


@pytest.mark.slow
def test_export_import_round_trip_through_a_real_server(llama_server: str, tmp_path: Path) -> None:
    """Export, answer each request with llama-cpp-python's server (as vLLM's run-batch
    would), import: records validated and grounded like a live run."""
    seed = Path(__file__).parent.parent / "examples" / "seed_article.txt"
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(
        json.dumps({"id": "seed", "text": seed.read_text(), "published": "2025-09-29"})
    )
    settings = Settings(base_url=llama_server, model="smollm2-135m-instruct")
    requests, results, out = tmp_path / "req.jsonl", tmp_path / "res.jsonl", tmp_path / "out.jsonl"
    replay(inputs, settings, requests_out=requests)
    _post_all(llama_server, requests, results)
    summary = replay(inputs, settings, results=[results], output=out, requests_out=requests)
    (record,) = _records(out)
    if summary.pending:  # the small model needed a re-ask: one more round
        more = tmp_path / "res2.jsonl"
        _post_all(llama_server, requests, more)
        summary = replay(inputs, settings, results=[results, more], output=out)
        (record,) = _records(out)
    assert record["ok"], record.get("error")
    analysis = BatchRecord.model_validate(record).analysis
    assert analysis is not None and analysis.summary.text
    text = analysis.article.text
    for item in [*analysis.events, *analysis.stances]:
        for span in item.evidence:
            assert text[span.start : span.end] == span.text


def _post_all(base_url: str, requests: Path, results: Path) -> None:
    """What `vllm run-batch` does: send each request body, keep each answer by custom_id."""
    import urllib.request

    lines = []
    for line in requests.read_text().splitlines():
        request = json.loads(line)
        post = urllib.request.Request(
            base_url.removesuffix("/v1") + request["url"],
            data=json.dumps(request["body"]).encode(),
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(post, timeout=600) as reply:
            response = {"status_code": reply.status, "body": json.loads(reply.read())}
        lines.append(json.dumps({"custom_id": request["custom_id"], "response": response}))
    results.write_text("\n".join(lines) + "\n")
