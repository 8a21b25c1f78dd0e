"""Fit the FNC-1 official baseline on FNC-1 train and write it as package data.

    python -m training.fnc1_baseline --fnc1 DIR --out summarizer/evaluation/fnc1_baseline

DIR holds FNC-1's ``train_bodies.csv`` and ``train_stances.csv`` (49,972 pairs); only
those two files are opened, never ``competition_test_*`` (every FNC-1 dev set comes from
it). Either spelling of the body id column (``Body ID``, ``Body_ID``) and either form of
the stance (the word, or 0-3 in the order agree, disagree, discuss, unrelated) is read.

The classifier is the reference's (FakeNewsChallenge/fnc-1-baseline): scikit-learn's
GradientBoostingClassifier, 200 stages, its other settings at their defaults, seed 14128.
The reference fits ten folds and keeps the best; this fits once, on every training pair.
The fitted trees are exported as arrays (``model.npz``) and checked to score every
training pair exactly as scikit-learn does; ``manifest.json`` says how they were made.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from summarizer.errors import InputError
from summarizer.evaluation.fnc1_baseline.features import FEATURE_NAMES, feature_matrix
from summarizer.evaluation.fnc1_baseline.model import LABELS, BoostedTrees
from summarizer.schema import ClaimLabel
from training.sources import fnc1

FILES = ("train_bodies.csv", "train_stances.csv")
SEED = 14128  # the reference's
STAGES = 200


@dataclass(frozen=True)
class Pair:
    headline: str
    body_id: str
    label: ClaimLabel


def read_train(folder: Path) -> tuple[dict[str, str], list[Pair]]:
    """FNC-1 train's bodies by id, and its (headline, body id, label) rows in file order
    (read as the training data reads them: :func:`training.sources.fnc1.read_train`)."""
    bodies, rows = fnc1.read_train(folder)
    return bodies, [Pair(headline, body, label) for headline, body, label in rows]


def export(classifier: Any) -> BoostedTrees:
    """A fitted GradientBoostingClassifier's trees as :class:`BoostedTrees` arrays."""
    trees = classifier.estimators_
    stages, classes = trees.shape
    nodes = max(t.tree_.node_count for t in trees.ravel())
    shape = (stages, classes, nodes)
    # Padding nodes are leaves that no walk reaches.
    feature = np.zeros(shape, dtype=np.int32)
    threshold = np.zeros(shape, dtype=np.float64)
    left = np.full(shape, -1, dtype=np.int32)
    right = np.full(shape, -1, dtype=np.int32)
    value = np.zeros(shape, dtype=np.float64)
    for s in range(stages):
        for k in range(classes):
            tree = trees[s, k].tree_
            n = tree.node_count
            inner = tree.children_left != -1
            feature[s, k, :n] = np.where(inner, tree.feature, 0)
            threshold[s, k, :n] = np.where(inner, tree.threshold, 0.0)
            left[s, k, :n] = tree.children_left
            right[s, k, :n] = tree.children_right
            value[s, k, :n] = tree.value[:, 0, 0]
    # The init estimator's raw score is the same for every row (the class prior).
    init = classifier._raw_predict_init(np.zeros((1, len(FEATURE_NAMES))))[0]
    return BoostedTrees(
        labels=tuple(LABELS[int(c)] for c in classifier.classes_),
        feature_names=FEATURE_NAMES,
        init=np.asarray(init, dtype=np.float64),
        learning_rate=float(classifier.learning_rate),
        feature=feature,
        threshold=threshold,
        left=left,
        right=right,
        value=value,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fit(
    folder: Path, out: Path, *, seed: int, stages: int, source: str | None, command: list[str]
) -> dict[str, Any]:
    """Fit, check and write ``out/model.npz`` and ``out/manifest.json`` (which records
    ``command``, the arguments it was run with); the manifest."""
    from sklearn import __version__ as sklearn_version
    from sklearn.ensemble import GradientBoostingClassifier

    bodies, pairs = read_train(folder)
    started = time.perf_counter()
    features = feature_matrix((p.headline, bodies[p.body_id]) for p in pairs)
    feature_seconds = time.perf_counter() - started
    labels = np.array([LABELS.index(p.label) for p in pairs])
    classifier = GradientBoostingClassifier(n_estimators=stages, random_state=seed)
    # Wall time depends on what else the machine runs; the process's CPU time does not.
    started, cpu = time.perf_counter(), time.process_time()
    classifier.fit(features, labels)
    fit_seconds, fit_cpu = time.perf_counter() - started, time.process_time() - cpu
    if list(classifier.classes_) != list(range(len(LABELS))):
        raise InputError("the training data lacks a label: every one of the four must occur")
    model = export(classifier)
    # The shipped predictor must be scikit-learn's, not an approximation of it.
    if not np.array_equal(model.raw_scores(features), classifier.decision_function(features)):
        raise AssertionError("the exported trees do not score as scikit-learn does")
    out.mkdir(parents=True, exist_ok=True)
    model.save(out / "model.npz")
    predicted = model.predict(features)
    counts = Counter(p.label for p in pairs)
    manifest = {
        "what": "FNC-1 official baseline (FakeNewsChallenge/fnc-1-baseline's features, "
        "written anew with regex tokens instead of WordNet lemmas and character grams "
        "unspaced), fitted on FNC-1 train",
        "source": source,
        "files": {
            name: {"sha256": sha256(folder / name), "rows": rows}
            for name, rows in zip(FILES, (len(bodies), len(pairs)), strict=True)
        },
        "pairs": len(pairs),
        "label_counts": {label: counts[label] for label in LABELS},
        "features": list(FEATURE_NAMES),
        "estimator": "sklearn.ensemble.GradientBoostingClassifier",
        "params": {
            key: value
            for key, value in classifier.get_params().items()
            if isinstance(value, int | float | str | bool) or value is None
        },
        "seed": seed,
        "scikit_learn": sklearn_version,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "threads": os.environ.get("OMP_NUM_THREADS"),
        "command": shlex.join(["python", "-m", "training.fnc1_baseline", *command]),
        "feature_seconds": round(feature_seconds, 1),
        "fit_seconds": round(fit_seconds, 1),
        "fit_cpu_seconds": round(fit_cpu, 1),
        "training_accuracy": round(
            sum(a == p.label for a, p in zip(predicted, pairs, strict=True)) / len(pairs), 4
        ),
        "model_sha256": sha256(out / "model.npz"),
        "model_bytes": (out / "model.npz").stat().st_size,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fnc1", type=Path, required=True, help="folder with FNC-1's train_*.csv")
    parser.add_argument("--out", type=Path, required=True, help="folder for model.npz + manifest")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--stages", type=int, default=STAGES, help="boosting stages")
    parser.add_argument("--source", help="where DIR came from (repository@commit), for the record")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    try:
        manifest = fit(
            args.fnc1,
            args.out,
            seed=args.seed,
            stages=args.stages,
            source=args.source,
            command=argv,
        )
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"{manifest['pairs']} pairs {manifest['label_counts']}: features in "
        f"{manifest['feature_seconds']} s, fit in {manifest['fit_seconds']} s "
        f"({manifest['fit_cpu_seconds']} s of CPU), training "
        f"accuracy {manifest['training_accuracy']}; wrote {args.out / 'model.npz'} "
        f"({manifest['model_bytes']} bytes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
