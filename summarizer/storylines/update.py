"""Adding articles to storylines: a first run adds them all to an empty state, an
update adds a feed's new ones to the state of the last run.

New articles are grouped with the stories near them only: the held articles that share
one of their keys (names, and their rarest words; a key that too many
articles have finds no story: :class:`Retrieval`), that are as alike in words as one
kind of event and published within the stories' date window. Those articles' whole
stories and the new articles are grouped again, by the same method as a full run, with
token frequencies of every article held. So an update's cost follows the new articles
and their neighbours, not the number of stories held.

A story's id comes from its first article. A regrouping that joins two stories keeps
the earlier's id and records the other as merged into it; one that splits a story
keeps its id with its first article and marks the rest ``split_from`` it.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from summarizer.storylines.build import build_story, story_id
from summarizer.storylines.digest import Digest
from summarizer.storylines.grouping import SLICE_ROWS, blocks
from summarizer.storylines.store import StoryStore
from summarizer.storylines.stories import (
    DATE_WINDOW_DAYS,
    ArticleVectors,
    StoryArticle,
    StorySettings,
    Tokens,
    article_tokens,
    article_vectors,
    group_stories,
)


@dataclass(frozen=True)
class Retrieval:
    """How an update finds the held articles near a new one."""

    # An article's rarest content words that are its keys, with all its names.
    key_words: int = 8
    # A key more articles have than this is common, not a story's: it finds none.
    most_shared: int = 1000
    # Up to this many articles held, every one is a candidate (exact on small runs).
    exhaustive: int = 2000
    # Of the held articles with a key, only the latest this many are looked at.
    recent: int = 50
    # Each new article is compared with this many articles that share most keys.
    nearest: int = 20
    # ... and is grouped again with the stories of this many most like it.
    links: int = 3
    # A region of more articles and stories than this is cut at its weakest links.
    largest: int = 500


# Pairs of articles compared at a time.
PAIR_SLICE = 100_000


@dataclass
class Change:
    """What one run or update did."""

    added: int = 0
    already_held: int = 0
    stories_touched: int = 0  # stories built again (new or changed)
    merged: dict[str, str] = field(default_factory=dict)  # id -> merged into
    split: dict[str, str] = field(default_factory=dict)  # new id -> split from
    seconds: float = 0.0


def add_articles(
    store: StoryStore,
    found: Sequence[tuple[Digest, Tokens]],
    settings: StorySettings,
    retrieval: Retrieval | None = None,
) -> Change:
    """Add ``found`` (digests and tokens, in the order they came) to the stories of
    ``store``; an article the store already has is skipped and counted."""
    retrieval = retrieval or Retrieval()
    started = time.perf_counter()
    held_ids = store.held([d.id for d, _ in found])
    fresh = [(d, t) for d, t in found if d.id not in held_ids]
    change = Change(added=len(fresh), already_held=len(found) - len(fresh))
    if not fresh:
        return change
    held = store.count()
    first = store.next_serial()
    new = {first + i: pair for i, pair in enumerate(fresh)}
    store.add_frequencies(t for _, t in fresh)
    total = held + len(fresh)
    keys = _keys(store, new, retrieval.key_words)
    built: list[tuple[str, int, int, int, str]] = []
    dropped: set[str] = set()
    moved: dict[int, str] = {}
    placed: dict[int, str] = {}
    regions = _regions(store, new, keys, held, total, settings, retrieval)
    # Every region's vectors at once (token frequencies are the whole collection's).
    # The tokens read to find the regions are read again: keeping them until then
    # raised the peak of an update onto a million from 3.1 to 3.8 GB and saved no time
    # (123 s either way: evals/reference/bench-k-1m-date.txt).
    known = store.tokens(sorted(s for h, _ in regions for s in h))
    serials = sorted(known) + sorted(new)
    rows = [known[s][0] for s in sorted(known)] + [new[s][1] for s in sorted(new)]
    vectors = article_vectors(rows, store.frequencies, total)
    row = {s: i for i, s in enumerate(serials)}
    for region_held, region_new in regions:
        part = _regroup(
            store,
            {s: known[s] for s in region_held},
            {s: new[s] for s in region_new},
            vectors.take([row[s] for s in [*region_held, *region_new]]),
            settings,
        )
        built += part.built
        dropped |= part.dropped
        moved |= part.moved
        placed |= part.placed
        change.merged |= part.merged
        change.split |= part.split
    store.drop_stories(dropped)
    store.put_stories(built)
    store.set_stories(moved)
    store.add_articles(
        ((s, d, t, placed[s]) for s, (d, t) in new.items()),
        ((k, s) for s, found_keys in keys.items() for k in found_keys),
    )
    store.merge(change.merged)
    change.stories_touched = len(built)
    change.seconds = time.perf_counter() - started
    return change


@dataclass
class _Regrouped:
    built: list[tuple[str, int, int, int, str]]  # stories: id, size, first, events, JSON
    dropped: set[str]  # stories no longer standing
    moved: dict[int, str]  # held articles now in another story
    placed: dict[int, str]  # each new article's story
    merged: dict[str, str]
    split: dict[str, str]


def _regroup(
    store: StoryStore,
    tokens: dict[int, tuple[Tokens, int | None, str]],
    new: dict[int, tuple[Digest, Tokens]],
    vectors: ArticleVectors,
    settings: StorySettings,
) -> _Regrouped:
    """Group the held articles of ``tokens`` (whole stories, in order) with the new
    ones again (their ``vectors``, held rows first); the stories that changed, built
    again, and the ids that merged or split."""
    serials = [*tokens, *new]
    published = [_day(tokens[s][1]) for s in tokens]
    published += [new[s][0].published for s in new]
    placeholders = [StoryArticle("", "", None, p) for p in published]
    groups = [[serials[i] for i in g] for g in group_stories(placeholders, settings, vectors)]

    old = {s: tokens[s][2] for s in tokens}
    article_id = store.ids(sorted(old)) | {s: d.id for s, (d, _) in new.items()}
    was = store.members(set(old.values()))
    ids = [story_id(article_id[g[0]]) for g in groups]
    story_of = {s: i for i, g in enumerate(groups) for s in g}
    standing = set(ids)
    merged = {story: ids[story_of[m[0]]] for story, m in was.items() if story not in standing}
    split: dict[str, str] = {}
    for sid, group in zip(ids, groups, strict=True):
        earlier = [s for s in group if s in old]
        if sid not in was and earlier:
            split[sid] = old[earlier[0]]

    # Stories built again: those that are new or whose articles changed.
    joined = vectors.joined(settings.name_weight, settings.year_weight)
    position = {s: i for i, s in enumerate(serials)}
    changed = [i for i, g in enumerate(groups) if was.get(ids[i]) != g]
    digests = store.digests([s for i in changed for s in groups[i] if s in old])
    digests |= {s: d for s, (d, _) in new.items()}
    before = store.splits(ids[i] for i in changed if ids[i] in was)
    built: list[tuple[str, int, int, int, str]] = []
    for i in changed:
        group = groups[i]
        made = build_story(
            ids[i],
            [digests[s] for s in group],
            joined[[position[s] for s in group]],
            split.get(ids[i], before.get(ids[i])),
        )
        built.append((made.id, len(group), group[0], len(made.events), made.model_dump_json()))
    return _Regrouped(
        built=built,
        dropped=set(was) - standing,
        moved={s: ids[story_of[s]] for s in old if old[s] != ids[story_of[s]]},
        placed={s: ids[story_of[s]] for s in new},
        merged=merged,
        split=split,
    )


def _keys(
    store: StoryStore, new: dict[int, tuple[Digest, Tokens]], count: int
) -> dict[int, list[str]]:
    """Each new article's key tokens: its names, and its ``count`` rarest words."""
    words = sorted({w for _, t in new.values() for w in t["words"]})
    frequency = dict(zip(words, store.frequencies("words", words).tolist(), strict=True))
    found: dict[int, list[str]] = {}
    for serial, (_, tokens) in new.items():
        rarest = sorted(set(tokens["words"]), key=lambda w: (frequency[w], w))[:count]
        found[serial] = [f"names:{n}" for n in tokens["names"]] + [f"words:{w}" for w in rarest]
    return found


