"""Choose the claim gate's thresholds on the tuning halves of FNC-1 dev and natural dev.

    python scripts/tune_gate.py [DATA_DIR]    # default ../shared/data

Prints the (cosine, coverage) pair with the best related/unrelated accuracy over the
tuning halves' pairs together, the gate's accuracy on every half with those
thresholds, and the share of its "unrelated" calls that were right (the confidence
the pipeline gives them). The chosen values are written into
``summarizer/relatedness.py`` by hand, so that a figure never moves silently.
"""

from __future__ import annotations

import sys
from itertools import product
from pathlib import Path

import numpy as np

from summarizer.evaluation.datasets import load_dataset
from summarizer.evaluation.halves import half_of
from summarizer.relatedness import relatedness

DATASETS = ("fnc1", "fnc1-natural")


def pairs(data: Path, name: str) -> dict[str, np.ndarray]:
    """Per half, rows of (cosine, coverage, related) for every claim."""
    rows: dict[str, list[tuple[float, float, bool]]] = {"tune": [], "report": []}
    for fixture in load_dataset(name, data):
        scores = relatedness(fixture.text, [c.claim for c in fixture.claims])
        for score, gold in zip(scores, fixture.claims, strict=True):
            rows[half_of(fixture.id)].append(
                (score.cosine, score.coverage, gold.label != "unrelated")
            )
    return {half: np.array(r) for half, r in rows.items()}


def gate(rows: np.ndarray, cosine: float, coverage: float) -> np.ndarray:
    return (rows[:, 0] >= cosine) | (rows[:, 1] >= coverage)


def main() -> None:
    data = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    halves = {name: pairs(data, name) for name in DATASETS}
    tune = np.vstack([halves[name]["tune"] for name in DATASETS])
    grid = product(np.round(np.arange(0.02, 0.30, 0.01), 2), np.round(np.arange(0.2, 0.9, 0.02), 2))
    accuracy, cosine, coverage = max(
        (float(np.mean(gate(tune, c, v) == tune[:, 2])), float(c), float(v)) for c, v in grid
    )
    said = ~gate(tune, cosine, coverage)
    confidence = float(np.mean(tune[said, 2] == 0))
    print(f"COSINE = {cosine:.2f}, COVERAGE = {coverage:.2f}: tuning accuracy {accuracy:.3f}")
    print(f"CONFIDENCE = {confidence:.2f} (share of 'unrelated' calls right on tuning halves)")
    for name in DATASETS:
        for half, rows in halves[name].items():
            related = gate(rows, cosine, coverage)
            right = float(np.mean(related == rows[:, 2]))
            missed = int(np.sum(~related & (rows[:, 2] == 1)))
            print(
                f"  {name:13} {half:6} {len(rows):5} pairs: accuracy {right:.3f}, "
                f"{missed} related pairs called unrelated"
            )


if __name__ == "__main__":
    main()
