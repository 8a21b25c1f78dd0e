"""Crash safety of batch runs: a 1,000-article run against a loopback server (in its own
process) is killed with SIGKILL at random moments and resumed, 20 times over; then a last
``--resume`` runs to the end.

After every kill, each complete line of the output must be a valid record and no id may
appear twice; only the last line may be cut short (the test also cuts one now and then,
as a machine crash could). At the end, there must be exactly one record per input, in
input order, failed only for the inputs that are meant to fail.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from summarizer import BatchRecord, Settings, run_batch
from tests.conftest import ROOT, SEED
from tests.scripted_server import ScriptedServer

ARTICLES = 1000
KILLS = 20
# At least this many kills must land while the run is still going, or nothing was tested.
KILLS_IN_PROGRESS = 15
# The server's answers take LATENCY s and CONCURRENCY requests are in flight: at most
# CONCURRENCY / LATENCY / 3 = 33 articles/s, so a cycle (1 to 2 s of it is the
# interpreter starting) makes only part of the run, however fast the machine is.
LATENCY = 0.04
CONCURRENCY = 4
KILL_AFTER = (0.2, 4.0)  # seconds after the start, uniformly
# Inputs meant to fail, by line: what each line is.
BAD = {
    38: json.dumps({"id": "bad-empty", "text": ""}),
    151: json.dumps({"id": "bad-blank", "text": "   \n  "}),
    334: "{this is not json",
    513: json.dumps(["an", "array"]),
    778: json.dumps({"id": "bad-extra", "text": "Some text. More text.", "colour": "red"}),
    1000: json.dumps({"id": "bad-no-text", "title": "A title and nothing else"}),
}


def _sentences() -> list[str]:
    body = SEED.read_text(encoding="utf-8").split("\n", 1)[1]
    return [s for s in re.split(r"(?<=[.])\s+", body.strip()) if len(s) > 30]


def _write_inputs(path: Path) -> list[str]:
    """ARTICLES lines, the BAD ones among them; every line's id, in order."""
    sentences = _sentences()
    ids: list[str] = []
    lines: list[str] = []
    for line in range(1, ARTICLES + 1):
        if line in BAD:
            lines.append(BAD[line])
            try:
                value = json.loads(BAD[line])
            except ValueError:
                value = None
            # Where a line gives no id, its record's id is line-N.
            ids.append(value["id"] if isinstance(value, dict) else f"line-{line}")
            continue
        # Short and all different: 2 to 5 sentences, in varied choices and order.
        picked = [sentences[(line * 7 + k * 3) % len(sentences)] for k in range(2 + line % 4)]
        text = f"Report number {line} came in on time. " + " ".join(picked)
        ids.append(f"art-{line:04d}")
        lines.append(json.dumps({"id": ids[-1], "text": text, "title": f"Report {line}"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ids


@contextmanager
def _loopback_server(latency: float) -> Iterator[str]:
    """tests/scripted_server.py as a process of its own (as scripts/bench.py runs it)."""
    with subprocess.Popen(
        [sys.executable, "-m", "tests.scripted_server", "--latency", str(latency)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            base_url = process.stdout.readline().strip()
            assert base_url.startswith("http://127.0.0.1:"), base_url
            yield base_url
        finally:
            process.terminate()
            process.wait(timeout=10)


@dataclass
class Seen:
    """What a killed run left in the output."""

    records: list[BatchRecord]
    tail: bytes  # after the last newline: a line cut short, if any

    @property
    def torn(self) -> bool:
        return self.tail != b""

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.records]


def _inspect(out: Path, line_of: dict[str, int]) -> Seen:
    """The output's complete lines, each a valid record of an input, no id twice; only
    the last line may be incomplete."""
    data = out.read_bytes() if out.exists() else b""
    *complete, tail = data.split(b"\n")  # tail: b"" when the file ends with a newline
    records = []
    for number, raw in enumerate(complete, 1):
        try:
            records.append(BatchRecord.model_validate_json(raw))
        except ValueError as exc:
            raise AssertionError(f"{out} line {number} is not a valid record: {exc}") from None
    ids = [r.id for r in records]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"ids recorded twice: {twice[:10]}"
    for record in records:
        assert line_of.get(record.id) == record.line, f"{record.id} is not line {record.line}"
        assert record.ok == (record.analysis is not None)
    return Seen(records, tail)


def _command(inputs: Path, out: Path, base_url: str, cache: Path | None) -> list[str]:
    return [
        *(sys.executable, "-m", "summarizer", "batch", str(inputs), "-o", str(out), "--resume"),
        *("-j", str(CONCURRENCY), "-q", "--base-url", base_url, "--model", "scripted"),
        *(("--cache", str(cache)) if cache else ("--no-cache",)),
    ]


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_batch_killed_20_times_then_resumed_has_one_record_per_input(tmp_path: Path) -> None:
    inputs, out, cache = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "cache.sqlite"
    ids = _write_inputs(inputs)
    bad = {ids[line - 1] for line in BAD}
    line_of = {found: line for line, found in enumerate(ids, 1)}
    rng = random.Random(20250929)
    started = time.monotonic()
    in_progress = torn = cut = 0
    progress: list[str] = []

    with _loopback_server(LATENCY) as base_url:
        before = 0  # successful records after the last cycle
        left = b""  # the line the test cut short, until a run drops it
        for cycle in range(1, KILLS + 1):
            # Mostly with the response cache (SQLite killed mid-write too), sometimes not.
            use_cache = cycle % 4 != 0
            kill_at = rng.uniform(*KILL_AFTER)
            process = subprocess.Popen(
                _command(inputs, out, base_url, cache if use_cache else None),
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            deadline = time.monotonic() + kill_at
            while time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.005)
            running = process.poll() is None
            process.send_signal(signal.SIGKILL)
            _, stderr = process.communicate(timeout=30)
            if not running:
                # It finished (exit 1: the bad inputs failed) before the kill.
                assert process.returncode in (0, 1), stderr.decode(errors="replace")
            seen = _inspect(out, line_of)
            by_kill = seen.torn and seen.tail != left
            torn += by_kill
            finished = set(seen.ids) == set(ids)
            in_progress += running and not finished
            ok = sum(r.ok for r in seen.records)
            progress.append(
                f"cycle {cycle:2}: kill at {kill_at:.2f} s{'' if running else ' (had exited)'}"
                f"{', cache' if use_cache else ''}: {len(seen.records)} records, {ok} ok "
                f"(+{ok - before}){', last line cut short' if by_kill else ''}"
            )
            before = ok
            if cycle % 5 == 2 and seen.records and not seen.torn:
                # Each record is one write(), which a SIGKILL next to never splits; a
                # machine crash can leave half of it: so cut the last line now and then.
                data = out.read_bytes()
                start = data.rstrip(b"\n").rfind(b"\n") + 1
                end = start + (len(data) - start) // 2
                os.truncate(out, end)
                left = data[start:end]
                before -= seen.records[-1].ok
                cut += 1
                progress[-1] += f", then cut short ({seen.records[-1].id})"

        final = subprocess.run(
            _command(inputs, out, base_url, cache),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    seconds = time.monotonic() - started
    print()
    print("\n".join(progress))
    print(
        f"{in_progress} of {KILLS} kills while the run went on; {torn} left a line cut "
        f"short ({cut} more lines cut by the test); {seconds:.1f} s in all"
    )

    # The bad inputs failed: exit status 1, and the rest is done.
    assert final.returncode == 1, final.stderr
    seen = _inspect(out, line_of)
    assert not seen.torn
    assert not out.with_name(out.name + ".compacting").exists()
    assert seen.ids == ids  # one record per input, in input order
    assert {r.id for r in seen.records if not r.ok} == bad
    assert all(r.error_type == "InputError" for r in seen.records if not r.ok)
    with closing(sqlite3.connect(cache)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert in_progress >= KILLS_IN_PROGRESS, "the runs finished before most kills"


def test_a_resumed_run_puts_records_back_in_input_order(
    scripted: ScriptedServer, tmp_path: Path
) -> None:
    """The failed item of the first run ran again after the records kept; the file ends
    in input order anyway (fast: the in-process server, no kill)."""
    inputs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [json.dumps({"id": "a", "text": "One thing. Another thing."}), BAD[38]]
    lines.append(json.dumps({"id": "c", "text": "A third thing. And a fourth."}))
    inputs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(base_url=scripted.base_url, model="scripted")
    run_batch(inputs, out, settings=settings)
    summary = run_batch(inputs, out, resume=True, settings=settings)
    assert (summary.kept, summary.failed) == (2, 1)
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == [
        "a",
        "bad-empty",
        "c",
    ]
