"""Compare two runs item by item and decide whether the second may replace the first.

The gate fails on any of:
- an item in one run and not the other (a fixture that vanished, or a new one the
  reference lacks: either way the two runs do not measure the same thing);
- an item that the reference answered and the new run failed, named;
- a metric worse by more than the threshold, with the whole paired-bootstrap confidence
  interval on the worse side of zero;
- a deterministic prediction that differs (:mod:`summarizer.evaluation.predictions`),
  each named: rules and code answer the same on every run, so a difference there is a
  change of code however little it moves the means. Accepting one takes a new reference
  run (``make reference``); no option waives it;
- a configuration that differs (settings, prompt versions), unless allowed: the gate
  exists to catch what a change of *code* did, and a changed prompt or setting needs a
  new reference run. The code's own hash is shown, never compared: it changes with
  every commit the gate is for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from summarizer.errors import InputError
from summarizer.evaluation.metrics import METRICS, QUALITY
from summarizer.evaluation.predictions import PredictionCheck, check_predictions
from summarizer.evaluation.runner import SUMMARY, ItemRecord, RunSummary, read_records

GATED = QUALITY
# Changed predictions listed one per line, before a line that counts them all.
SHOWN_PREDICTIONS = 10


@dataclass(frozen=True)
class MetricChange:
    metric: str
    items: int
    before: float
    after: float
    low: float  # confidence interval of (after - before)
    high: float
    higher_is_better: bool
    regression: bool

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    system: str
    changes: list[MetricChange]
    only_before: list[str]  # items the new run lacks
    only_after: list[str]  # items the reference lacks
    newly_failed: list[str]  # answered in the reference, failed in the new run
    config_changes: list[str]  # "key: before → after"
    config_allowed: bool
    code: tuple[str | None, str | None] = field(default=(None, None))
    unrecorded: bool = False  # a run without a recorded configuration
    predictions: PredictionCheck = field(default_factory=lambda: PredictionCheck({}, 0, []))

    @property
    def regressions(self) -> list[str]:
        return [c.metric for c in self.changes if c.regression]

    def reasons(self) -> list[str]:
        """Why the gate fails, one line each; empty when it passes."""
        out = []
        if self.unrecorded and not self.config_allowed:
            out.append(
                "a run records no configuration (made before runs recorded one): make a "
                "new reference run, or pass --allow-config-change"
            )
        elif self.config_changes and not self.config_allowed:
            out.append(
                "the runs' configurations differ ("
                + "; ".join(self.config_changes)
                + "): make a new reference run, or pass --allow-config-change"
            )
        if self.only_before:
            out.append(f"missing from the new run: {_names(self.only_before)}")
        if self.only_after:
            out.append(f"missing from the reference run: {_names(self.only_after)}")
        if self.newly_failed:
            out.append(
                f"failed in the new run, answered in the reference: {_names(self.newly_failed)}"
            )
        if changed := self.predictions.changes:
            out += [f"prediction changed: {c.line()}" for c in changed[:SHOWN_PREDICTIONS]]
            items = len({(c.system, c.item) for c in changed})
            more = len(changed) - SHOWN_PREDICTIONS
            out.append(
                f"{len(changed)} deterministic prediction field(s) changed in {items} item(s)"
                + (f", {more} not shown" if more > 0 else "")
                + ": accept them only with a new reference run (make reference), its commit "
                "message saying why"
            )
        if self.regressions:
            out.append(f"regression: {', '.join(self.regressions)}")
        return out

    @property
    def passed(self) -> bool:
        return not self.reasons()


def compare_runs(
    before: Path,
    after: Path,
    *,
    system: str = "pipeline",
    threshold: float = 0.02,
    allow_config_change: bool = False,
    resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> Comparison:
    """Per metric, the paired change from ``before`` to ``after`` on the items both ran;
    the deterministic predictions of every system both ran, item by item; and every
    reason the gate has to refuse ``after``.

    A change is a regression when it is worse by more than ``threshold`` on average and
    the whole confidence interval lies on the worse side of zero.
    """
    records_a, records_b = read_records(before), read_records(after)
    a = {r.item: r for r in records_a if r.system == system}
    b = {r.item: r for r in records_b if r.system == system}
    if not a or not b:
        raise InputError(f"system {system!r} is missing from one of the runs")
    shared = sorted(set(a) & set(b))
    if not shared:
        raise InputError("the two runs have no item in common")
    summary_a, summary_b = read_summary(before), read_summary(after)
    config_a, code_a = _config(summary_a, system)
    config_b, code_b = _config(summary_b, system)
    return Comparison(
        system=system,
        changes=_changes(a, b, shared, threshold, resamples, confidence, seed),
        only_before=sorted(set(a) - set(b)),
        only_after=sorted(set(b) - set(a)),
        newly_failed=[i for i in shared if a[i].ok and not b[i].ok],
        config_changes=config_diff(config_a or {}, config_b or {}),
        config_allowed=allow_config_change,
        code=(code_a, code_b),
        unrecorded=config_a is None or config_b is None,
        predictions=check_predictions(records_a, records_b, (summary_a.config, summary_b.config)),
    )


def _changes(
    a: dict[str, ItemRecord],
    b: dict[str, ItemRecord],
    shared: list[str],
    threshold: float,
    resamples: int,
    confidence: float,
    seed: int,
) -> list[MetricChange]:
    rng = np.random.default_rng(seed)
    changes = []
    for metric in GATED:
        pairs = [
            (a[i].scores[metric], b[i].scores[metric])
            for i in shared
            if a[i].scores.get(metric) is not None and b[i].scores.get(metric) is not None
        ]
        if not pairs:
            continue
        x = np.array(pairs, dtype=float)
        diffs = x[:, 1] - x[:, 0]
        picks = rng.integers(0, len(diffs), size=(resamples, len(diffs)))
        means = diffs[picks].mean(axis=1)
        tail = (1 - confidence) / 2 * 100
        low, high = np.percentile(means, [tail, 100 - tail])
        better = METRICS[metric].higher_is_better
        worse = -diffs.mean() if better else diffs.mean()
        whole_ci_worse = high < 0 if better else low > 0
        changes.append(
            MetricChange(
                metric=metric,
                items=len(pairs),
                before=float(x[:, 0].mean()),
                after=float(x[:, 1].mean()),
                low=float(low),
                high=float(high),
                higher_is_better=better,
                regression=bool(worse > threshold and whole_ci_worse),
            )
        )
    return changes


def _config(summary: RunSummary, system: str) -> tuple[dict[str, Any] | None, str | None]:
    """The system's recorded configuration (None for a run made before runs recorded
    one) and the run's code hash."""
    config = summary.config.get(system)
    if config is not None and summary.judge:
        # Grades by another judge (or its edited templates) are not comparable either.
        config = {**config, "judge": {k: v for k, v in summary.judge.items() if k != "cost"}}
    return config, summary.code


