"""The bad-input corpus: a clear error and a non-zero exit, or a valid result; never a
traceback, never a hang.

Each case of ``tests/bad_inputs/cases.json`` runs the real CLI as a process against the
scripted loopback server. The inputs too big to commit are generated here, from
committed text, the same way every time.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import Analysis
from summarizer.article import SEGMENT_WINDOW_CHARS, _located, _segmenter, _segments
from summarizer.schema import Span
from tests.conftest import SEED
from tests.scripted_server import ScriptedServer

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES: list[dict[str, Any]] = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))[
    "cases"
]
# A hang fails the case instead of the whole run.
TIMEOUT_S = 120


def news_1mb(path: Path) -> None:
    """About 1 MB of news paragraphs, drawn from the reference article in a fixed order."""
    path.write_text("\n\n".join(_news_paragraphs(1_000_000)) + "\n", encoding="utf-8")


def wall_of_text_1mb(path: Path) -> None:
    """The same 1 MB with its paragraph breaks lost, as from a PDF or a scraper."""
    path.write_text(" ".join(_news_paragraphs(1_000_000)) + "\n", encoding="utf-8")


def _news_paragraphs(size_bytes: int) -> list[str]:
    paragraphs = [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n")]
    paragraphs = [p for p in paragraphs[1:] if p]  # the first starts with a date header
    rng = random.Random(1)
    out: list[str] = []
    size = 0
    while size < size_bytes:
        paragraph = rng.choice(paragraphs)
        if len(out) % 10 == 0:
            paragraph = f"UPDATE {len(out) // 10 + 1}, {rng.randrange(24):02d}:00 GMT — {paragraph}"
        out.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    return out


def many_short_lines(path: Path) -> None:
    """A live ticker of 30,000 short lines in one paragraph, most of them repeated."""
    ticker = [
        "Live: crowds gather outside parliament",
        "Police close Westminster Bridge",
        "Vote expected within the hour",
        "Speaker calls for order",
        "Result: 312 for, 297 against",
        "Prime minister leaves Downing Street",
        "Markets react",
        "Pound rises 0.4%",
    ]
    rng = random.Random(2)
    lines = [
        f"{rng.randrange(24):02d}:{rng.randrange(60):02d}" if n % 50 == 0 else rng.choice(ticker)
        for n in range(30_000)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def over_20mb(path: Path) -> None:
    """One byte over the input limit; sparse, so it costs no disk."""
    with path.open("wb") as handle:
        handle.truncate(20_000_001)


GENERATORS: dict[str, Callable[[Path], None]] = {
    "news_1mb": news_1mb,
    "wall_of_text_1mb": wall_of_text_1mb,
    "many_short_lines": many_short_lines,
    "over_20mb": over_20mb,
}


def run_cli(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "summarizer", *args],
            input=stdin if stdin is not None else b"",
            capture_output=True,
            timeout=TIMEOUT_S,
            env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"no answer within {TIMEOUT_S} s: summarizer {' '.join(args)}")
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


@pytest.fixture
def case_path(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    case: dict[str, Any] = request.param
    if "generate" in case:
        path = tmp_path / case["file"]
        GENERATORS[case["generate"]](path)
        yield path
    elif case.get("absent"):
        yield tmp_path / case["file"]
    else:
        yield CORPUS / case["file"]


def decoded(data: bytes) -> str:
    """The input's text as the CLI should read it: UTF-16 after its mark, else UTF-8."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def spans(analysis: Analysis) -> Iterator[Span]:
    for point in analysis.summary.key_points:
        yield from point.evidence
    for event in analysis.events:
        yield from event.evidence
    for stance in analysis.stances:
        yield from stance.evidence
    for claim in analysis.claims:
        yield from claim.evidence


def assert_valid_analysis(analysis: Analysis, expect: dict[str, Any], source: str | None) -> None:
    text = analysis.article.text
    assert analysis.article.sentences >= 1
    found = list(spans(analysis))
    assert found, "a valid result cites the article"
    for span in found:
        assert span.text, span
        assert text[span.start : span.end] == span.text, span
    if expect.get("same_text"):
        assert source is not None and text == source
    for wanted in expect.get("text_has", []):
        assert wanted in text
    for unwanted in expect.get("text_lacks", []):
        assert unwanted not in text


