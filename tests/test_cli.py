"""The command line, run as a user runs it: a real process, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer import Analysis
from tests.conftest import SEED
from tests.scripted_server import ScriptedServer, status


def run(
    *args: str, stdin: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    completed = subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        env=env,
    )
    return subprocess.CompletedProcess(
        completed.args,
        completed.returncode,
        completed.stdout.decode("utf-8", "replace"),
        completed.stderr.decode("utf-8", "replace"),
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int, message: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert message in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the article is empty"),
        (b"   \n\t\n", "the article is empty"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary file"),
        (b"Caf\xe9 au lait.", "not valid UTF-8"),
        (b'{"headline": "x"}', "text: Field required"),
        (b'{"text": "A.", "published": "2025-02-30"}', "invalid publication date"),
    ],
)
def test_bad_input_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    assert_clean_failure(run("analyze", str(path)), 2, message)


def test_missing_file() -> None:
    assert_clean_failure(run("analyze", "/no/such/article.txt"), 2, "no such file")


def test_invalid_date_option() -> None:
    assert_clean_failure(
        run("analyze", str(SEED), "--published", "2025-13-45"), 2, "invalid publication date"
    )


def test_unknown_model_without_endpoint() -> None:
    assert_clean_failure(run("analyze", str(SEED), "--model", "gpt-9"), 2, "unknown model 'gpt-9'")


def test_unreachable_endpoint() -> None:
    result = run(
        "analyze",
        str(SEED),
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--model",
        "m",
        "--transport-retries",
        "1",
    )
    assert_clean_failure(result, 3, "cannot connect to http://127.0.0.1:9/v1")


def test_invalid_option_value() -> None:
    result = run("analyze", str(SEED), "--strategy", "magic")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_json_output_through_an_endpoint(scripted: ScriptedServer) -> None:
    result = run("analyze", str(SEED), "--base-url", scripted.base_url, "--model", "m", "--json")
    assert result.returncode == 0, result.stderr
    analysis = Analysis.model_validate_json(result.stdout)
    assert analysis.events[0].actors == ["Choe Son-hui"]
    text = SEED.read_text(encoding="utf-8")
    assert analysis.article.text == text


def test_readable_output_from_stdin(scripted: ScriptedServer) -> None:
    data = json.dumps({"text": SEED.read_text(encoding="utf-8"), "title": "Choe in Beijing"})
    result = run(
        "analyze",
        "-",
        "--base-url",
        scripted.base_url,
        "--model",
        "m",
        "--claim",
        "Choe met Wang Yi",
        stdin=data.encode(),
    )
    assert result.returncode == 0, result.stderr
    for expected in ("Choe in Beijing", "Events", "Stances", "Claims", "agree", "2025-09-28"):
        assert expected in result.stdout


def test_model_failure_exit_code(scripted: ScriptedServer) -> None:
    scripted.push(*[status(500)] * 3)
    result = run(
        "analyze",
        str(SEED),
        "--base-url",
        scripted.base_url,
        "--model",
        "m",
        "--transport-retries",
        "1",
    )
    assert_clean_failure(result, 3, "HTTP 500")


def test_schema_check_passes_on_the_committed_files() -> None:
    assert run("schema", "--check").returncode == 0
