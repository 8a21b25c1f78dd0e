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
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from summarizer.article import Article
from summarizer.cache import ResponseCache, cache_key
from summarizer.errors import EndpointError, InputError, ModelError, SummarizerError, public_name
from summarizer.evaluation import scorers
from summarizer.evaluation.fixtures import Fixture
from summarizer.evaluation.records import Prediction
from summarizer.evaluation.systems import System, article_hash, article_of
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


class RunSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    started: str
    seconds: float
    items: int
    systems: dict[str, dict[str, float | None]]
    settings: dict[str, Any]
    cache: dict[str, int] | None
    model_calls: int


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
    on_record: Progress | None = None,
) -> RunSummary:
    """Run, score and record every (system, fixture) pair; return the run's summary."""
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

    def work(system: System, fixture: Fixture) -> ItemRecord:
        nonlocal calls
        record, made_calls = evaluate_one(system, fixture, cache)
        with lock:
            calls += made_calls
        return record

    with (
        items_path.open("a", encoding="utf-8") as out,
        ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool,
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
        settings=settings or {},
        cache={"hits": cache.hits, "misses": cache.misses} if cache else None,
        model_calls=calls,
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
        fresh = _scored(
            r.system, fixture, article_of(fixture), r.prediction or Prediction(), cached=r.cached
        )
        again.append(
            fresh.model_copy(update={"ok": r.ok, "error": r.error, "error_type": r.error_type})
        )
    _write_records(run_dir / ITEMS, again)
    old = RunSummary.model_validate_json((run_dir / SUMMARY).read_text(encoding="utf-8"))
    summary = old.model_copy(update={"systems": aggregate(again)})
    (run_dir / SUMMARY).write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return summary


def evaluate_one(
    system: System, fixture: Fixture, cache: ResponseCache | None
) -> tuple[ItemRecord, int]:
    """One prediction (from the cache if it has it) and its scores; errors become records."""
    try:
        article = article_of(fixture)
    except InputError as exc:
        return ItemRecord(
            system=system.name,
            item=fixture.id,
            ok=False,
            error=str(exc),
            error_type=type(exc).__name__,
        ), 0
    key = cache_key({**system.cache_parts(), "article": article_hash(fixture)})
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


class _Failure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    error: str
    error_type: str
    usage: Usage
    attempts: int

    def record(
        self, system: str, fixture: Fixture, article: Article, *, cached: bool
    ) -> ItemRecord:
        # Scored as an empty answer, so a system that fails often can't look good on
        # the few items it managed.
        spent = Prediction(usage=self.usage, attempts=self.attempts)
        record = _scored(system, fixture, article, spent, cached=cached)
        record.ok, record.error, record.error_type = False, self.error, self.error_type
        return record


def _scored(
    system: str, fixture: Fixture, article: Article, prediction: Prediction, *, cached: bool
) -> ItemRecord:
    pairs = scorers.claim_pairs(prediction, fixture) if "claims" in fixture.labelled else []
    return ItemRecord(
        system=system,
        item=fixture.id,
        ok=True,
        cached=cached,
        prediction=prediction,
        scores=scorers.score_item(prediction, fixture, article),
        claim_pairs=list(pairs),
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


# Metrics where the run-level figure is a ratio of sums, not a mean of ratios.
_MICRO = ("event", "stance")


def aggregate(records: Sequence[ItemRecord]) -> dict[str, dict[str, float | None]]:
    """Per system: mean of each metric over items where it applies, micro P/R/F1 for
    events and stances, macro-F1 and FNC-1 score for claims, and validity shares."""
    out: dict[str, dict[str, float | None]] = {}
    for system in dict.fromkeys(r.system for r in records):
        mine = [r for r in records if r.system == system]
        ok = [r for r in mine if r.ok]
        values: dict[str, list[float]] = {}
        for r in mine:
            for name, value in r.scores.items():
                if value is not None:
                    values.setdefault(name, []).append(value)
        summary: dict[str, float | None] = {
            name: sum(v) / len(v) for name, v in sorted(values.items())
        }
        summary["items"] = float(len(mine))
        summary["failed_rate"] = (len(mine) - len(ok)) / len(mine) if mine else None
        summary["valid_rate"] = len(ok) / len(mine) if mine else None
        firsts = [r.scores.get("first_try") for r in ok]
        known = [f for f in firsts if f is not None]
        summary["valid_first_try_rate"] = sum(known) / len(mine) if mine and known else None
        for prefix in _MICRO:
            tp = sum(values.get(f"{prefix}_tp", []))
            predicted = sum(values.get(f"{prefix}_predicted", []))
            gold = sum(values.get(f"{prefix}_gold", []))
            if f"{prefix}_tp" in values:
                p = tp / predicted if predicted else 0.0
                rc = tp / gold if gold else 0.0
                summary[f"{prefix}_precision"] = p
                summary[f"{prefix}_recall"] = rc
                summary[f"{prefix}_f1"] = 2 * p * rc / (p + rc) if p + rc else 0.0
        if "unsupported_items" in values:
            items = sum(values.get("content_items", []))
            summary["unsupported_rate"] = sum(values["unsupported_items"]) / items if items else 0.0
        pairs = [pair for r in mine for pair in r.claim_pairs]
        if pairs:
            summary["claim_macro_f1"] = scorers.macro_f1(pairs)
            earned, best = scorers.fnc1_score(pairs)
            summary["fnc1_relative"] = earned / best if best else None
        out[system] = summary
    return out
