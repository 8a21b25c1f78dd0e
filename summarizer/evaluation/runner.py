"""Batch eval runs: every system on every item, scored, written as it goes.

A run folder holds:
    items.jsonl   one record per (system, item), appended and flushed as each finishes
    summary.json  per-system aggregates, written at the end
    report.html   the self-contained report (summarizer.evaluation.report)

A failed item is a record with its error, never the end of the run. ``resume`` keeps
the successful records already in ``items.jsonl`` and runs the rest again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.article import Article
from summarizer.cache import ResponseCache, cache_key, code_hash
from summarizer.errors import EndpointError, InputError, ModelError, SummarizerError, public_name
from summarizer.evaluation import scorers
from summarizer.evaluation.fixtures import Fixture
from summarizer.evaluation.halves import Half
from summarizer.evaluation.judge import CRITERIA, WORST, Judge
from summarizer.evaluation.metrics import MICRO, MICRO_RATIOS, QUALITY, worst
from summarizer.evaluation.records import Prediction
from summarizer.evaluation.systems import (
    System,
    article_hash,
    article_of,
    prompt_diffs,
    system_config,
)
from summarizer.schema import ClaimLabel, Usage

ITEMS = "items.jsonl"
SUMMARY = "summary.json"


class ItemRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    system: str
    item: str
    ok: bool
    error: str | None = None
    error_type: str | None = None
    cached: bool = False
    prediction: Prediction | None = None
    scores: dict[str, float | None] = Field(default_factory=dict)
    claim_pairs: list[tuple[ClaimLabel | None, ClaimLabel]] = Field(default_factory=list)
    # (confidence, right) per claim whose label carries a confidence: calibration's input.
    claim_confidences: list[tuple[float, bool]] = Field(default_factory=list)
    # The same per predicted attribution with a confidence (right: strictly matched).
    attribution_confidences: list[tuple[float, bool]] = Field(default_factory=list)


class RunSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    started: str
    seconds: float
    items: int
    systems: dict[str, dict[str, float | None]]
    settings: dict[str, Any]
    cache: dict[str, int] | None
    model_calls: int
    # Which items: every one, or the tuning or reporting half (summarizer.evaluation.halves).
    half: Half = "all"
    # Per system, everything besides the article and the code that decides its answers
    # (settings, prompt versions): the gate refuses to pair runs where these differ.
    config: dict[str, dict[str, Any]] = Field(default_factory=dict)
    # Per language of the items (ISO 639-1), when they are in more than one: the same
    # aggregates over that language's items only.
    by_language: dict[str, dict[str, dict[str, float | None]]] = Field(default_factory=dict)
    # The content hash of the package's code and prompts that made the run.
    code: str | None = None
    # Per system whose prompts differ from the shipped ones: template name -> unified
    # diff against the shipped template (what a prompt-variant run compares).
    prompt_diffs: dict[str, dict[str, str]] = Field(default_factory=dict)
    # The judge model that graded the summaries (``--judge``), its template versions and
    # what its grades cost (summarizer.evaluation.judge.JudgeCost); None without one.
    judge: dict[str, Any] | None = None
    # Per system whose claim labels carry confidences: the reliability table (bins of
    # confidence with their pairs, mean confidence and share right).
    calibration: dict[str, list[dict[str, float]]] = Field(default_factory=dict)
    # The same for the attributions' confidences.
    attribution_calibration: dict[str, list[dict[str, float]]] = Field(default_factory=dict)


Progress = Callable[[int, int, ItemRecord], None]


def run_eval(
    fixtures: Sequence[Fixture],
    systems: Sequence[System],
    out_dir: Path,
    *,
    concurrency: int = 1,
    cache: ResponseCache | None = None,
    resume: bool = False,
    settings: dict[str, Any] | None = None,
    half: Half = "all",
    on_record: Progress | None = None,
    judge: Judge | None = None,
) -> RunSummary:
    """Run, score and record every (system, fixture) pair; return the run's summary.
    With a ``judge``, each summary is also graded by it (:func:`judged`)."""
    started = time.time()
    out_dir.mkdir(parents=True, exist_ok=True)
    items_path = out_dir / ITEMS
    kept = _finished(items_path) if resume else {}
    if not resume and items_path.exists():
        items_path.unlink()
    if resume and items_path.exists():
        # Rewrite with the kept records only, so a failed item is not recorded twice.
        _write_records(items_path, kept.values())

    todo = [(s, f) for s in systems for f in fixtures if (s.name, f.id) not in kept]
    lock = threading.Lock()
    calls = 0
    done = len(kept)
    total = len(systems) * len(fixtures)

    # A system with its own limit (an endpoint's ``concurrency=N``) has that many items
    # in flight; the others share the run's ``concurrency``.
    shared = threading.Semaphore(max(1, concurrency))
    limits = {
        s.name: threading.Semaphore(n) if (n := getattr(s, "concurrency", None)) else shared
        for s in systems
    }
    workers = max(1, concurrency) + sum(getattr(s, "concurrency", None) or 0 for s in systems)

    def work(system: System, fixture: Fixture) -> ItemRecord:
        nonlocal calls
        with limits[system.name]:
            record, made_calls = evaluate_one(system, fixture, cache)
        if judge is not None:
            record = judged(record, fixture, judge)
        with lock:
            calls += made_calls
        return record

    with (
        items_path.open("a", encoding="utf-8") as out,
        ThreadPoolExecutor(max_workers=workers) as pool,
    ):
        futures = [pool.submit(work, s, f) for s, f in todo]
        for future in as_completed(futures):
            record = future.result()
            out.write(record.model_dump_json() + "\n")
            out.flush()
            done += 1
            if on_record:
                on_record(done, total, record)
    records = read_records(out_dir)
    summary = RunSummary(
        started=time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
        seconds=round(time.time() - started, 3),
        items=len(fixtures),
        systems=aggregate(records),
        by_language=by_language(records, fixtures),
        settings=settings or {},
        cache={"hits": cache.hits, "misses": cache.misses} if cache else None,
        model_calls=calls,
        half=half,
        config={s.name: system_config(s) for s in systems},
        code=code_hash(),
        prompt_diffs={s.name: d for s in systems if (d := prompt_diffs(s))},
        judge={**judge.config(), "cost": judge.cost.as_dict()} if judge else None,
        calibration=calibration(records),
        attribution_calibration=calibration(records, "attribution"),
    )
    (out_dir / SUMMARY).write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return summary


def rescore(run_dir: Path, fixtures: Sequence[Fixture]) -> RunSummary:
    """Score a finished run's predictions again (after a scorer changed): no model calls."""
    by_id = {f.id: f for f in fixtures}
    records = read_records(run_dir)
    if missing := sorted({r.item for r in records} - set(by_id)):
        raise InputError(f"the run has items the fixtures lack: {', '.join(missing[:5])}")
    again = []
    for r in records:
        fixture = by_id[r.item]
        prediction = r.prediction or Prediction()
        fresh = _scored(r.system, fixture, article_of(fixture), prediction, cached=r.cached)
        if not r.ok:
            fresh = _failed(fresh, r.error or "", r.error_type or "")
        # A judge's grades are kept as they were: rescoring calls no model.
        graded = {k: v for k, v in r.scores.items() if k.startswith("judge_")}
        again.append(fresh.model_copy(update={"scores": {**fresh.scores, **graded}}))
    _write_records(run_dir / ITEMS, again)
    old = RunSummary.model_validate_json((run_dir / SUMMARY).read_text(encoding="utf-8"))
    summary = old.model_copy(
        update={
            "systems": aggregate(again),
            "by_language": by_language(again, fixtures),
            "calibration": calibration(again),
            "attribution_calibration": calibration(again, "attribution"),
        }
    )
    (run_dir / SUMMARY).write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return summary


