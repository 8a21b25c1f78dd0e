"""Which articles report the same story: first the same kind of event, then the same one.

Articles about the same kind of event (two pirate attacks, two earthquakes) share most
of their words; what tells the two stories apart is the particular: the names of ships
and people, the places, the year. So articles are grouped twice: by the TF-IDF of their
content words into kinds, then, inside each kind, by the same words joined with their
names and years (tokens of their own, so that a rare shared name weighs heavily).
Grouping on both at once let a shared year join two unrelated stories. Articles
published further apart than :data:`DATE_WINDOW_DAYS` are never one story.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from summarizer.candidates import text_names
from summarizer.storylines.grouping import Matrix, clusters
from summarizer.storylines.particulars import dates, quantities, years
from summarizer.storylines.same_story import SameStoryModel, same_story_model
from summarizer.words import content_stems

# Chosen on the tuning half of ECB+ dev topics: scripts/tune_storylines.py.
KIND_THRESHOLD = 0.05
STORY_THRESHOLD = 0.1
NAME_WEIGHT = 1.5
YEAR_WEIGHT = 1.0
DATE_WINDOW_DAYS = 30
IDF_PRIOR = 10
Method = Literal["cannot-link", "similarity", "weighted", "learned"]
# How the same-story model decides, chosen on ECB+ training topics and the dev tuning
# half (scripts/tune_same_story.py): no link between two articles it gives less than a
# 0.3 chance of one story; their similarity decides the rest.
METHOD: Method = "cannot-link"
SAME_STORY = 0.3
Rows = NDArray[np.intp]


@dataclass(frozen=True)
class StoryArticle:
    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True)
class StorySettings:
    kind_threshold: float = KIND_THRESHOLD
    story_threshold: float = STORY_THRESHOLD
    name_weight: float = NAME_WEIGHT
    year_weight: float = YEAR_WEIGHT
    # Inside a kind, how two articles are linked: "similarity", by the cosine of words,
    # names and years, cut at ``story_threshold`` (the method before the same-story
    # model); "cannot-link", the same with no link where the model's probability is
    # below ``same_story``; "weighted", cosine × 2 × probability; "learned", the
    # probability, cut at ``same_story``. All look for candidates among pairs at least
    # story_threshold alike.
    method: Method = METHOD
    same_story: float = SAME_STORY


@dataclass(frozen=True)
class ArticleVectors:
    """Each article's words, names and years as L2-normalised TF-IDF rows; its dates,
    quantities and their units (:mod:`particulars`) as 0/1 rows."""

    words: sp.csr_matrix
    names: sp.csr_matrix
    years: sp.csr_matrix
    dates: sp.csr_matrix
    quantities: sp.csr_matrix
    units: sp.csr_matrix

    def joined(self, name_weight: float, year_weight: float) -> sp.csr_matrix:
        parts = [self.words, name_weight * self.names, year_weight * self.years]
        matrix: sp.csr_matrix = normalize(sp.hstack(parts).tocsr())
        return matrix


def article_vectors(articles: Sequence[StoryArticle]) -> ArticleVectors:
    # Each article's tokens are made as they are counted, never all held at once.
    def texts() -> Iterator[str]:
        for a in articles:
            yield f"{a.title}\n{a.text}" if a.title else a.text

    n = len(articles)
    found = [quantities(t) for t in texts()]
    counted, units = [q for q, _ in found], [u for _, u in found]
    return ArticleVectors(
        _tfidf((content_stems(t) for t in texts()), n),
        _tfidf((sorted({n.lower() for n in text_names(t)}) for t in texts()), n),
        _tfidf((years(t) for t in texts()), n),
        _present((dates(t) for t in texts()), n),
        _present(counted, n),
        _present(units, n),
    )


def group_stories(
    articles: Sequence[StoryArticle],
    settings: StorySettings | None = None,
    vectors: ArticleVectors | None = None,
    model: SameStoryModel | None = None,
) -> list[list[int]]:
    """The stories, as lists of indices into ``articles``, in order of first article
    (``model``: another same-story model than the shipped one)."""
    if not articles:
        return []
    settings = settings or StorySettings()
    vectors = vectors or article_vectors(articles)
    joined = vectors.joined(settings.name_weight, settings.year_weight)
    published = [a.published for a in articles]
    stories: list[list[int]] = []
    for kind in clusters(vectors.words, settings.kind_threshold):
        index = np.asarray(kind, dtype=np.intp)

        def decide(rows: NDArray[np.intp], similarity: Matrix, index: Rows = index) -> None:
            if settings.method != "similarity":
                chance = (model or same_story_model()).pair_probability(vectors, index[rows])
                if settings.method == "learned":
                    similarity[:] = chance
                elif settings.method == "cannot-link":
                    similarity[chance < settings.same_story] = 0.0
                else:  # weighted: a pair's similarity times twice its probability
                    similarity *= 2 * chance
            _apart([published[i] for i in index[rows].tolist()], similarity)

        cut = settings.same_story if settings.method == "learned" else None
        found = clusters(joined[index], settings.story_threshold, decide, cut)
        stories += [[kind[i] for i in story] for story in found]
    return sorted(stories, key=lambda s: s[0])


def _apart(dates: list[dt.date | None], similarity: Matrix) -> None:
    """No similarity between articles published more than the window apart."""
    known = np.array([d is not None for d in dates])
    if known.sum() < 2:
        return
    days = np.array([d.toordinal() if d else 0 for d in dates], dtype=np.float64)
    apart = np.abs(days[:, None] - days[None, :]) > DATE_WINDOW_DAYS
    similarity[apart & known[:, None] & known[None, :]] = 0.0


def _tfidf(documents: Iterable[list[str]], n: int) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows of token lists, with idf = ln((n + K) / (df + 1)):
    unlike scikit-learn's (which adds 1 to every idf), a token in every article of a
    large run weighs next to nothing, as the year of a feed that covers one year must
    not make all its articles alike; the K imagined articles without the token keep a
    handful of articles (where every shared word is in "all" of them) comparable."""
    counts = _present(documents, n, binary=False)
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((counts.shape[0] + IDF_PRIOR) / (df + 1))
    matrix: sp.csr_matrix = normalize(counts @ sp.diags(idf))
    return matrix.tocsr()


def _present(documents: Iterable[list[str]], n: int, binary: bool = True) -> sp.csr_matrix:
    """Rows of token lists: which tokens each article has (0/1), or how often; one
    empty column where no article has a token."""
    try:
        counts = CountVectorizer(analyzer=_as_given, binary=binary).fit_transform(documents)
    except ValueError:  # not one token in any article
        return sp.csr_matrix((n, 1))
    matrix: sp.csr_matrix = counts.astype(np.float64).tocsr()
    return matrix


def _as_given(tokens: list[str]) -> list[str]:
    return tokens