def _regions(
    store: StoryStore,
    new: dict[int, tuple[Digest, Tokens]],
    keys: dict[int, list[str]],
    held: int,
    total: int,
    settings: StorySettings,
    retrieval: Retrieval,
) -> list[tuple[list[int], list[int]]]:
    """The regions to group again: (held articles, new articles). A small run is one
    region: every new article with the whole stories of the held ones as alike as one
    kind of event. Otherwise each new article is linked to the :attr:`Retrieval.links`
    articles most like it (words, names and years, at least the story threshold, within
    the date window) among those sharing its keys, held or new; linked articles are one
    region, with the whole stories of the held ones."""
    fresh = sorted(new)
    if held <= retrieval.exhaustive:
        candidates = store.all_serials()
        found = store.tokens(candidates)
        rows = [new[s][1] for s in fresh] + [found[s][0] for s in candidates]
        words = article_vectors(rows, store.frequencies, total).words
        near = _alike(words[: len(fresh)], words[len(fresh) :], settings.kind_threshold)
        days = _days(new, fresh, found, candidates)
        near = near[~_far(days[near[:, 0]], days[len(fresh) + near[:, 1]])]
        members = store.members({found[candidates[j]][2] for j in near[:, 1].tolist()})
        return [(sorted(s for m in members.values() for s in m), fresh)]
    having: dict[str, list[int]] = {}  # each key's new articles (indices)
    for i, s in enumerate(fresh):
        for k in keys[s]:
            having.setdefault(k, []).append(i)
    candidates, pairs = _sharing(store, n := len(fresh), having, retrieval)
    found = store.tokens(candidates)
    # Columns: the new articles, then the held candidates.
    pairs = np.concatenate([_among_new(n, having, retrieval), pairs + np.array([0, n])])
    rows = [new[s][1] for s in fresh] + [found[s][0] for s in candidates]
    joined = article_vectors(rows, store.frequencies, total).joined(
        settings.name_weight, settings.year_weight
    )
    alike = _pair_similarity(joined, pairs)
    everyone = fresh + candidates
    days = _days(new, fresh, found, candidates)
    apart = _far(days[pairs[:, 0]], days[pairs[:, 1]])
    keep = (alike >= settings.story_threshold) & ~apart
    pairs, alike = pairs[keep], alike[keep]
    order = np.lexsort((-alike, pairs[:, 0]))
    pairs, alike = pairs[order], alike[order]
    rank = np.arange(len(pairs)) - np.searchsorted(pairs[:, 0], pairs[:, 0])
    pairs, alike = pairs[rank < retrieval.links], alike[rank < retrieval.links]
    # Nodes: new articles, then held stories; a held article stands for its story.
    stories: dict[str, int] = {}
    ends: list[int] = []
    for j in pairs[:, 1].tolist():
        story = found[everyone[j]][2] if j >= n else None
        ends.append(j if story is None else n + stories.setdefault(story, len(stories)))
    size = n + len(stories)
    graph = sp.csr_matrix((alike, (pairs[:, 0], ends)), shape=(size, size))
    members = store.members(stories)
    named = list(stories)
    regions: list[tuple[list[int], list[int]]] = []
    # Links chain articles of unlike stories into one large region now and then: it is
    # cut at its weakest links, as a large block of the clustering is.
    for nodes in blocks(graph.maximum(graph.T).tocsr(), retrieval.largest):
        regions.append(
            (
                sorted(s for node in nodes if node >= n for s in members[named[node - n]]),
                sorted(fresh[node] for node in nodes if node < n),
            )
        )
    return [(h, f) for h, f in regions if f]


