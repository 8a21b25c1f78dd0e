"""Batch-API files: scale out to OpenAI's Batch API or ``vllm run-batch``.

``export`` writes every model request a set of articles needs as a Batch API input file
(one ``{"custom_id", "method", "url", "body"}`` per line). The engine answers it in a
results file; ``import`` reads that back and sends each answer through the same
validation, citation checks and grounding as a live call, by driving the same plan
with answers looked up by ``custom_id`` (a hash of the request body, so the same
request always has the same id).

Most articles finish in one round. A re-ask needs the failed answer first, and a long
article's reduce step needs its chunks' summaries, so ``import`` also writes the
requests still missing: send that file as the next round and import again with all
results files so far. Export and import must use the same settings (model, strategy,
mode, token limits); the request bodies, and so their ids, depend on them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import instructor
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from summarizer.backends.modes import choose_mode
from summarizer.batch import BatchItem, read_items, scan_ids
from summarizer.cache import cache_key
from summarizer.calls import CallLog, CallRequest
from summarizer.errors import InputError, SummarizerError
from summarizer.pipeline import Pipeline
from summarizer.schema import BatchRecord, Usage
from summarizer.settings import BackendName, Settings

REQUEST_URL = "/v1/chat/completions"


def request_id(body: dict[str, Any]) -> str:
    return "req-" + cache_key(body)[:32]


class PendingRequests(SummarizerError):
    """Requests whose answers are not in the results yet (internal to a replay)."""

    def __init__(self, bodies: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(bodies)} request(s) not answered yet")
        self.bodies = bodies


class ReplayBackend:
    """A backend that answers from a results file and reports what it lacks."""

    parallel = False
    name: BackendName = "openai"

    def __init__(self, settings: Settings, answers: dict[str, dict[str, Any]]) -> None:
        self.model = settings.model_name
        self.mode: instructor.Mode = choose_mode(settings.mode)
        self.context_tokens = settings.context_tokens
        self._answers = answers

    def complete(self, request: dict[str, Any]) -> ChatCompletion:
        body = {"model": self.model, **request}
        found = self._answers.get(request_id(body))
        if found is None:
            raise PendingRequests([body])
        # A fresh object per use: the caller repairs answers in place.
        return ChatCompletion.model_validate(found)

    async def acomplete(self, request: dict[str, Any]) -> ChatCompletion:
        return self.complete(request)

    def count_tokens(self, text: str) -> int:
        # As for any endpoint (backends.http): the same chunks at export and at import.
        return len(text) // 3 + 1

    def close(self) -> None:
        """Nothing to release."""

    async def aclose(self) -> None:
        """Nothing to release."""


@dataclass
class RoundSummary:
    """One export or import: what finished, failed, and still waits for answers."""

    items: int = 0
    finished: int = 0
    failed: int = 0
    pending: int = 0
    requests: int = 0
    results: int = 0
    result_errors: int = 0
    usage: Usage = field(default_factory=Usage)


def read_results(paths: Iterable[Path]) -> tuple[dict[str, dict[str, Any]], int, int]:
    """Successful answers by custom_id, the number read, and the number that failed."""
    answers: dict[str, dict[str, Any]] = {}
    read = failed = 0
    for path in paths:
        if not path.is_file():
            raise InputError(f"no such results file: {path}")
        with path.open(encoding="utf-8") as handle:
            for number, text in enumerate(handle, 1):
                if not text.strip():
                    continue
                try:
                    line = json.loads(text)
                    custom_id = line["custom_id"]
                    response = line.get("response") or {}
                except (ValueError, KeyError, TypeError, AttributeError):
                    raise InputError(
                        f"{path}:{number} is not a Batch API result line "
                        '({"custom_id": ..., "response": {"status_code": ..., "body": ...}})'
                    ) from None
                read += 1
                body = response.get("body")
                if line.get("error") or response.get("status_code") != 200 or not body:
                    failed += 1  # asked again in the next round
                    continue
                answers[str(custom_id)] = body
    return answers, read, failed


def replay(
    input_path: Path,
    settings: Settings,
    *,
    results: Iterable[Path] = (),
    output: Path | None = None,
    requests_out: Path | None = None,
) -> RoundSummary:
    """Answer every article from ``results``; write records and the requests still needed."""
    scan_ids(input_path)
    answers, read, errors = read_results(results)
    pipeline = Pipeline(settings, ReplayBackend(settings, answers))
    summary = RoundSummary(results=read, result_errors=errors)
    written: set[str] = set()
    with _open(output) as records, _open(requests_out) as requests:
        for item in read_items(input_path):
            summary.items += 1
            record, missing = _replay_one(pipeline, item)
            if missing:
                summary.pending += 1
                for body in missing:
                    custom_id = request_id(body)
                    if requests is not None and custom_id not in written:
                        written.add(custom_id)
                        line = {"custom_id": custom_id, "method": "POST", "url": REQUEST_URL}
                        requests.write(json.dumps({**line, "body": body}) + "\n")
            elif record.ok:
                summary.finished += 1
            else:
                summary.failed += 1
            summary.usage = summary.usage + record.usage
            if records is not None:
                records.write(record.model_dump_json() + "\n")
    summary.requests = len(written)
    return summary


def _replay_one(pipeline: Pipeline, item: BatchItem) -> tuple[BatchRecord, list[dict[str, Any]]]:
    """The item's record, and the request bodies it still waits for (if any)."""
    if item.article is None:
        return item.unreadable(), []

    def answer(wave: list[CallRequest], log: CallLog) -> list[BaseModel]:
        # Every request of the wave, so that one round asks for all the missing answers.
        drafts: list[BaseModel] = []
        missing: list[dict[str, Any]] = []
        for request in wave:
            try:
                drafts.append(pipeline.caller.call(request, log))
            except PendingRequests as pending:
                missing += pending.bodies
        if missing:
            raise PendingRequests(missing)
        return drafts

    try:
        analysis = pipeline.run_with(item.article, item.claims, answer)
    except PendingRequests as pending:
        waiting = BatchRecord(
            id=item.id,
            line=item.line,
            ok=False,
            error=f"waiting for {len(pending.bodies)} answer(s) from the next round",
            error_type="Pending",
        )
        return waiting, pending.bodies
    except SummarizerError as exc:
        return item.failed(exc), []
    return item.done(analysis), []


def _open(path: Path | None) -> Any:
    if path is None:
        return nullcontext()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("w", encoding="utf-8")
