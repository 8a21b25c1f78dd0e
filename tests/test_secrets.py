"""API keys never reach logs, reports, cache files, cache keys or error messages.

Every command runs with a sentinel key against the scripted server, whose errors echo
the Authorization header back (as some providers and proxies do), and with a base URL
that carries a second sentinel as its password. Then every file the runs wrote, and
everything they printed, is searched for any 12 characters of either sentinel.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer import Summarizer
from summarizer.errors import ModelError
from tests.conftest import ROOT
from tests.scripted_server import ScriptedServer, status

KEY = "sk-sentinel-" + secrets.token_hex(16)
PASSWORD = "pw" + secrets.token_hex(16)


def _leaks(data: bytes) -> list[str]:
    found = []
    for secret in (KEY, PASSWORD):
        for i in range(len(secret) - 12 + 1):
            if secret[i : i + 12].encode() in data:
                found.append(secret[i : i + 12])
                break
    return found


def _with_password(base_url: str) -> str:
    return base_url.replace("http://", f"http://user:{PASSWORD}@")


def test_no_file_or_message_of_a_run_holds_the_key(
    scripted: ScriptedServer, tmp_path: Path, seed_text: str
) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = {**os.environ, "OPENAI_API_KEY": KEY, "HOME": str(home), "XDG_CACHE_HOME": str(home)}
    endpoint = ("--base-url", scripted.base_url, "--model", "scripted")
    # A proxy with basic auth: the password is in the URL (httpx sends it as Basic auth).
    proxied = ("--base-url", _with_password(scripted.base_url), "--model", "scripted")
    printed: list[str] = []

    def run(*args: str, code: int = 0) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "summarizer", *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        printed.extend([done.stdout, done.stderr])
        assert done.returncode == code, done.stderr
        assert "Traceback" not in done.stderr

    article = work / "article.txt"
    article.write_text(seed_text, encoding="utf-8")
    # A result, printed both ways (the response cache is on by default, under HOME).
    run("analyze", str(article), *endpoint)
    run("analyze", str(article), *endpoint, "--json")
    run("analyze", str(article), *proxied, "--json", "--published", "2025-09-29")
    scripted.push(*[status(500)] * 2)
    run("analyze", str(article), *proxied, "--title", "y", "--transport-retries", "1", code=3)
    # A rejected key, and a server error, whose messages hold the key.
    scripted.push(status(401, echo_key=True))
    run("analyze", str(article), "--published", "2025-09-29", *endpoint, code=2)
    scripted.push(*[status(500, echo_key=True)] * 3)
    run("analyze", str(article), "--title", "x", *endpoint, "--transport-retries", "2", code=3)
    # A batch with failures, then resumed; a Batch API export.
    inputs = work / "in.jsonl"
    lines = [{"id": f"a{i}", "text": seed_text + (" BROKEN" if i == 1 else "")} for i in range(3)]
    inputs.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    scripted.rules["BROKEN"] = status(503, echo_key=True)
    batch = ("batch", str(inputs), "-o", str(work / "out.jsonl"), *endpoint)
    run(*batch, "--transport-retries", "0", code=1)
    scripted.rules.clear()
    run(*batch, "--resume")
    run("batch", "export", str(inputs), "-o", str(work / "requests.jsonl"), *endpoint)
    # An eval run: report, records, run metadata, and its own cache.
    fixtures = work / "fixtures"
    fixtures.mkdir()
    source = sorted((ROOT / "evals" / "fixtures").glob("*.json"))[0]
    (fixtures / source.name).write_bytes(source.read_bytes())
    run("eval", str(fixtures), "--out", str(work / "eval"), "--quiet", *endpoint)
    run("eval", "table", str(work / "eval"))

    # The key really was used: the search below would find nothing otherwise either.
    assert f"Bearer {KEY}" in scripted.keys and any(k.startswith("Basic") for k in scripted.keys)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite" for p in written)  # the cache was written
    assert {"out.jsonl", "requests.jsonl", "report.html", "items.jsonl"} <= {
        p.name for p in written
    }
    leaks = {str(p): _leaks(p.read_bytes()) for p in written}
    assert {p: found for p, found in leaks.items() if found} == {}
    assert _leaks("\n".join(printed).encode()) == []


def test_library_errors_and_debug_logs_hold_no_key(
    scripted: ScriptedServer, seed_text: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    scripted.push(status(401, echo_key=True))
    messages: list[str] = []
    with Summarizer(base_url=scripted.base_url, model="scripted", api_key=KEY) as client:
        try:
            client.analyze(seed_text)
        except Exception as exc:
            messages.append(f"{exc!s} {exc!r}")
        scripted.push(*[status(502)] * 2)
        other = Summarizer(
            base_url=_with_password(scripted.base_url),
            model="scripted",
            api_key=KEY,
            transport_retries=1,
            max_retry_wait=0.1,
        )
        with other, pytest.raises(ModelError) as caught:
            other.analyze(seed_text)
        messages.append(f"{caught.value!s} {caught.value!r} {caught.value.__cause__!s}")
        messages.append(repr(client))
    assert f"Bearer {KEY}" in scripted.keys
    assert "HTTP 401" in messages[0] and "HTTP 502" in messages[1]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert _leaks("\n".join(messages).encode()) == []
    assert _leaks(logged.encode()) == []
