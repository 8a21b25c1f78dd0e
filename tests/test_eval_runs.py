"""Eval runs end to end against the scripted server: records, failures, cache, resume,
report and the compare gate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.cache import ResponseCache
from summarizer.evaluation.compare import compare_runs
from summarizer.evaluation.fixtures import Fixture, GoldClaim, GoldEvent, KeyFact, dump_fixture
from summarizer.evaluation.report import write_report
from summarizer.evaluation.runner import (
    ItemRecord,
    RunSummary,
    aggregate,
    calibration,
    read_records,
    run_eval,
)
from summarizer.evaluation.scorers import CLAIM_LABELS
from summarizer.evaluation.systems import make_system
from summarizer.schema import ClaimLabel
from summarizer.settings import load_settings
from tests.scripted_server import ScriptedServer, raw, status


def fixtures(seed_text: str) -> list[Fixture]:
    common = {
        "source": "test",
        "topic": "diplomacy",
        "text": seed_text,
        "references": ["Choe Son-hui met Wang Yi in Beijing on Sunday."],
        "key_facts": [KeyFact(fact="met Wang Yi", wordings=["met Wang Yi"])],
        "aliases": {"Choe Son-hui": ["Choe"]},
        "events": [
            GoldEvent(
                actors=["Choe Son-hui"],
                action="met",
                targets=["Wang Yi"],
                location="Beijing",
                status="happened",
            )
        ],
    }
    claims = [GoldClaim(claim="Choe met Wang Yi", label="agree")]
    return [
        Fixture.model_validate({"id": "a", **common}),
        Fixture.model_validate(
            {"id": "b", **common, "claims": claims, "labelled": ["summary", "events", "claims"]}
        ),
    ]


def systems(server: ScriptedServer, names: tuple[str, ...] = ("pipeline", "lead3")) -> list:  # type: ignore[type-arg]
    settings = load_settings(
        base_url=server.base_url, model="scripted", transport_retries=0, reasks=0, timeout=5
    )
    return [make_system(n, settings) for n in names]


def test_run_records_scores_and_reports(
    scripted: ScriptedServer, seed_text: str, tmp_path: Path
) -> None:
    items = fixtures(seed_text)
    summary = run_eval(items, systems(scripted), tmp_path, cache=None)
    records = read_records(tmp_path)
    assert sorted((r.system, r.item) for r in records) == [
        ("lead3", "a"),
        ("lead3", "b"),
        ("pipeline", "a"),
        ("pipeline", "b"),
    ]
    pipeline = summary.systems["pipeline"]
    assert pipeline["event_f1"] == 1.0 and pipeline["evidence_exact"] == 1.0
    assert pipeline["key_fact_recall"] == 1.0 and pipeline["fnc1_relative"] == 1.0
    assert summary.systems["lead3"].get("event_f1") == 0.0
    assert json.loads((tmp_path / "summary.json").read_text())["model_calls"] == 7
    report = write_report(tmp_path, summary, records, items).read_text()
    assert "<mark>" in report and "Choe Son-hui" in report and "pipeline" in report


def test_a_failed_item_is_recorded_and_the_run_goes_on(
    scripted: ScriptedServer, seed_text: str, tmp_path: Path
) -> None:
    scripted.push(status(500))  # the first request of the first item
    summary = run_eval(fixtures(seed_text), systems(scripted, ("pipeline",)), tmp_path)
    failed = [r for r in read_records(tmp_path) if not r.ok]
    assert len(failed) == 1 and failed[0].error_type == "EndpointError"
    assert "HTTP 500" in (failed[0].error or "")
    pipeline = summary.systems["pipeline"]
    assert pipeline["failed_rate"] == 0.5 and pipeline["valid_rate"] == 0.5
    # A failed item counts, at the worst value of every quality metric: never a gain.
    assert pipeline["event_recall"] == 0.5
    answered = next(r for r in read_records(tmp_path) if r.ok).scores
    assert pipeline["unsupported_rate"] == pytest.approx(
        ((answered["unsupported_rate"] or 0) + 1) / 2
    )
    assert pipeline["rouge1"] == pytest.approx((answered["rouge1"] or 0) / 2)


def test_cache_makes_a_rerun_call_nothing(
    scripted: ScriptedServer, seed_text: str, tmp_path: Path
) -> None:
    cache = ResponseCache(tmp_path / "cache.sqlite")
    first = run_eval(fixtures(seed_text), systems(scripted), tmp_path / "1", cache=cache)
    sent = len(scripted.requests)
    second = run_eval(fixtures(seed_text), systems(scripted), tmp_path / "2", cache=cache)
    assert first.model_calls == 7 and second.model_calls == 0
    assert len(scripted.requests) == sent
    assert cache.hits == 4 and cache.misses == 4
    assert all(r.cached for r in read_records(tmp_path / "2"))
    assert second.systems == first.systems


def test_the_models_failures_are_cached_but_endpoint_failures_are_not(
    scripted: ScriptedServer, seed_text: str, tmp_path: Path
) -> None:
    cache = ResponseCache(tmp_path / "cache.sqlite")
    items = fixtures(seed_text)
    # Item a: an answer that fails validation (reasks=0): the model's own failure.
    # Item b: HTTP 500 with no retries left: the endpoint's.
    scripted.push(raw('{"key_points": "not a list"}'), status(500))
    first = run_eval(items, systems(scripted, ("pipeline",)), tmp_path / "1", cache=cache)
    errors = {r.item: r.error_type for r in read_records(tmp_path / "1")}
    assert errors == {"a": "OutputError", "b": "EndpointError"}
    sent = len(scripted.requests)
    second = run_eval(items, systems(scripted, ("pipeline",)), tmp_path / "2", cache=cache)
    again = {r.item: r for r in read_records(tmp_path / "2")}
    assert again["a"].cached and not again["a"].ok and again["a"].error_type == "OutputError"
    assert again["b"].ok and not again["b"].cached  # asked again, and answered this time
    assert second.model_calls == len(scripted.requests) - sent == 4
    assert first.systems["pipeline"]["failed_rate"] == 1.0


def test_resume_reruns_only_failed_and_missing_items(
    scripted: ScriptedServer, seed_text: str, tmp_path: Path
) -> None:
    items = fixtures(seed_text)
    scripted.push(status(500))
    run_eval(items, systems(scripted, ("pipeline",)), tmp_path)
    with (tmp_path / "items.jsonl").open("a") as f:
        f.write('{"system": "pipeline", "item": "b", "ok": tr')  # a line cut by a crash
    before = len(scripted.requests)
    run_eval(items, systems(scripted, ("pipeline",)), tmp_path, resume=True)
    records = read_records(tmp_path)
    assert sorted((r.item, r.ok) for r in records) == [("a", True), ("b", True)]
    assert len(scripted.requests) - before == 3  # only item a ran again


def _fake_run(folder: Path, rouge: list[float]) -> None:
    folder.mkdir()
    records = [
        ItemRecord(system="pipeline", item=f"i{i}", ok=True, scores={"rouge1": v, "event_f1": 0.5})
        for i, v in enumerate(rouge)
    ]
    with (folder / "items.jsonl").open("w") as f:
        for record in records:
            f.write(record.model_dump_json() + "\n")
    summary = RunSummary(
        started="2026-12-02T00:00:00",
        seconds=1.0,
        items=len(records),
        systems=aggregate(records),
        settings={},
        cache=None,
        model_calls=0,
        config={"pipeline": {"model": "m", "temperature": 0.0}},
    )
    (folder / "summary.json").write_text(summary.model_dump_json())


def test_compare_flags_a_regression_and_gates_the_cli(tmp_path: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    _fake_run(good, [0.40 + 0.01 * (i % 5) for i in range(30)])
    _fake_run(bad, [0.30 + 0.01 * (i % 5) for i in range(30)])
    changes = {c.metric: c for c in compare_runs(good, bad).changes}
    assert changes["rouge1"].regression and not changes["event_f1"].regression
    assert changes["rouge1"].high < 0
    assert compare_runs(bad, good).passed

    def cli(a: Path, b: Path) -> int:
        command = [sys.executable, "-m", "summarizer", "eval", "compare", str(a), str(b)]
        return subprocess.run(command, capture_output=True, timeout=120).returncode

    assert cli(good, bad) == 1
    assert cli(bad, good) == 0


def test_eval_cli_end_to_end(scripted: ScriptedServer, seed_text: str, tmp_path: Path) -> None:
    folder = tmp_path / "fixtures"
    folder.mkdir()
    for f in fixtures(seed_text):
        (folder / f"{f.id}.json").write_text(dump_fixture(f))
    out = tmp_path / "run"
    command = [
        sys.executable,
        "-m",
        "summarizer",
        "eval",
        str(folder),
        "--base-url",
        scripted.base_url,
        "--model",
        "m",
        "--out",
        str(out),
        "--no-cache",
        "--quiet",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "event" in done.stdout and (out / "report.html").is_file()
    # The fixtures label claims, so every claim baseline runs too.
    baselines = {f"{kind}:{label}" for kind in ("constant", "gate") for label in CLAIM_LABELS}
    baselines.add("fnc1-baseline")
    assert {r.system for r in read_records(out)} == {
        "pipeline",
        "naive-bounded",
        "naive",
        "lead3",
        "rules",
        *(baselines - {"gate:unrelated"}),
    }


def test_missing_run_folder_is_a_clear_error(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "summarizer", "eval", "compare", str(tmp_path), str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "items.jsonl is missing" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture(autouse=True)
def _no_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def test_markdown_table_of_a_run(scripted: ScriptedServer, seed_text: str, tmp_path: Path) -> None:
    run_eval(fixtures(seed_text), systems(scripted), tmp_path)
    command = [sys.executable, "-m", "summarizer", "eval", "table", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "| metric | pipeline | lead3 |"
    assert "| events: F1 (strict) | 1.000 | 0.000 |" in lines


def test_rescore_recomputes_scores_without_model_calls(
    scripted: ScriptedServer, seed_text: str, tmp_path: Path
) -> None:
    from summarizer.evaluation.runner import rescore

    items = fixtures(seed_text)
    first = run_eval(items, systems(scripted), tmp_path)
    sent = len(scripted.requests)
    changed = [
        items[0].model_copy(update={"references": ["Completely different words."]}),
        items[1],
    ]
    again = rescore(tmp_path, changed)
    assert len(scripted.requests) == sent
    assert again.systems["pipeline"]["rouge1"] < first.systems["pipeline"]["rouge1"]  # type: ignore[operator]
    assert again.systems["pipeline"]["event_f1"] == first.systems["pipeline"]["event_f1"]


def test_naive_bounded_has_the_pipelines_bounds(
    scripted: ScriptedServer, seed_text: str, tmp_path: Path
) -> None:
    from summarizer.evaluation.systems import BoundedNaiveAnalysis, exactly

    items = fixtures(seed_text)[:1]  # no claims
    summary = run_eval(items, systems(scripted, ("naive-bounded",)), tmp_path)
    assert summary.systems["naive-bounded"]["valid_rate"] == 1.0
    record = read_records(tmp_path)[0]
    assert record.prediction is not None and record.prediction.events[0].action == "met"
    assert record.scores["evidence_exact"] == 1.0  # the quote is the article's, located
    # The same call as naive's, with the bounds in the schema the grammar compiles.
    body = scripted.requests[-1]
    assert "Analyze this news article" in body["messages"][0]["content"]
    schema = json.dumps(body["tools"][0]["function"]["parameters"])
    assert '"maxItems": 6' in schema and '"maxLength": 500' in schema
    sized = exactly(BoundedNaiveAnalysis, "claims", 3).model_json_schema()
    assert sized["properties"]["claims"]["minItems"] == 3


def test_naive_bounded_labels_belong_to_the_claims_in_order(
    scripted: ScriptedServer, seed_text: str, tmp_path: Path
) -> None:
    from tests.scripted_server import CANNED, answer

    item = fixtures(seed_text)[1]  # one claim: "Choe met Wang Yi", agree
    reply = {**CANNED["BoundedNaiveAnalysis"], "claims": [{"claim": "Choe", "label": "agree"}]}
    scripted.push(answer(reply))
    run_eval([item], systems(scripted, ("naive-bounded",)), tmp_path)
    (record,) = read_records(tmp_path)
    assert record.claim_pairs == [("agree", "agree")]
    assert record.scores["claim_accuracy"] == 1.0


def test_calibration_figures_and_reliability_table(tmp_path: Path) -> None:
    def record(item: str, pairs: list[tuple[float, bool]]) -> ItemRecord:
        labels: list[tuple[ClaimLabel | None, ClaimLabel]] = [("agree", "agree")] * len(pairs)
        return ItemRecord(
            system="tuned", item=item, ok=True, claim_pairs=labels, claim_confidences=pairs
        )

    # One item's labels carry no confidence: they count in the share, not in calibration.
    records = [
        record("x", [(0.95, True), (0.85, False)]),
        record("y", [(0.15, False)]),
        ItemRecord(system="tuned", item="z", ok=True, claim_pairs=[("discuss", "agree")]),
    ]
    figures = aggregate(records)["tuned"]
    assert figures["claim_confidence_share"] == 0.75
    assert figures["claim_ece"] == pytest.approx((0.05 + 0.85 + 0.15) / 3)
    assert figures["claim_brier"] == pytest.approx((0.05**2 + 0.85**2 + 0.15**2) / 3)
    summary = RunSummary(
        started="2026-12-06T00:00:00",
        seconds=1.0,
        items=3,
        systems={"tuned": figures},
        settings={},
        cache=None,
        model_calls=0,
        calibration=calibration(records),
    )
    (tmp_path / "summary.json").write_text(summary.model_dump_json())
    command = [sys.executable, "-m", "summarizer", "eval", "table", str(tmp_path), "--reliability"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "| 0.1-0.2 | 1 | 0.150 | 0.000 |" in done.stdout
    assert "| 0.8-0.9 | 1 | 0.850 | 0.000 |" in done.stdout
    assert "| 0.9-1.0 | 1 | 0.950 | 1.000 |" in done.stdout
