"""Average-linkage clusters, blocked so that the cost follows the similar pairs.

Average linkage merges two clusters while the mean similarity of their members is at
least the threshold, so two items end in one cluster only if a chain of pairs at least
that similar joins them: the connected components of the graph of such pairs are exact
blocks. Pairs are found by sparse products a slice of rows at a time (memory stays
bounded), and each block is clustered on its own with scipy.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

# Rows per sparse product: a slice's similarities are SLICE_ROWS × n floats.
SLICE_ROWS = 512
Matrix = NDArray[np.float64]
# Extra rule on a block's similarities (e.g. dates too far apart), applied in place.
Mask = Callable[[NDArray[np.intp], Matrix], None]


def similar_pairs(vectors: sp.csr_matrix, threshold: float) -> sp.csr_matrix:
    """The pairs of rows (L2-normalised) whose cosine similarity is at least
    ``threshold``, as a sparse boolean graph."""
    n = vectors.shape[0]
    transposed = vectors.T.tocsc()
    rows: list[NDArray[np.intp]] = []
    cols: list[NDArray[np.intp]] = []
    for start in range(0, n, SLICE_ROWS):
        block = (vectors[start : start + SLICE_ROWS] @ transposed).tocoo()
        keep = block.data >= threshold
        rows.append(block.row[keep] + start)
        cols.append(block.col[keep])
    row, col = (
        np.concatenate(rows or [np.empty(0, np.intp)]),
        np.concatenate(cols or [np.empty(0, np.intp)]),
    )
    return sp.csr_matrix((np.ones(len(row), dtype=bool), (row, col)), shape=(n, n))


def average_link(similarity: Matrix, threshold: float) -> list[list[int]]:
    """Clusters of a small dense similarity matrix: average linkage, cut where the
    mean similarity falls below ``threshold``."""
    n = similarity.shape[0]
    if n == 1:
        return [[0]]
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform((distance + distance.T) / 2, checks=False), method="average")
    # A small tolerance: a mean exactly at the threshold joins.
    labels = fcluster(tree, t=1.0 - threshold + 1e-9, criterion="distance")
    return _by_label(labels)


def clusters(vectors: sp.csr_matrix, threshold: float, mask: Mask | None = None) -> list[list[int]]:
    """Average-linkage clusters of the rows of ``vectors`` by cosine similarity, in the
    order of their first row; each cluster's rows in order."""
    n = vectors.shape[0]
    if n == 0:
        return []
    graph = similar_pairs(vectors, threshold)
    _, component = connected_components(graph, directed=False)
    found: list[list[int]] = []
    for members in _by_label(component):
        index = np.asarray(members, dtype=np.intp)
        block = vectors[index]
        similarity = np.asarray((block @ block.T).todense(), dtype=np.float64)
        if mask is not None:
            mask(index, similarity)
        found += [[members[i] for i in cluster] for cluster in average_link(similarity, threshold)]
    return sorted(found, key=lambda c: c[0])


def _by_label(labels: NDArray[np.integer]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels.tolist()):
        groups.setdefault(int(label), []).append(i)
    return sorted(groups.values(), key=lambda c: c[0])
