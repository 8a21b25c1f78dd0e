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
from collections.abc import Iterable, Iterator
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
    return list(_features(vectors, rows, rows))


def _features(
    vectors: ArticleVectors, rows: NDArray[np.intp], cols: NDArray[np.intp]
) -> Iterator[Matrix]:
    """:data:`FEATURES` of the pairs (``rows`` × ``cols``), one at a time, so that a
    large block holds few at once."""

    def product(matrix: sp.csr_matrix) -> Matrix:
        return np.asarray((matrix[rows] @ matrix[cols].T).todense(), dtype=np.float64)

    def both(matrix: sp.csr_matrix) -> NDArray[np.bool_]:
        has = np.asarray(matrix.getnnz(axis=1) > 0)
        return np.asarray(has[rows][:, None] & has[cols][None, :])

    yield product(vectors.words)
    yield product(vectors.names)
    for matrix in (vectors.years, vectors.dates):
        shared = product(matrix) > 0
        yield shared.astype(np.float64)
        yield (both(matrix) & ~shared).astype(np.float64)
    counted = product(vectors.quantities)
    yield np.log1p(counted)
    yield np.log1p(np.clip(product(vectors.units) - counted, 0.0, None))


# Rows of a block whose pairs are scored at a time: a block of a thousand articles never
# holds more than a few slices of CHUNK_ROWS × 1000 besides its answer.
CHUNK_ROWS = 128


@dataclass(frozen=True)
class SameStoryModel:
    weights: tuple[float, ...]
    intercept: float

    def probability(self, features: Iterable[Matrix]) -> Matrix:
        """The probability that each pair reports the same story."""
        score: Matrix | None = None
        for weight, feature in zip(self.weights, features, strict=True):
            if score is None:
                score = weight * feature
            else:
                score += weight * feature
        assert score is not None
        score += self.intercept
        # In place: a block of a thousand articles holds a few of these at a time.
        np.negative(score, out=score)
        np.exp(score, out=score)
        score += 1.0
        np.reciprocal(score, out=score)
        return score

    def pair_probability(self, vectors: ArticleVectors, rows: NDArray[np.intp]) -> Matrix:
        """:meth:`probability` of the pairs of ``rows``, a slice of rows and a feature
        at a time."""
        found = np.empty((len(rows), len(rows)), dtype=np.float64)
        for start in range(0, len(rows), CHUNK_ROWS):
            part = rows[start : start + CHUNK_ROWS]
            found[start : start + len(part)] = self.probability(_features(vectors, part, rows))
        return found


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