def evaluate_one(
    system: System, fixture: Fixture, cache: ResponseCache | None
) -> tuple[ItemRecord, int]:
    """One prediction (from the cache if it has it) and its scores; errors become records."""
    try:
        article = article_of(fixture)
    except InputError as exc:
        empty = ItemRecord(system=system.name, item=fixture.id, ok=False)
        return _failed(empty, str(exc), type(exc).__name__), 0
    key = item_key(system, fixture)
    cached = cache.get(key) if cache else None
    if isinstance(cached, dict) and "failure" in cached:
        failure = _Failure.model_validate(cached["failure"])
        return failure.record(system.name, fixture, article, cached=True), 0
    if cached is not None:
        prediction = Prediction.model_validate(cached)
        return _scored(system.name, fixture, article, prediction, cached=True), 0
    replayed = system.replayed_calls
    try:
        prediction = system.predict(fixture, article)
    except SummarizerError as exc:
        failure = _Failure(
            error=str(exc),
            error_type=public_name(exc),
            usage=exc.usage or Usage() if isinstance(exc, ModelError) else Usage(),
            attempts=exc.attempts if isinstance(exc, ModelError) else 0,
        )
        # The model's own failure (no valid answer within the re-asks, cut off, a prompt
        # too long for it) is what the same request gets again: cached like an answer,
        # so a warm re-run makes no call. An endpoint's failure may pass, so it is not.
        if cache and isinstance(exc, ModelError) and not isinstance(exc, EndpointError):
            cache.put(key, {"failure": failure.model_dump(mode="json")})
        return failure.record(system.name, fixture, article, cached=False), 1
    if cache:
        cache.put(key, prediction.model_dump(mode="json"))
    made = prediction.calls - (system.replayed_calls - replayed)
    return _scored(system.name, fixture, article, prediction, cached=False), max(made, 0)