def assert_one_clear_line(stderr: str, expected: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert expected in lines[0], stderr
    assert len(lines[0]) < 300, stderr


def endpoint(scripted: ScriptedServer) -> list[str]:
    return ["--base-url", scripted.base_url, "--model", "scripted"]


@pytest.mark.parametrize(
    ("case", "case_path"),
    [(c, c) for c in CASES if c["feed"] in ("analyze", "stdin")],
    ids=[c["id"] for c in CASES if c["feed"] in ("analyze", "stdin")],
    indirect=["case_path"],
)
def test_analyze(case: dict[str, Any], case_path: Path, scripted: ScriptedServer) -> None:
    expect = case["expect"]
    extra = [*case.get("args", []), *endpoint(scripted), "--json"]
    if case["feed"] == "stdin":
        result = run_cli(["analyze", "-", *extra], stdin=case_path.read_bytes())
    else:
        result = run_cli(["analyze", str(case_path), *extra])
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == expect["exit"], result.stderr
    if expect["exit"] == 0:
        assert result.stderr == ""
        source = decoded(case_path.read_bytes()) if case_path.suffix == ".txt" else None
        assert_valid_analysis(Analysis.model_validate_json(result.stdout), expect, source)
    else:
        assert result.stdout == ""
        assert_one_clear_line(result.stderr, expect["error_contains"])


@pytest.mark.parametrize(
    ("case", "case_path"),
    [(c, c) for c in CASES if c["feed"] == "batch"],
    ids=[c["id"] for c in CASES if c["feed"] == "batch"],
    indirect=["case_path"],
)
def test_batch(
    case: dict[str, Any], case_path: Path, scripted: ScriptedServer, tmp_path: Path
) -> None:
    expect = case["expect"]
    out = tmp_path / "out.jsonl"
    result = run_cli(["batch", "run", str(case_path), "-o", str(out), "-q", *endpoint(scripted)])
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == expect["exit"], result.stderr
    if "error_contains" in expect:
        assert_one_clear_line(result.stderr, expect["error_contains"])
        return
    inputs = {
        n: line for n, line in enumerate(case_path.read_bytes().split(b"\n"), 1) if line.strip()
    }
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in records] == [r["line"] for r in expect["records"]]
    assert sorted(inputs) == [r["line"] for r in records]
    for record, wanted in zip(records, expect["records"], strict=True):
        assert record["ok"] is wanted["ok"], record
        if wanted["ok"]:
            analysis = Analysis.model_validate(record["analysis"])
            source = json.loads(inputs[record["line"]])["text"]
            assert_valid_analysis(analysis, {"same_text": True}, source)
        else:
            assert record["error_type"] == "InputError", record
            assert "\n" not in record["error"] and wanted["error_contains"] in record["error"]
    if any(not r["ok"] for r in records):
        assert "item(s) failed" in result.stderr


def test_the_corpus_is_complete() -> None:
    """Every committed input has a case, every case's input is there, and ids are unique."""
    committed = {p.name for p in CORPUS.iterdir()} - {"cases.json", ".gitattributes"}
    used = {c["file"] for c in CASES if "generate" not in c and not c.get("absent")}
    assert committed == used
    assert len(committed) >= 25
    assert all(not (CORPUS / c["file"]).exists() for c in CASES if c.get("absent"))
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert set(GENERATORS) == {c["generate"] for c in CASES if "generate" in c}


def test_a_long_paragraph_is_split_as_pysbd_splits_it_whole() -> None:
    """pysbd gets a long paragraph a window at a time (it is quadratic): same sentences."""
    paragraphs = [" ".join(p.split()) for p in SEED.read_text(encoding="utf-8").split("\n\n")]
    text = " ".join(paragraphs[1:] * 5)
    assert len(text) > 2 * SEGMENT_WINDOW_CHARS
    english = _segmenter("en")
    whole = list(_located(text, 0, len(text), english))
    assert list(_segments(text, 0, len(text), english)) == whole
