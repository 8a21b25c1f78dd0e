"""Compare two runs item by item: paired bootstrap confidence intervals per metric, and a
verdict that can gate CI (a regression beyond the threshold fails)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from summarizer.errors import InputError
from summarizer.evaluation.report import METRIC_GROUPS, METRICS
from summarizer.evaluation.runner import read_records

# Cost is reported but does not gate: latency on shared machines is noise.
GATED = [
    m.key
    for group, metrics in METRIC_GROUPS
    if group != "cost per item"
    for m in metrics
    if m.ranked
]


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


def compare_runs(
    before: Path,
    after: Path,
    *,
    system: str = "pipeline",
    threshold: float = 0.02,
    resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> list[MetricChange]:
    """Per metric, the paired change from ``before`` to ``after`` on the items both ran.

    A change is a regression when it is worse by more than ``threshold`` on average and
    the whole confidence interval lies on the worse side of zero.
    """
    a = {r.item: r for r in read_records(before) if r.system == system}
    b = {r.item: r for r in read_records(after) if r.system == system}
    if not a or not b:
        raise InputError(f"system {system!r} is missing from one of the runs")
    shared = sorted(set(a) & set(b))
    if not shared:
        raise InputError("the two runs have no item in common")
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