def item_key(system: System, fixture: Fixture) -> str:
    """The cache key of one system's prediction for one item: its settings and prompts,
    the article, and the code that turns answers into predictions."""
    return cache_key(
        {**system.cache_parts(), "code": code_hash(), "article": article_hash(fixture)}
    )


class _Failure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    error: str
    error_type: str
    usage: Usage
    attempts: int

    def record(
        self, system: str, fixture: Fixture, article: Article, *, cached: bool
    ) -> ItemRecord:
        spent = Prediction(usage=self.usage, attempts=self.attempts)
        record = _scored(system, fixture, article, spent, cached=cached)
        return _failed(record, self.error, self.error_type)


def _scored(
    system: str, fixture: Fixture, article: Article, prediction: Prediction, *, cached: bool
) -> ItemRecord:
    pairs = scorers.claim_pairs(prediction, fixture) if "claims" in fixture.labelled else []
    first_try = float(prediction.attempts <= prediction.calls) if prediction.calls else None
    return ItemRecord(
        system=system,
        item=fixture.id,
        ok=True,
        cached=cached,
        prediction=prediction,
        scores={
            **scorers.score_item(prediction, fixture, article),
            # Validity per item (the run's rates are their means), so the gate pairs it.
            "valid_rate": 1.0,
            "failed_rate": 0.0,
            "valid_first_try_rate": first_try,
        },
        claim_pairs=list(pairs),
        claim_confidences=(
            scorers.claim_confidences(prediction, fixture) if "claims" in fixture.labelled else []
        ),
        attribution_confidences=(
            scorers.attribution_confidences(prediction, fixture)
            if "attributions" in fixture.labelled
            else []
        ),
    )


def judged(record: ItemRecord, fixture: Fixture, judge: Judge) -> ItemRecord:
    """The record with the judge's grades of its summary (``judge_faithfulness``,
    ``judge_relevance``; None where the judge failed). A system's failed item gets the
    worst grade, as it gets the worst of every quality metric; a system that writes no
    summary (the claim-label baselines) and an unreadable article are not graded."""
    prediction = record.prediction
    if prediction is None:
        return record
    if not record.ok:
        grades: dict[str, float | None] = {f"judge_{c}": WORST for c in CRITERIA}
    elif prediction.summary and prediction.summary.strip():
        grades = judge.grades(fixture.text, prediction.summary)
    else:
        return record
    return record.model_copy(update={"scores": {**record.scores, **grades}})


def _failed(record: ItemRecord, error: str, error_type: str) -> ItemRecord:
    """A failed item: the worst value of every quality metric that applies to it, so a
    failure never looks like a gain (an empty summary has no unsupported names) and a
    system that fails often can't look good on the few items it managed. Its claims
    count as unlabelled; its cost is what it spent."""
    scores = {
        key: (worst(key) if key in QUALITY else value) for key, value in record.scores.items()
    }
    scores.update({"valid_rate": 0.0, "failed_rate": 1.0, "valid_first_try_rate": 0.0})
    return record.model_copy(
        update={"ok": False, "error": error, "error_type": error_type, "scores": scores}
    )


def read_records(run_dir: Path) -> list[ItemRecord]:
    path = run_dir / ITEMS
    if not path.is_file():
        raise InputError(f"{run_dir} is not an eval run: {ITEMS} is missing")
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(ItemRecord.model_validate_json(line))
        except ValueError:
            raise InputError(f"{path}:{number}: not a valid item record") from None
    return records


