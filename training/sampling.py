"""Which examples are kept, which are held back, and in which order they are written.

Everything is fixed by the seed:

- :func:`capped` keeps at most ``limit`` examples of a task, drawn within each stratum
  (a claim label; an events example's corpus) in proportion to its size, so that the
  natural label mix holds;
- :func:`held_back` picks whole sources (an article, an FNC-1 body) for the held-back
  slice, a share of each corpus, so no article is in both files;
- :func:`shuffled` mixes tasks and corpora: a training loop that reads the file in
  order, or scores the first held-back examples only, sees every task.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def capped(
    items: Sequence[T], limit: int, seed: int, stratum: Callable[[T], str]
) -> tuple[list[T], Counter[str]]:
    """At most ``limit`` of ``items``, each stratum's share kept (largest remainders),
    in their original order; and how many of each stratum were left out."""
    if len(items) <= limit:
        return list(items), Counter()
    groups: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        groups.setdefault(stratum(item), []).append(index)
    quotas = {k: limit * len(v) / len(items) for k, v in groups.items()}
    counts = {k: int(q) for k, q in quotas.items()}
    by_remainder = sorted(groups, key=lambda k: (-(quotas[k] - counts[k]), k))
    for key in by_remainder[: limit - sum(counts.values())]:
        counts[key] += 1
    rng = random.Random(seed)
    chosen: set[int] = set()
    for key in sorted(groups):
        chosen.update(rng.sample(groups[key], counts[key]))
    dropped = Counter({k: len(v) - counts[k] for k, v in groups.items() if len(v) > counts[k]})
    return [items[i] for i in sorted(chosen)], dropped


def held_back(sources: Sequence[tuple[str, str]], share: float, seed: int) -> set[str]:
    """The source ids of the held-back slice: of each corpus's (corpus, source id) pairs,
    the ``share`` (at least one, if the corpus has two or more sources) whose seeded
    hash is lowest."""
    by_corpus: dict[str, set[str]] = {}
    for corpus, source_id in sources:
        by_corpus.setdefault(corpus, set()).add(source_id)
    held: set[str] = set()
    for ids in by_corpus.values():
        if len(ids) < 2 or share <= 0:
            continue
        count = min(len(ids) - 1, max(1, round(share * len(ids))))
        held.update(sorted(ids, key=lambda i: _hash(seed, i))[:count])
    return held


def shuffled(items: Sequence[T], seed: int) -> list[T]:
    mixed = list(items)
    random.Random(seed).shuffle(mixed)
    return mixed


def _hash(seed: int, text: str) -> str:
    return hashlib.sha256(f"{seed}:{text}".encode()).hexdigest()
