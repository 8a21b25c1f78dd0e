"""Average-linkage clusters, blocked so that the cost follows the similar pairs.

Average linkage merges two clusters while the mean similarity of their members is at
least the threshold, so two items end in one cluster only if a chain of pairs at least
that similar joins them: the connected components of the graph of such pairs are exact
blocks, and each is clustered on its own with scipy.

On a large run that graph can join almost everything (articles share common words), so
it keeps only each item's :data:`NEIGHBOURS` most similar items, found by sparse
products a slice of rows at a time (memory stays bounded), and a component larger than
:data:`MAX_BLOCK` is cut along its weakest edges until its parts fit. Runs of up to
NEIGHBOURS + 1 items in blocks of up to MAX_BLOCK are clustered exactly.
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
SLICE_ROWS = 128
NEIGHBOURS = 50
# A block's dense similarities take MAX_BLOCK² × 8 bytes (8 MB), several times over.
MAX_BLOCK = 1000
# The share of a too-large block's edges dropped at each cut.
WEAKEST = 0.1
Matrix = NDArray[np.float64]
# Extra rule on a block's similarities (e.g. dates too far apart), applied in place.
Mask = Callable[[NDArray[np.intp], Matrix], None]


def similar_pairs(
    vectors: sp.csr_matrix, threshold: float, neighbours: int = NEIGHBOURS
) -> sp.csr_matrix:
    """Each row's ``neighbours`` most similar rows (cosine of L2-normalised rows) that
    are at least ``threshold`` alike, as a sparse graph weighted by the similarity."""
    n = vectors.shape[0]
    transposed = vectors.T.tocsc()
    rows: list[NDArray[np.intp]] = []
    cols: list[NDArray[np.intp]] = []
    values: list[NDArray[np.float64]] = []
    for start in range(0, n, SLICE_ROWS):
        similarity = np.asarray((vectors[start : start + SLICE_ROWS] @ transposed).todense())
        if n > neighbours + 1:
            nearest = np.argpartition(-similarity, neighbours + 1, axis=1)[:, : neighbours + 1]
        else:
            nearest = np.broadcast_to(np.arange(n), similarity.shape)
        found = np.take_along_axis(similarity, nearest, axis=1)
        keep = found >= threshold
        rows.append(np.nonzero(keep)[0] + start)
        cols.append(nearest[keep])
        values.append(found[keep])
    graph = sp.csr_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
    )
    symmetric: sp.csr_matrix = graph.maximum(graph.T).tocsr()
    return symmetric


def blocks(graph: sp.csr_matrix, max_block: int = MAX_BLOCK) -> list[list[int]]:
    """Connected components of ``graph``; one larger than ``max_block`` is cut by
    dropping its weakest tenth of edges, again until every part fits."""
    _, labels = connected_components(graph, directed=False)
    found: list[list[int]] = []
    for members in _by_label(labels):
        if len(members) <= max_block:
            found.append(members)
            continue
        inner = graph[members][:, members].tocsr()
        cut = float(np.quantile(inner.data, WEAKEST)) if inner.nnz else 0.0
        stronger = inner.multiply(inner > cut).tocsr() if inner.nnz else inner
        if stronger.nnz == inner.nnz:  # all edges alike: nothing left to cut by
            found += [members[i : i + max_block] for i in range(0, len(members), max_block)]
            continue
        found += [[members[i] for i in part] for part in blocks(stronger, max_block)]
    return found


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


def clusters(
    vectors: sp.csr_matrix, threshold: float, mask: Mask | None = None, cut: float | None = None
) -> list[list[int]]:
    """Average-linkage clusters of the rows of ``vectors`` by cosine similarity, in the
    order of their first row; each cluster's rows in order. ``mask`` may change a
    block's similarities (or replace them: a learned probability), and ``cut`` is then
    the least mean similarity of a cluster (default ``threshold``); pairs less alike
    than ``threshold`` are candidates only through others."""
    if vectors.shape[0] == 0:
        return []
    found: list[list[int]] = []
    least = threshold if cut is None else cut
    for members in blocks(similar_pairs(vectors, threshold)):
        if len(members) == 1:
            found.append(members)
            continue
        index = np.asarray(members, dtype=np.intp)
        block = vectors[index]
        similarity = np.asarray((block @ block.T).todense(), dtype=np.float64)
        if mask is not None:
            mask(index, similarity)
        found += [[members[i] for i in cluster] for cluster in average_link(similarity, least)]
    return sorted(found, key=lambda c: c[0])


def _by_label(labels: NDArray[np.integer]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels.tolist()):
        groups.setdefault(int(label), []).append(i)
    return sorted(groups.values(), key=lambda c: c[0])
