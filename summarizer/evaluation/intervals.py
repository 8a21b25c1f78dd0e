"""A bootstrap interval for each run-level figure, over the run's items.

The interval resamples *items*, then recomputes the figure the way
:func:`summarizer.evaluation.runner.aggregate` does: a mean of the per-item values for
most metrics, and pooled counts where the run-level figure is not a mean (events' and
stances' micro P/R/F1, claims' macro-F1 and FNC-1 score). Every figure is a function of
weighted sums of per-item columns, so one matrix product per batch of resamples gives
them all.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from summarizer.evaluation import scorers
from summarizer.evaluation.metrics import METRICS, MICRO, MICRO_RATIOS
from summarizer.evaluation.runner import ItemRecord

RESAMPLES = 1000
CONFIDENCE = 0.95
SEED = 0
# aggregate() pools these: the micro P/R/F1 (metrics.MICRO) and the claims' figures.
POOLED_CLAIMS = ("claim_macro_f1", "claim_related_accuracy", "fnc1_relative")
# Pooled over the claims whose label carries a confidence (none where no claim has one).
POOLED_CALIBRATION = ("claim_confidence_share", "claim_ece", "claim_brier")
# The same over the attributions that carry a confidence.
POOLED_ATTRIBUTION_CALIBRATION = ("attribution_ece", "attribution_brier")
POOLED = frozenset(
    {f"{p}_{part}{s}" for p, s in MICRO for part in ("precision", "recall", "f1")}
    | set(MICRO_RATIOS)
    | set(POOLED_CLAIMS)
    | set(POOLED_CALIBRATION)
    | set(POOLED_ATTRIBUTION_CALIBRATION)
)
# The per-item scores a figure draws on: the metrics' own and the pooled counts.
_NEEDED = (
    set(METRICS)
    | {f"{p}_{c}{s}" for p, s in MICRO for c in ("tp", "predicted", "gold")}
    | {k for pair in MICRO_RATIOS.values() for k in pair}
)
# At most this many cells in one batch's weight matrix (resamples × items): memory
# stays small on a dataset of tens of thousands of items.
BATCH_CELLS = 4_000_000

Sums = dict[str, np.ndarray]  # column name -> weighted sum, one per resample
Estimator = Callable[[Sums], np.ndarray]


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    items: int  # items the figure draws on
    pooled: bool  # recomputed from pooled counts, not a mean of per-item values


@dataclass
class _Figures:
    """One system's per-item columns and, per metric, how the figure follows from their
    (weighted) sums."""

    columns: dict[str, np.ndarray]
    estimators: dict[str, Estimator]
    items: dict[str, int]
    pooled: set[str]

    def values(self, weights: np.ndarray) -> dict[str, np.ndarray]:
        """Each metric's figure under each row of ``weights`` (NaN where undefined)."""
        names = list(self.columns)
        sums = weights @ np.stack([self.columns[n] for n in names], axis=1)
        by_name = {n: sums[:, i] for i, n in enumerate(names)}
        return {key: estimate(by_name) for key, estimate in self.estimators.items()}


def _ratio(num: np.ndarray, den: np.ndarray, empty: float = math.nan) -> np.ndarray:
    """num / den, ``empty`` where den is 0."""
    safe = np.where(den > 0, den, 1.0)
    return np.where(den > 0, num / safe, empty)


def _figures(records: Sequence[ItemRecord]) -> _Figures:
    cols: dict[str, np.ndarray] = {}
    estimators: dict[str, Estimator] = {}
    items: dict[str, int] = {}
    pooled: set[str] = set()
    names = dict.fromkeys(
        k for r in records for k, v in r.scores.items() if v is not None and k in _NEEDED
    )
    for name in names:
        raw = [r.scores.get(name) for r in records]
        cols[f"{name}:sum"] = np.array([v or 0.0 for v in raw], dtype=float)
        cols[f"{name}:n"] = np.array([v is not None for v in raw], dtype=float)
        items[name] = int(cols[f"{name}:n"].sum())
        estimators[name] = _mean(name)
    for prefix, suffix in MICRO:
        if f"{prefix}_tp{suffix}" not in names:
            continue
        tp, predicted, gold = (
            f"{prefix}_{part}{suffix}:sum" for part in ("tp", "predicted", "gold")
        )
        for part, estimate in _micro(tp, predicted, gold, f"{prefix}_tp{suffix}:n").items():
            key = f"{prefix}_{part}{suffix}"
            estimators[key] = estimate
            items[key] = items[f"{prefix}_tp{suffix}"]
            pooled.add(key)
    for key, (part, whole) in MICRO_RATIOS.items():
        if part in names:
            estimators[key] = _pooled_ratio(part, whole)
            items[key] = items[part]
            pooled.add(key)
    if any(r.claim_pairs for r in records):
        cols.update(_claim_columns(records))
        estimators["claim_macro_f1"] = _macro_f1
        estimators["fnc1_relative"] = _fnc1
        estimators["claim_related_accuracy"] = _related
        for key in POOLED_CLAIMS:
            items[key] = sum(1 for r in records if r.claim_pairs)
            pooled.add(key)
        estimators["claim_confidence_share"] = _confident_share
        if any(r.claim_confidences for r in records):
            estimators["claim_ece"] = _ece("claim")
            estimators["claim_brier"] = _brier("claim")
        for key in POOLED_CALIBRATION:
            items[key] = sum(1 for r in records if r.claim_pairs)
            pooled.add(key)
    if any(r.attribution_confidences for r in records):
        cols.update(
            _confidence_columns("attribution", [r.attribution_confidences for r in records])
        )
        estimators["attribution_ece"] = _ece("attribution")
        estimators["attribution_brier"] = _brier("attribution")
        for key in POOLED_ATTRIBUTION_CALIBRATION:
            items[key] = sum(1 for r in records if r.attribution_confidences)
            pooled.add(key)
    kept = {k: e for k, e in estimators.items() if k in METRICS}
    return _Figures(cols, kept, items, pooled & set(kept))