def _days(
    new: dict[int, tuple[Digest, Tokens]],
    fresh: list[int],
    found: dict[int, tuple[Tokens, int | None, str]],
    candidates: list[int],
) -> NDArray[np.int64]:
    """The publication days (ordinals, -1 where unknown) of the new articles, then of
    the held candidates."""
    days = [_ordinal(new[s][0].published) for s in fresh]
    days += [_known(found[s][1]) for s in candidates]
    return np.array(days, dtype=np.int64)


def _far(first: NDArray[np.int64], second: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Which pairs of days are further apart than the date window (both known)."""
    apart = np.abs(first - second) > DATE_WINDOW_DAYS
    found: NDArray[np.bool_] = apart & (first >= 0) & (second >= 0)
    return found


def _sharing(
    store: StoryStore, n: int, having: dict[str, list[int]], retrieval: Retrieval
) -> tuple[list[int], NDArray[np.intp]]:
    """The held articles that share a key with one of the ``n`` new ones (``having``:
    each key's new articles; the latest ``recent`` held of each key), and the pairs
    (new index, candidate index) to compare: each new article's ``nearest`` that share
    the most keys."""
    tokens = sorted(having)
    column = {k: c for c, k in enumerate(tokens)}
    postings = list(store.sharing(tokens, retrieval.most_shared, retrieval.recent))
    if not postings:
        return [], np.zeros((0, 2), dtype=np.intp)
    candidates = sorted({serial for _, serial in postings})
    index = {serial: j for j, serial in enumerate(candidates)}
    keyed = sp.csr_matrix(
        (
            np.ones(len(postings)),
            ([column[k] for k, _ in postings], [index[s] for _, s in postings]),
        ),
        shape=(len(tokens), len(candidates)),
    )
    rows = [i for k in tokens for i in having[k]]
    cols = [column[k] for k in tokens for _ in having[k]]
    holding = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(tokens)))
    return candidates, _top((holding @ keyed).tocsr(), retrieval.nearest)


def _among_new(n: int, having: dict[str, list[int]], retrieval: Retrieval) -> NDArray[np.intp]:
    """Pairs of the ``n`` new articles (indices) to compare: each article's ``nearest``
    others that share the most keys, through keys no more than ``recent`` of them have."""
    rows: list[int] = []
    cols: list[int] = []
    for c, members in enumerate(v for v in having.values() if 1 < len(v) <= retrieval.recent):
        rows += members
        cols += [c] * len(members)
    if not rows:
        return np.zeros((0, 2), dtype=np.intp)
    holding = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(cols) + 1))
    shared = (holding @ holding.T).tocsr()
    shared.setdiag(0)
    shared.eliminate_zeros()
    return _top(shared, retrieval.nearest)


def _top(shared: sp.csr_matrix, count: int) -> NDArray[np.intp]:
    """Each row's ``count`` columns of the highest values, as (row, column) pairs."""
    pairs: list[tuple[int, int]] = []
    for i in range(shared.shape[0]):
        start, end = shared.indptr[i], shared.indptr[i + 1]
        order = np.argsort(-shared.data[start:end], kind="stable")[:count]
        pairs += [(i, int(j)) for j in shared.indices[start:end][order]]
    return np.array(pairs, dtype=np.intp).reshape(-1, 2)


def _pair_similarity(vectors: sp.csr_matrix, pairs: NDArray[np.intp]) -> NDArray[np.float64]:
    """The cosine of each pair of rows (rows L2-normalised), a slice of pairs at a time."""
    found = [np.zeros(0)]
    for start in range(0, len(pairs), PAIR_SLICE):
        part = pairs[start : start + PAIR_SLICE]
        product = vectors[part[:, 0]].multiply(vectors[part[:, 1]]).sum(axis=1)
        found.append(np.asarray(product, dtype=np.float64).ravel())
    return np.concatenate(found)


def _alike(new: sp.csr_matrix, held: sp.csr_matrix, least: float) -> NDArray[np.intp]:
    """The pairs (new row, held row) at least ``least`` alike, a slice of new rows at a
    time."""
    chosen = [np.zeros((0, 2), dtype=np.intp)]
    transposed = held.T.tocsc()
    for start in range(0, new.shape[0], SLICE_ROWS):
        alike = (new[start : start + SLICE_ROWS] @ transposed).toarray()
        i, j = np.nonzero(alike >= least)
        chosen.append(np.stack([i + start, j], axis=1).astype(np.intp))
    return np.concatenate(chosen).astype(np.intp)


def _known(ordinal: int | None) -> int:
    return -1 if ordinal is None else ordinal


def _ordinal(day: dt.date | None) -> int:
    return -1 if day is None else day.toordinal()


def _day(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


def new_token() -> str:
    """A token tying a storylines file to the state written with it."""
    return uuid.uuid4().hex


def chunked_stories(
    articles: Sequence[StoryArticle],
    chunk: int,
    settings: StorySettings | None = None,
    retrieval: Retrieval | None = None,
) -> list[list[int]]:
    """The stories of ``articles`` (indices) when they arrive ``chunk`` at a time, each
    chunk an update of the stories before it (as :func:`group_stories` gives them in
    one run)."""
    settings = settings or StorySettings()
    store = StoryStore()
    try:
        for start in range(0, len(articles), chunk):
            part = [
                (Digest.of_text(str(start + i), a.text, a.title, a.published), article_tokens(a))
                for i, a in enumerate(articles[start : start + chunk])
            ]
            add_articles(store, part, settings, retrieval)
        held = store.members(store.story_ids()).values()
        return sorted(sorted(int(store_id) for store_id in store.ids(m).values()) for m in held)
    finally:
        store.close()
