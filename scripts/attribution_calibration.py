"""Fit the map from the attribution tagger's cue probability to the probability that the
attribution is right, on PolNeAR dev's tuning half (never the reporting half: the half
is not an option), and write it beside the shipped model.

    python scripts/attribution_calibration.py DATA [--out FILE.json]

DATA is ../shared/data. Every attribution the shipped tagger finds on the tuning half's
articles (no threshold) gives a pair: its cue's marginal probability, and whether the
eval matches it strictly (content and source, :func:`scorers.attribution_confidences`).
Three maps are compared by 5-fold cross-validation over the articles (an article's
attributions in one fold): the marginal as it is, scikit-learn's isotonic regression,
and Platt scaling (a logistic regression on the marginal's log-odds). The one with the
lowest Brier score is fitted on the whole tuning half and written as ``marginal`` and
``probability`` on a grid of :data:`GRID` points (read by
:func:`summarizer.attribution_tagger.calibrated`, which interpolates), with the model's
sha256 (a test checks it is the shipped model's), the cross-validated figures and the
command. The reporting half's figure comes from the eval (``make
eval-attributions-report``: ``attribution_ece``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from summarizer.attribution_tagger import CALIBRATION, MODEL, tagged
from summarizer.evaluation.baselines import _pred_attribution
from summarizer.evaluation.datasets import load_dataset
from summarizer.evaluation.halves import select
from summarizer.evaluation.records import Prediction
from summarizer.evaluation.scorers import attribution_confidences, brier, expected_calibration_error
from summarizer.evaluation.systems import article_of

GRID = 201
FOLDS = 5
Map = Callable[[np.ndarray], np.ndarray]


def _log_odds(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 1e-4, 1 - 1e-4)
    return np.asarray(np.log(x / (1 - x)))[:, None]


def _raw(m: np.ndarray, y: np.ndarray) -> Map:
    return lambda x: x


def _isotonic(m: np.ndarray, y: np.ndarray) -> Map:
    fit = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(m, y)
    return lambda x: np.asarray(fit.predict(x))


def _platt(m: np.ndarray, y: np.ndarray) -> Map:
    fit = LogisticRegression(C=1e6).fit(_log_odds(m), y)
    return lambda x: np.asarray(fit.predict_proba(_log_odds(x))[:, 1])


METHODS: dict[str, Callable[[np.ndarray, np.ndarray], Map]] = {
    "raw": _raw,
    "isotonic": _isotonic,
    "platt": _platt,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--out", type=Path, default=CALIBRATION)
    args = parser.parse_args(argv)
    fixtures = select(load_dataset("polnear", args.data), "tune")
    pairs: list[tuple[float, bool]] = []
    article: list[int] = []
    for number, fixture in enumerate(fixtures):
        found, sure = tagged(article_of(fixture), MODEL)
        # The raw marginal as the confidence, to be scored as the eval scores one.
        raw = [
            _pred_attribution(f).model_copy(update={"confidence": sure[f.cue.start]})
            for f in found
            if f.cue.start in sure
        ]
        mine = attribution_confidences(Prediction(attributions=raw), fixture)
        pairs += mine
        article += [number] * len(mine)
    m = np.array([c for c, _ in pairs])
    y = np.array([float(right) for _, right in pairs])
    fold = np.array(article) % FOLDS
    rights = [right for _, right in pairs]
    checked: dict[str, dict[str, float]] = {}
    for name, method in METHODS.items():
        held = np.zeros_like(m)
        for k in range(FOLDS):
            held[fold == k] = method(m[fold != k], y[fold != k])(m[fold == k])
        scored = list(zip(held.tolist(), rights, strict=True))
        checked[name] = {
            "ece": round(expected_calibration_error(scored), 4),
            "brier": round(brier(scored), 4),
        }
    chosen = min(checked, key=lambda name: checked[name]["brier"])
    grid = np.linspace(0.0, 1.0, GRID)
    table = {
        "command": "python scripts/attribution_calibration.py DATA",
        "data": "PolNeAR dev (polnear_dev.jsonl), tuning half",
        "articles": len(fixtures),
        "attributions": len(pairs),
        "right": int(y.sum()),
        "model_sha256": hashlib.sha256(MODEL.read_bytes()).hexdigest(),
        "cross_validated": checked,
        "chosen": chosen,
        "marginal": [round(float(x), 4) for x in grid],
        "probability": [round(float(p), 4) for p in METHODS[chosen](m, y)(grid)],
    }
    args.out.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    figures = ", ".join(f"{k} ECE {v['ece']} Brier {v['brier']}" for k, v in checked.items())
    print(f"{len(pairs)} attributions of {len(fixtures)} articles, {FOLDS}-fold: {figures}")
    print(f"chosen: {chosen}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