def _mean(name: str) -> Estimator:
    return lambda s: _ratio(s[f"{name}:sum"], s[f"{name}:n"])


def _micro(tp: str, predicted: str, gold: str, present: str) -> dict[str, Estimator]:
    def precision(s: Sums) -> np.ndarray:
        return _defined(s, present, _ratio(s[tp], s[predicted], 0.0))

    def recall(s: Sums) -> np.ndarray:
        return _defined(s, present, _ratio(s[tp], s[gold], 0.0))

    def f1(s: Sums) -> np.ndarray:
        p, r = precision(s), recall(s)
        return _defined(s, present, _ratio(2 * p * r, p + r, 0.0))

    return {"precision": precision, "recall": recall, "f1": f1}


def _pooled_ratio(part: str, whole: str) -> Estimator:
    """A ratio of sums over items (metrics.MICRO_RATIOS), 0 where the whole is."""
    return lambda s: _defined(s, f"{part}:n", _ratio(s[f"{part}:sum"], s[f"{whole}:sum"], 0.0))


def _defined(s: Sums, present: str, values: np.ndarray) -> np.ndarray:
    """NaN where no item in the resample has the metric (aggregate reports none)."""
    return np.where(s[present] > 0, values, math.nan)


def _claim_columns(records: Sequence[ItemRecord]) -> dict[str, np.ndarray]:
    """Per item: per label its true positives, false positives, false negatives and
    whether it occurs at all; the FNC-1 points earned and possible; the pair count."""
    cols: dict[str, list[float]] = {}
    for r in records:
        pairs = r.claim_pairs
        row = {"claims:n": float(len(pairs))}
        for label in scorers.CLAIM_LABELS:
            row[f"{label}:tp"] = sum(1.0 for p, g in pairs if p == label and g == label)
            row[f"{label}:fp"] = sum(1.0 for p, g in pairs if p == label and g != label)
            row[f"{label}:fn"] = sum(1.0 for p, g in pairs if p != label and g == label)
            row[f"{label}:occurs"] = sum(1.0 for pair in pairs if label in pair)
        row["fnc1:earned"], row["fnc1:best"] = scorers.fnc1_score(pairs)
        row["related:right"] = scorers.related_accuracy(pairs) * len(pairs)
        for key, value in row.items():
            cols.setdefault(key, []).append(value)
    out = {k: np.array(v, dtype=float) for k, v in cols.items()}
    return out | _confidence_columns("claim", [r.claim_confidences for r in records])


def _confidence_columns(
    output: str, per_item: Sequence[Sequence[tuple[float, bool]]]
) -> dict[str, np.ndarray]:
    """Per item, of one output's (confidence, right) pairs: their count and squared
    error, and per bin of confidence the pairs, their confidences and how many were
    right, so that a resample's ECE is the pooled one (scorers.expected_calibration_error)."""
    cols: dict[str, list[float]] = {}
    for sure in per_item:
        row = {
            f"{output}:confident:n": float(len(sure)),
            f"{output}:confident:squared": sum((c - float(right)) ** 2 for c, right in sure),
        }
        for b in range(scorers.CALIBRATION_BINS):
            inside = [(c, right) for c, right in sure if scorers.calibration_bin(c) == b]
            row[f"{output}:bin{b}:n"] = float(len(inside))
            row[f"{output}:bin{b}:confidence"] = sum(c for c, _ in inside)
            row[f"{output}:bin{b}:right"] = sum(1.0 for _, right in inside if right)
        for key, value in row.items():
            cols.setdefault(key, []).append(value)
    return {k: np.array(v, dtype=float) for k, v in cols.items()}


