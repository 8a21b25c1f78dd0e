"""A fitted gradient-boosted classifier as plain arrays, and the shipped FNC-1 baseline.

The model is stored as its trees' arrays in an ``.npz`` file, loaded with
``allow_pickle=False``: loading runs no code from the file, needs numpy only, and does
not depend on scikit-learn's private object layout, which changes between its versions
(a pickled estimator warns or fails on another version). :meth:`BoostedTrees.raw_scores`
walks the trees as scikit-learn's ``predict`` does (features as float32, ``x <= threshold``
goes left, each stage's leaf value times the learning rate added in stage order), so its
scores equal ``decision_function``'s bit for bit; ``training/fnc1_baseline.py`` checks
that on every training pair before it writes the file.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import get_args

import numpy as np
from numpy.typing import NDArray

from summarizer.errors import InputError
from summarizer.evaluation.fnc1_baseline.features import FEATURE_NAMES, feature_matrix
from summarizer.schema import ClaimLabel

MODEL_PATH = Path(__file__).resolve().parent / "model.npz"
MANIFEST_PATH = MODEL_PATH.with_name("manifest.json")
LABELS: tuple[ClaimLabel, ...] = get_args(ClaimLabel)

_LEAF = -1  # a node without children (scikit-learn's TREE_LEAF)
_ARRAYS = (
    *("labels", "feature_names", "init", "learning_rate"),
    *("feature", "threshold", "left", "right", "value"),
)
# Pairs whose trees are walked at once: bounds the (pairs x trees) arrays to a few MB.
_BATCH = 1024


@dataclass(frozen=True, eq=False)
class BoostedTrees:
    """A multi-class gradient-boosted tree ensemble.

    Node arrays are shaped (stages, classes, nodes); a tree with fewer nodes than the
    largest is padded with leaves. ``feature`` of a leaf is unused.
    """

    labels: tuple[ClaimLabel, ...]
    feature_names: tuple[str, ...]
    init: NDArray[np.float64]  # (classes,): the raw score before the first stage
    learning_rate: float
    feature: NDArray[np.int32]
    threshold: NDArray[np.float64]
    left: NDArray[np.int32]
    right: NDArray[np.int32]
    value: NDArray[np.float64]

    @property
    def stages(self) -> int:
        return int(self.value.shape[0])

    def raw_scores(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        """Per row of ``features``, one score per label (the higher, the likelier)."""
        if features.ndim != 2 or features.shape[1] != len(self.feature_names):
            raise ValueError(
                f"expected rows of {len(self.feature_names)} features, got {features.shape}"
            )
        if not np.isfinite(features).all():
            # Fitted without missing values: the trees have no rule for them.
            raise ValueError("features must be finite")
        parts = [
            self._raw(features[i : i + _BATCH].astype(np.float32))
            for i in range(0, len(features), _BATCH)
        ]
        return np.concatenate(parts) if parts else np.zeros((0, len(self.labels)))

    def _raw(self, x: NDArray[np.float32]) -> NDArray[np.float64]:
        stages, classes, _ = self.value.shape
        trees = np.arange(stages * classes)
        feature = self.feature.reshape(len(trees), -1)
        threshold = self.threshold.reshape(len(trees), -1)
        left = self.left.reshape(len(trees), -1)
        right = self.right.reshape(len(trees), -1)
        rows = np.arange(len(x))[:, None]
        node = np.zeros((len(x), len(trees)), dtype=np.intp)
        while True:
            inner = left[trees, node] != _LEAF
            if not inner.any():
                break
            # float32 against float64 compares as float64, as scikit-learn's Cython does.
            goes_left = x[rows, feature[trees, node]] <= threshold[trees, node]
            step = np.where(goes_left, left[trees, node], right[trees, node])
            node = np.where(inner, step, node)
        leaves = self.value.reshape(len(trees), -1)[trees, node].reshape(len(x), stages, classes)
        scores = np.tile(self.init, (len(x), 1))
        for stage in range(stages):  # in stage order: the sums are scikit-learn's, exactly
            scores += self.learning_rate * leaves[:, stage, :]
        return scores

    def probabilities(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        """Per row, the softmax of its raw scores (scikit-learn's ``predict_proba``)."""
        raw = self.raw_scores(features)
        exp = np.exp(raw - raw.max(axis=1, keepdims=True))
        return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float64)

    def predict(self, features: NDArray[np.float64]) -> list[ClaimLabel]:
        return [self.labels[int(i)] for i in self.raw_scores(features).argmax(axis=1)]

    def save(self, path: Path) -> None:
        """Write the arrays as an ``.npz`` whose bytes depend on the arrays only (fixed
        member dates, sorted names), so a refit to the same trees gives the same hash."""
        arrays = {
            "labels": np.array(self.labels),
            "feature_names": np.array(self.feature_names),
            "init": self.init,
            "learning_rate": np.array(self.learning_rate, dtype=np.float64),
            "feature": self.feature,
            "threshold": self.threshold,
            "left": self.left,
            "right": self.right,
            "value": self.value,
        }
        with zipfile.ZipFile(path, "w") as archive:
            for name in sorted(arrays):
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, arrays[name], allow_pickle=False)
                member = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                member.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(member, buffer.getvalue())


def load_model(path: Path) -> BoostedTrees:
    """The model in ``path``; its labels and feature names must be this code's."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            missing = [name for name in _ARRAYS if name not in stored.files]
            if missing:
                raise InputError(f"{path}: not a boosted-trees model (no {', '.join(missing)})")
            arrays = {name: stored[name] for name in _ARRAYS}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(f"cannot read the model {path}: {exc}") from None
    labels = tuple(str(label) for label in arrays["labels"])
    names = tuple(str(name) for name in arrays["feature_names"])
    if labels != LABELS or names != FEATURE_NAMES:
        raise InputError(
            f"{path} was fitted on other labels or features than this code computes: refit it"
        )
    shape = arrays["value"].shape
    if arrays["init"].shape != (len(LABELS),) or len(shape) != 3 or shape[1] != len(LABELS):
        raise InputError(f"{path}: the arrays' shapes do not fit together")
    if any(arrays[name].shape != shape for name in ("feature", "threshold", "left", "right")):
        raise InputError(f"{path}: the arrays' shapes do not fit together")
    return BoostedTrees(
        labels=LABELS,
        feature_names=FEATURE_NAMES,
        init=arrays["init"].astype(np.float64),
        learning_rate=float(arrays["learning_rate"]),
        feature=arrays["feature"].astype(np.int32),
        threshold=arrays["threshold"].astype(np.float64),
        left=arrays["left"].astype(np.int32),
        right=arrays["right"].astype(np.int32),
        value=arrays["value"].astype(np.float64),
    )


@cache
def shipped_model() -> BoostedTrees:
    """The FNC-1 baseline fitted on FNC-1 train (``manifest.json`` says how)."""
    return load_model(MODEL_PATH)


@cache
def model_digest() -> str:
    """The shipped model file's SHA-256 (its first 16 hex digits): part of the eval's
    cache key, since the code's hash does not cover data files."""
    return hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()[:16]


def claim_labels(body: str, claims: Sequence[str]) -> list[ClaimLabel]:
    """The shipped baseline's label for each claim (a headline) about ``body``."""
    if not claims:
        return []
    return shipped_model().predict(feature_matrix((claim, body) for claim in claims))