def read_summary(run_dir: Path) -> RunSummary:
    path = run_dir / SUMMARY
    if not path.is_file():
        raise InputError(f"{run_dir} has no {SUMMARY}: is it a finished eval run?")
    try:
        return RunSummary.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError:
        raise InputError(f"{path} is not a run summary this version can read") from None


@dataclass(frozen=True)
class ItemChange:
    item: str
    change: float  # the sum over quality metrics of |after - before|
    metrics: list[str]  # the quality metrics whose value changed


# The width of a gated metric's scale, by kind: a share spans 1, a 1-5 grade 4.
SCALE = {"score": 4.0}


def item_changes(before: dict[str, ItemRecord], after: dict[str, ItemRecord]) -> list[ItemChange]:
    """The items both runs have, most changed first: by the summed absolute change of
    their gated (quality) scores, each as a share of its scale so that no metric
    outweighs the others by its unit. Unchanged items are left out."""
    out = []
    for item in sorted(set(before) & set(after)):
        a, b = before[item].scores, after[item].scores
        moved = {
            m: abs(vb - va) / SCALE.get(METRICS[m].kind, 1.0)
            for m in GATED
            if (va := a.get(m)) is not None and (vb := b.get(m)) is not None and vb != va
        }
        if moved:
            out.append(ItemChange(item, sum(moved.values()), list(moved)))
    return sorted(out, key=lambda c: (-c.change, c.item))


def config_diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs between two configurations, one ``key: before → after`` each, with
    nested keys (prompt versions) spelled ``prompts.events``."""
    flat_a, flat_b = _flatten(before), _flatten(after)
    out = []
    for key in sorted(set(flat_a) | set(flat_b)):
        if flat_a.get(key, "–") != flat_b.get(key, "–"):
            out.append(f"{key}: {_shown(flat_a.get(key, '–'))} → {_shown(flat_b.get(key, '–'))}")
    return out


def _flatten(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, dict):
            out.update(_flatten(item, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = item
    return out


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _names(items: list[str], most: int = 10) -> str:
    more = f" (+{len(items) - most} more)" if len(items) > most else ""
    return ", ".join(items[:most]) + more
