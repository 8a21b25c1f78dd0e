"""The FNC-1 official baseline as an eval system's engine: hand-made lexical features of a
(headline, body) pair and gradient-boosted trees fitted on FNC-1 train.

``features`` computes the pair's features; ``model`` holds the fitted trees (shipped as
``model.npz`` with ``manifest.json``, written by ``python -m training.fnc1_baseline``) and
labels claims with them.
"""

from summarizer.evaluation.fnc1_baseline.features import (
    FEATURE_NAMES,
    feature_matrix,
    pair_features,
)
from summarizer.evaluation.fnc1_baseline.model import (
    BoostedTrees,
    claim_labels,
    load_model,
    model_digest,
    shipped_model,
)

__all__ = [
    "FEATURE_NAMES",
    "BoostedTrees",
    "claim_labels",
    "feature_matrix",
    "load_model",
    "model_digest",
    "pair_features",
    "shipped_model",
]