def _finished(path: Path) -> dict[tuple[str, str], ItemRecord]:
    if not path.exists():
        return {}
    kept = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = ItemRecord.model_validate_json(line)
        except ValueError:
            continue  # a line cut short by a crash: that item runs again
        if record.ok:
            kept[(record.system, record.item)] = record
    return kept


def _write_records(path: Path, records: Iterable[ItemRecord]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
    temporary.replace(path)


def by_language(
    records: Sequence[ItemRecord], fixtures: Sequence[Fixture]
) -> dict[str, dict[str, dict[str, float | None]]]:
    """:func:`aggregate` over each language's items, English first; empty when every
    item is in one language."""
    language = {f.id: f.language for f in fixtures}
    found = sorted({language[r.item] for r in records if r.item in language})
    if len(found) < 2:
        return {}
    found.sort(key=lambda code: code != "en")
    return {code: aggregate([r for r in records if language.get(r.item) == code]) for code in found}


def calibration(
    records: Sequence[ItemRecord], output: Literal["claim", "attribution"] = "claim"
) -> dict[str, list[dict[str, float]]]:
    """Per system with any confidence of that output, its reliability table."""
    out: dict[str, list[dict[str, float]]] = {}
    for system in dict.fromkeys(r.system for r in records):
        pairs = [
            c for r in records if r.system == system for c in getattr(r, f"{output}_confidences")
        ]
        if pairs:
            out[system] = [
                {"low": low, "high": high, "pairs": n, "confidence": mean, "right": right}
                for low, high, n, mean, right in scorers.reliability(pairs)
            ]
    return out


def aggregate(records: Sequence[ItemRecord]) -> dict[str, dict[str, float | None]]:
    """Per system: mean of each metric over items where it applies (validity shares and
    the unsupported-content rate among them: a failed item weighs what any item does, at
    its worst value), micro P/R/F1 for events and stances, macro-F1 and FNC-1 score for
    claims."""
    out: dict[str, dict[str, float | None]] = {}
    for system in dict.fromkeys(r.system for r in records):
        mine = [r for r in records if r.system == system]
        values: dict[str, list[float]] = {}
        for r in mine:
            for name, value in r.scores.items():
                if value is not None:
                    values.setdefault(name, []).append(value)
        summary: dict[str, float | None] = {
            name: sum(v) / len(v) for name, v in sorted(values.items())
        }
        summary["items"] = float(len(mine))
        for prefix, suffix in MICRO:
            tp = sum(values.get(f"{prefix}_tp{suffix}", []))
            predicted = sum(values.get(f"{prefix}_predicted{suffix}", []))
            gold = sum(values.get(f"{prefix}_gold{suffix}", []))
            if f"{prefix}_tp{suffix}" in values:
                p = tp / predicted if predicted else 0.0
                rc = tp / gold if gold else 0.0
                summary[f"{prefix}_precision{suffix}"] = p
                summary[f"{prefix}_recall{suffix}"] = rc
                summary[f"{prefix}_f1{suffix}"] = 2 * p * rc / (p + rc) if p + rc else 0.0
        for key, (part_key, whole_key) in MICRO_RATIOS.items():
            if part_key in values:
                whole = sum(values.get(whole_key, []))
                summary[key] = sum(values[part_key]) / whole if whole else 0.0
        pairs = [pair for r in mine for pair in r.claim_pairs]
        if pairs:
            summary["claim_macro_f1"] = scorers.macro_f1(pairs)
            summary["claim_related_accuracy"] = scorers.related_accuracy(pairs)
            earned, best = scorers.fnc1_score(pairs)
            summary["fnc1_relative"] = earned / best if best else None
            confident = [c for r in mine for c in r.claim_confidences]
            summary["claim_confidence_share"] = len(confident) / len(pairs)
            if confident:
                summary["claim_ece"] = scorers.expected_calibration_error(confident)
                summary["claim_brier"] = scorers.brier(confident)
        if sure := [c for r in mine for c in r.attribution_confidences]:
            summary["attribution_ece"] = scorers.expected_calibration_error(sure)
            summary["attribution_brier"] = scorers.brier(sure)
        out[system] = summary
    return out
