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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from summarizer.candidates import text_names
from summarizer.morphology import ANALYSED, names
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
    # Korean, Chinese, Japanese and Russian names come from the language's analyser.
    language: str | None = None


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

    def take(self, rows: Sequence[int]) -> ArticleVectors:
        """The vectors of some articles only (by row)."""
        index = np.asarray(rows, dtype=np.intp)
        return ArticleVectors(*(getattr(self, f)[index] for f in FAMILIES))

    def joined(self, name_weight: float, year_weight: float) -> sp.csr_matrix:
        parts = [self.words, name_weight * self.names, year_weight * self.years]
        matrix: sp.csr_matrix = normalize(sp.hstack(parts).tocsr())
        return matrix


# The token families of an article: TF-IDF rows for the first three, 0/1 rows for the rest.
FAMILIES = ("words", "names", "years", "dates", "quantities", "units")
WEIGHTED = FAMILIES[:3]
Tokens = dict[str, list[str]]
# A family's document frequencies: tokens -> how many articles held have each.
Frequencies = Callable[[str, Sequence[str]], NDArray[np.float64]]


def _text(article: StoryArticle) -> str:
    return f"{article.title}\n{article.text}" if article.title else article.text


_EXTRACT: dict[str, Callable[[str], list[str]]] = {
    "words": content_stems,
    "names": lambda text: sorted({n.lower() for n in text_names(text)}),
    "years": years,
    "dates": dates,
    "quantities": lambda text: quantities(text)[0],
    "units": lambda text: quantities(text)[1],
}


def article_tokens(article: StoryArticle) -> Tokens:
    """Each family's tokens of an article (words as content stems, repeated as often as
    written; names lower-cased, once each)."""
    text = _text(article)
    counted, units = quantities(text)
    found = {f: _EXTRACT[f](text) for f in FAMILIES[:4]}
    if article.language in ANALYSED:
        found["names"] = sorted({n.text.lower() for n in names(text, article.language or "")})
    return {**found, "quantities": counted, "units": units}


def article_vectors(
    articles: Sequence[StoryArticle] | Sequence[Tokens],
    df: Frequencies | None = None,
    total: int | None = None,
) -> ArticleVectors:
    """The vectors of ``articles`` (or of their tokens). By default a token's document
    frequency is counted among them; an incremental run gives ``df`` and ``total``
    (articles held) so that its few articles weigh their words as the whole collection
    does."""

    # Each article's tokens are made as they are counted, never all held at once.
    def tokens(family: str) -> Iterator[list[str]]:
        for a in articles:
            yield _EXTRACT[family](_text(a)) if isinstance(a, StoryArticle) else a[family]

    n = len(articles)
    weighted = [
        _tfidf(tokens(f), n, None if df is None else partial(df, f), total or n) for f in WEIGHTED
    ]
    flags = [_present(tokens(f), n) for f in FAMILIES[3:]]
    return ArticleVectors(*weighted, *flags)


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


def _tfidf(
    documents: Iterable[list[str]],
    n: int,
    df: Callable[[Sequence[str]], NDArray[np.float64]] | None,
    total: int,
) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows of token lists, with idf = ln((N + K) / (df + 1)) over
    the N articles held (``df`` gives the frequencies of a list of tokens): unlike
    scikit-learn's (which adds 1 to every idf), a token in every article of a large run
    weighs next to nothing, as the year of a feed that covers one year must not make
    all its articles alike; the K imagined articles without the token keep a handful
    of articles (where every shared word is in "all" of them) comparable. Without
    ``df``, frequencies are counted among ``documents``."""
    counts, vocabulary = _counted(documents, n, binary=False)
    if df is None:
        found = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    else:
        found = df(vocabulary) if vocabulary else np.zeros(1)
    idf = np.log((total + IDF_PRIOR) / (found + 1))
    matrix: sp.csr_matrix = normalize(counts @ sp.diags(idf))
    return matrix.tocsr()


def _present(documents: Iterable[list[str]], n: int) -> sp.csr_matrix:
    """Which tokens each article has, as 0/1 rows."""
    return _counted(documents, n, binary=True)[0]


def _counted(
    documents: Iterable[list[str]], n: int, binary: bool
) -> tuple[sp.csr_matrix, list[str]]:
    """Rows of token lists (0/1, or how often) and the token of each column; one empty
    column where no article has a token."""
    vectorizer = CountVectorizer(analyzer=_as_given, binary=binary)
    try:
        counts = vectorizer.fit_transform(documents)
    except ValueError:  # not one token in any article
        return sp.csr_matrix((n, 1)), []
    matrix: sp.csr_matrix = counts.astype(np.float64).tocsr()
    return matrix, vectorizer.get_feature_names_out().tolist()


def _as_given(tokens: list[str]) -> list[str]:
    return tokens
