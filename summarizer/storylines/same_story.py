"""Whether two articles of one kind report the same story: a small learned model.

Shared vocabulary says two articles are about the same kind of event; what says they
are about the same one is what a reader checks: the same names, the same year and day,
the same magnitude or toll, and none that conflict. Each pair of articles is described
by :data:`FEATURES`, computed for a whole block of articles at once by sparse products,
and a logistic regression (scikit-learn, fitted by ``training/same_story.py`` on ECB+
*training* topics: two articles of one topic, of the same subtopic or not) turns them
into the probability that the two report the same story. The weights ship in
``summarizer/storylines/models/same-story.json`` with the manifest of their data and
command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from summarizer.errors import ConfigError

if TYPE_CHECKING:
    from summarizer.storylines.stories import ArticleVectors

MODEL = Path(__file__).resolve().parent / "models" / "same-story.json"
FEATURES = (
    "words",  # TF-IDF cosine of content words
    "names",  # TF-IDF cosine of names
    "years shared",  # both write a year they share
    "years conflict",  # both write years, none shared
    "dates shared",  # a month and day in common
    "dates conflict",  # both write dates, none shared
    "quantities shared",  # ln(1 + quantities in common: "magnitud=6.1")
    "quantities conflict",  # ln(1 + units counted by both with no number in common)
)
Matrix = NDArray[np.float64]


def pair_features(vectors: ArticleVectors, rows: NDArray[np.intp]) -> list[Matrix]:
    """Each of :data:`FEATURES` for every pair of the articles ``rows``, as dense
    len(rows) × len(rows) matrices."""

    def product(matrix: sp.csr_matrix) -> Matrix:
        block = matrix[rows]
        return np.asarray((block @ block.T).todense(), dtype=np.float64)

    def has(matrix: sp.csr_matrix) -> NDArray[np.bool_]:
        present = np.asarray(matrix[rows].getnnz(axis=1) > 0)
        return np.asarray(present[:, None] & present[None, :])

    years, dates = product(vectors.years) > 0, product(vectors.dates) > 0
    shared = product(vectors.quantities)
    units = product(vectors.units)
    return [
        product(vectors.words),
        product(vectors.names),
        years.astype(np.float64),
        (has(vectors.years) & ~years).astype(np.float64),
        dates.astype(np.float64),
        (has(vectors.dates) & ~dates).astype(np.float64),
        np.log1p(shared),
        np.log1p(np.clip(units - shared, 0.0, None)),
    ]


@dataclass(frozen=True)
class SameStoryModel:
    weights: tuple[float, ...]
    intercept: float

    def probability(self, features: list[Matrix]) -> Matrix:
        """The probability that each pair reports the same story."""
        score = np.full_like(features[0], self.intercept)
        for weight, feature in zip(self.weights, features, strict=True):
            score += weight * feature
        return np.asarray(1.0 / (1.0 + np.exp(-score)))


@cache
def same_story_model(path: Path = MODEL) -> SameStoryModel:
    """The shipped model (or the one at ``path``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"the same-story model is missing or unreadable ({path}): reinstall summarizer"
        ) from exc
    if tuple(data["features"]) != FEATURES:
        raise ConfigError(f"{path}: made for other features than these ({', '.join(FEATURES)})")
    return SameStoryModel(tuple(float(w) for w in data["weights"]), float(data["intercept"]))