def _macro_f1(s: Sums) -> np.ndarray:
    """scorers.macro_f1 on the pooled pairs: mean F1 over the labels that occur."""
    total = np.zeros_like(s["claims:n"])
    present = np.zeros_like(total)
    for label in scorers.CLAIM_LABELS:
        tp, fp, fn = (s[f"{label}:{part}"] for part in ("tp", "fp", "fn"))
        f1 = np.where(tp > 0, _ratio(2 * tp, 2 * tp + fp + fn, 0.0), 0.0)
        occurs = s[f"{label}:occurs"] > 0
        total += np.where(occurs, f1, 0.0)
        present += occurs
    return np.where(s["claims:n"] > 0, _ratio(total, present, 0.0), math.nan)


def _related(s: Sums) -> np.ndarray:
    return _ratio(s["related:right"], s["claims:n"])


def _fnc1(s: Sums) -> np.ndarray:
    return _ratio(s["fnc1:earned"], s["fnc1:best"])


def _confident_share(s: Sums) -> np.ndarray:
    return _ratio(s["claim:confident:n"], s["claims:n"])


def _ece(output: str) -> Estimator:
    def ece(s: Sums) -> np.ndarray:
        gap = sum(
            np.abs(s[f"{output}:bin{b}:confidence"] - s[f"{output}:bin{b}:right"])
            for b in range(scorers.CALIBRATION_BINS)
        )
        return _ratio(np.asarray(gap, dtype=float), s[f"{output}:confident:n"])

    return ece


def _brier(output: str) -> Estimator:
    return lambda s: _ratio(s[f"{output}:confident:squared"], s[f"{output}:confident:n"])


def figures_at(records: Sequence[ItemRecord]) -> dict[str, float | None]:
    """Each metric's figure on the items as they are (every weight 1): what aggregate()
    reports, recomputed here so that a drift between the two shows in the tests."""
    figures = _figures(records)
    values = figures.values(np.ones((1, len(records))))
    return {k: (None if math.isnan(v[0]) else float(v[0])) for k, v in values.items()}


def intervals(
    records: Sequence[ItemRecord],
    *,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
    seed: int = SEED,
) -> dict[str, dict[str, Interval]]:
    """Per system, per metric, the percentile bootstrap interval over items. A metric
    measured on fewer than two items gets none: one item has no spread to resample."""
    out: dict[str, dict[str, Interval]] = {}
    for system in dict.fromkeys(r.system for r in records):
        mine = [r for r in records if r.system == system]
        figures = _figures(mine)
        # The same seed for every system: reproducible, and systems that ran the same
        # items draw the same resamples of positions.
        rng = np.random.default_rng(seed)
        n = len(mine)
        batch = max(1, min(resamples, BATCH_CELLS // max(n, 1)))
        drawn: dict[str, list[np.ndarray]] = {k: [] for k in figures.estimators}
        for start in range(0, resamples, batch):
            rows = min(batch, resamples - start)
            picks = rng.integers(0, n, size=(rows, n))
            # Counts of each item in each resample: one bincount for the whole batch.
            offsets = picks + (np.arange(rows) * n)[:, None]
            weights = np.bincount(offsets.ravel(), minlength=rows * n).reshape(rows, n)
            for key, values in figures.values(weights.astype(float)).items():
                drawn[key].append(values)
        tail = (1 - confidence) / 2 * 100
        out[system] = {}
        for key, parts in drawn.items():
            values = np.concatenate(parts)
            # A resample without any item the metric applies to has no figure at all.
            values = values[~np.isnan(values)]
            if figures.items[key] < 2 or not len(values):
                continue
            low, high = np.percentile(values, [tail, 100 - tail])
            out[system][key] = Interval(
                float(low), float(high), figures.items[key], key in figures.pooled
            )
    return out


def interval_text(interval: Interval | None, kind: str) -> str:
    """``[0.49, 0.60]``: rounded outwards, so the shown interval never looks narrower
    than the computed one (nor excludes a value it contains)."""
    if interval is None:
        return ""
    places = 1 if kind in ("number", "seconds") else 2
    scale = 10**places
    low = math.floor(interval.low * scale + 1e-9) / scale
    high = math.ceil(interval.high * scale - 1e-9) / scale
    unit = " s" if kind == "seconds" else ""
    return f"[{low:,.{places}f}, {high:,.{places}f}]{unit}"


# --- the distribution chart --------------------------------------------------------
