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
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from summarizer.article import Article
from summarizer.candidates import sentence_names
from summarizer.storylines.grouping import Matrix, clusters
from summarizer.words import content_stems

# Chosen on the tuning half of ECB+ dev topics: scripts/tune_storylines.py.
KIND_THRESHOLD = 0.1
STORY_THRESHOLD = 0.15
NAME_WEIGHT = 1.0
YEAR_WEIGHT = 1.0
DATE_WINDOW_DAYS = 30
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True)
class StoryArticle:
    id: str
    article: Article


@dataclass(frozen=True)
class StorySettings:
    kind_threshold: float = KIND_THRESHOLD
    story_threshold: float = STORY_THRESHOLD
    name_weight: float = NAME_WEIGHT
    year_weight: float = YEAR_WEIGHT


@dataclass(frozen=True)
class ArticleVectors:
    """Each article's words, names and years as L2-normalised TF-IDF rows."""

    words: sp.csr_matrix
    names: sp.csr_matrix
    years: sp.csr_matrix

    def joined(self, name_weight: float, year_weight: float) -> sp.csr_matrix:
        parts = [self.words, name_weight * self.names, year_weight * self.years]
        matrix: sp.csr_matrix = normalize(sp.hstack(parts).tocsr())
        return matrix


def article_vectors(articles: Sequence[Article]) -> ArticleVectors:
    words, names, years = [], [], []
    for article in articles:
        text = f"{article.title}\n{article.text}" if article.title else article.text
        words.append(content_stems(text))
        names.append(sorted({n.lower() for ns in sentence_names(article).values() for n in ns}))
        years.append(_YEAR.findall(text))
    return ArticleVectors(_tfidf(words), _tfidf(names), _tfidf(years))


def group_stories(
    articles: Sequence[StoryArticle],
    settings: StorySettings | None = None,
    vectors: ArticleVectors | None = None,
) -> list[list[int]]:
    """The stories, as lists of indices into ``articles``, in order of first article."""
    if not articles:
        return []
    settings = settings or StorySettings()
    vectors = vectors or article_vectors([a.article for a in articles])
    joined = vectors.joined(settings.name_weight, settings.year_weight)
    published = [a.article.published for a in articles]
    stories: list[list[int]] = []
    for kind in clusters(vectors.words, settings.kind_threshold):
        index = np.asarray(kind, dtype=np.intp)

        def too_far_apart(
            rows: NDArray[np.intp], similarity: Matrix, kind: list[int] = kind
        ) -> None:
            _apart([published[kind[i]] for i in rows.tolist()], similarity)

        found = clusters(joined[index], settings.story_threshold, mask=too_far_apart)
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


def _tfidf(documents: list[list[str]]) -> sp.csr_matrix:
    """TF-IDF rows of token lists (an empty matrix when no document has a token)."""
    if not any(documents):
        return sp.csr_matrix((len(documents), 1))
    matrix: sp.csr_matrix = TfidfVectorizer(analyzer=_as_given).fit_transform(documents)
    return matrix


def _as_given(tokens: list[str]) -> list[str]:
    return tokens
