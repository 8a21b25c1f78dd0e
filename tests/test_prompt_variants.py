"""Prompt variants and several endpoints in one eval run.

`summarizer prompts copy` starts an edited copy; `pipeline:prompts=DIR` runs it beside
the shipped prompts; `pipeline:model=M:base_url=URL` adds an endpoint. Bad templates are
refused before any call; an API key is read from the variable a system names and never
written to the run's files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer import ConfigError, Settings
from summarizer.evaluation.systems import make_system, variant, variant_parts
from summarizer.prompts import GIVEN, TEMPLATES, load_prompts
from summarizer.resources import data_dir
from tests.scripted_server import ScriptedServer

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "evals" / "fixtures"
SHORTEST = "sports-varno-marathon-record.json"


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def _copy(folder: Path, keep: tuple[str, ...]) -> Path:
    done = _cli("prompts", "copy", str(folder))
    assert done.returncode == 0, done.stderr
    for path in folder.glob("*.j2"):
        if path.stem not in keep:
            path.unlink()
    return folder


def test_the_shipped_templates_use_only_what_the_pipeline_gives_them() -> None:
    import jinja2
    from jinja2 import meta

    env = jinja2.Environment()
    for name in TEMPLATES:
        source = (data_dir("prompts") / f"{name}.j2").read_text("utf-8")
        assert meta.find_undeclared_variables(env.parse(source)) <= GIVEN[name], name


def test_copy_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    folder = _copy(tmp_path / "p", TEMPLATES)
    again = _cli("prompts", "copy", str(folder))
    assert again.returncode == 2 and "pass --force" in again.stderr
    assert _cli("prompts", "copy", str(folder), "--force").returncode == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("summary", "Summarise. {{ nonsense }}", "uses nonsense, which the pipeline does not give"),
        ("events", "{% if title %}", "template syntax error"),
        ("sumary", "Summarise.", "not a template the pipeline uses"),
        ("events", "{% include 'missing.j2' %}", "includes missing.j2, which does not exist"),
    ],
)
def test_a_bad_template_is_refused_before_any_call(
    scripted: ScriptedServer, tmp_path: Path, name: str, content: str, message: str
) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / f"{name}.j2").write_text(content, encoding="utf-8")
    done = _cli(
        "eval", str(FIXTURES), "--limit", "1", "--systems", f"pipeline,pipeline:prompts={folder}",
        "--base-url", scripted.base_url, "--model", "scripted", "--no-cache", "--quiet",
        "--out", str(tmp_path / "run"),
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert scripted.requests == []


def test_an_empty_or_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="prompt folder not found"):
        load_prompts(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="has no templates"):
        load_prompts(tmp_path / "empty")


def test_variant_specs_keep_a_urls_colons_and_read_keys_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = "pipeline:name=other:model=m-2:base_url=http://127.0.0.1:8011/v1:api_key_env=K_2"
    assert variant_parts(spec) == {
        "name": "other",
        "model": "m-2",
        "base_url": "http://127.0.0.1:8011/v1",
        "api_key_env": "K_2",
    }
    with pytest.raises(ConfigError, match="environment variable K_2 is not set"):
        variant(spec, Settings())
    monkeypatch.setenv("K_2", "sk-secret")
    changed = variant(spec, Settings())
    assert changed.base_url == "http://127.0.0.1:8011/v1" and changed.model == "m-2"
    assert changed.api_key is not None and changed.api_key.get_secret_value() == "sk-secret"
    assert make_system(spec, Settings()).name == "other"
    with pytest.raises(ConfigError, match="bad variant"):
        variant_parts("pipeline:nonsense=1")


def test_endpoints_keys_stay_out_of_run_files(scripted: ScriptedServer, tmp_path: Path) -> None:
    out = tmp_path / "run"
    spec = (
        f"pipeline:name=scripted:model=scripted:base_url={scripted.base_url}:api_key_env=EVAL_KEY"
    )
    done = _cli(
        "eval", str(FIXTURES), "--limit", "1", "--systems", f"{spec},lead3",
        "--no-cache", "--quiet", "--out", str(out), env={"EVAL_KEY": "sk-very-secret-123"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert scripted.requests
    assert all(h == "Bearer sk-very-secret-123" for h in scripted.keys)
    for path in out.iterdir():
        assert "sk-very-secret-123" not in path.read_text(encoding="utf-8"), path.name
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["systems"]) == {"scripted", "lead3"}


@pytest.mark.slow
def test_one_run_compares_prompts_an_edited_copy_and_two_endpoints(
    llama_server: str, tmp_path: Path
) -> None:
    folder = _copy(tmp_path / "edited", ("summary",))
    summary_template = folder / "summary.j2"
    summary_template.write_text(
        summary_template.read_text() + "Write the headline in at most eight words.\n"
    )
    out = tmp_path / "run"
    # The shortest fixture, and the rules for events on the server too: one summary call
    # per system keeps the test to about a minute on 2 cores.
    items = tmp_path / "items"
    items.mkdir()
    (items / SHORTEST).write_bytes((FIXTURES / SHORTEST).read_bytes())
    systems = ",".join(
        [
            "pipeline",
            f"pipeline:name=edited:prompts={folder}",
            f"pipeline:name=server:model=smollm2-135m-instruct:base_url={llama_server}"
            ":extractor=rule",
        ]
    )
    done = _cli(
        "eval", str(items), "--systems", systems, "--out", str(out), "--no-cache", "--quiet",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    run = json.loads((out / "summary.json").read_text())
    assert list(run["systems"]) == ["pipeline", "edited", "server"]
    for name in run["systems"]:
        assert run["systems"][name]["valid_rate"] == 1.0, name
    config = run["config"]
    assert config["edited"]["prompts"]["summary"] != config["pipeline"]["prompts"]["summary"]
    assert config["edited"]["prompts"]["events"] == config["pipeline"]["prompts"]["events"]
    assert config["server"]["base_url"] == llama_server
    assert config["server"]["backend"] == "openai" and config["pipeline"]["backend"] == "embedded"
    assert list(run["prompt_diffs"]) == ["edited"]
    assert "+Write the headline in at most eight words." in run["prompt_diffs"]["edited"]["summary"]
    records = [json.loads(line) for line in (out / "items.jsonl").read_text().splitlines()]
    assert {r["system"] for r in records} == {"pipeline", "edited", "server"}
