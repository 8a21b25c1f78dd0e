"""The CI gate trips: each fault it guards against is planted in a copy of the committed
reference run, and ``summarizer eval compare`` must fail on it, naming what it found."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.evaluation.compare import compare_runs, config_diff
from summarizer.evaluation.fixtures import load_fixtures
from summarizer.evaluation.metrics import QUALITY, worst
from summarizer.evaluation.runner import ITEMS, SUMMARY, read_records, rescore

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "evals" / "reference" / "fixtures"
FIXTURES = ROOT / "evals" / "fixtures"


def gate(before: Path, after: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "summarizer", "eval", "compare", str(before), str(after)]
    return subprocess.run([*command, *extra], capture_output=True, text=True, timeout=120)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the reference run: the new run that a test spoils."""
    target = tmp_path / "run"
    shutil.copytree(REFERENCE, target)
    return target


def _lines(run: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (run / ITEMS).read_text().splitlines() if line]


def _write(run: Path, lines: list[dict[str, object]]) -> None:
    (run / ITEMS).write_text("".join(json.dumps(line) + "\n" for line in lines))


def test_the_reference_passes_against_itself(copy: Path) -> None:
    done = gate(REFERENCE, copy)
    assert done.returncode == 0, done.stderr
    assert "gate passed" in done.stdout


def test_one_failed_item_trips_the_gate_by_name(copy: Path) -> None:
    lines = _lines(copy)
    victim = next(line for line in lines if line["system"] == "pipeline" and line["ok"])
    # A failure as the runner records one: no answer, an error; rescoring scores it.
    victim.update(ok=False, error="no valid answer after 2 re-asks", error_type="OutputError")
    victim["prediction"] = None
    _write(copy, lines)
    rescore(copy, load_fixtures(FIXTURES))

    failed = next(r for r in read_records(copy) if r.item == victim["item"] and not r.ok)
    for key, value in failed.scores.items():
        if key in QUALITY and value is not None:
            assert value == worst(key), key  # never a gain: unsupported content is 1.0
    assert failed.scores["unsupported_rate"] == 1.0 and failed.scores["valid_rate"] == 0.0

    done = gate(REFERENCE, copy)
    assert done.returncode == 1
    assert f"failed in the new run, answered in the reference: {victim['item']}" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_item_trips_the_gate_either_way(copy: Path) -> None:
    lines = _lines(copy)
    gone = next(line["item"] for line in lines if line["system"] == "pipeline")
    _write(copy, [line for line in lines if line["item"] != gone])

    done = gate(REFERENCE, copy)
    assert done.returncode == 1 and f"missing from the new run: {gone}" in done.stderr
    done = gate(copy, REFERENCE)
    assert done.returncode == 1 and f"missing from the reference run: {gone}" in done.stderr


def test_a_drifted_setting_trips_the_gate_unless_allowed(copy: Path) -> None:
    summary = json.loads((copy / SUMMARY).read_text())
    config = summary["config"]["pipeline"]
    before = config["temperature"]
    config["temperature"] = before + 0.3
    (copy / SUMMARY).write_text(json.dumps(summary))

    done = gate(REFERENCE, copy)
    assert done.returncode == 1
    assert f"temperature: {before} → {before + 0.3}" in done.stderr
    assert "--allow-config-change" in done.stderr

    allowed = gate(REFERENCE, copy, "--allow-config-change")
    assert allowed.returncode == 0, allowed.stderr
    assert "configuration changed (allowed)" in allowed.stdout


def test_a_changed_prompt_is_a_changed_configuration(copy: Path) -> None:
    summary = json.loads((copy / SUMMARY).read_text())
    summary["config"]["pipeline"]["prompts"]["events"] = "0000000000"
    (copy / SUMMARY).write_text(json.dumps(summary))
    result = compare_runs(REFERENCE, copy)
    assert not result.passed
    assert any(c.startswith("prompts.events: ") for c in result.config_changes)


def test_another_judge_is_a_changed_configuration(copy: Path) -> None:
    summary = json.loads((copy / SUMMARY).read_text())
    summary["judge"] = {"model": "some-judge", "cost": {"calls": 3}}
    (copy / SUMMARY).write_text(json.dumps(summary))
    result = compare_runs(REFERENCE, copy)
    assert "judge.model: – → some-judge" in result.config_changes
    assert not any("cost" in c for c in result.config_changes)


def test_a_run_that_records_no_configuration_is_refused(copy: Path) -> None:
    summary = json.loads((copy / SUMMARY).read_text())
    summary["config"] = {}
    (copy / SUMMARY).write_text(json.dumps(summary))
    assert not compare_runs(REFERENCE, copy).passed


def test_the_reference_records_what_made_it() -> None:
    summary = json.loads((REFERENCE / SUMMARY).read_text())
    config = summary["config"]["pipeline"]
    assert {"model", "temperature", "summary", "prompts", "strategy"} <= set(config)
    assert "code" not in config and len(summary["code"]) == 16
    assert "api_key" not in json.dumps(summary)


def test_config_diff_names_nested_keys() -> None:
    assert config_diff({"a": 1, "p": {"x": "1"}}, {"a": 1, "p": {"x": "2"}, "b": True}) == [
        "b: – → true",
        "p.x: 1 → 2",
    ]
