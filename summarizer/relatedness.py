"""The claim gate: whether a claim is about the article at all, decided by words alone.

Most claims a real run brings are about something else (FNC-1 as it comes: 77% of its
headlines are unrelated to their body), and a 135M model cannot tell them apart, while
lexical overlap can. A claim is *related* if the TF-IDF cosine of its stemmed content
words with the article's reaches :data:`COSINE`, or if :data:`COVERAGE` of those words
occur in the article; only related claims go to the model.

The thresholds were chosen on the tuning halves of FNC-1 dev and FNC-1 natural dev
together (``scripts/tune_gate.py`` prints the choice and its accuracy on both halves);
:data:`CONFIDENCE` is the share of the gate's *unrelated* calls that were right there.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from summarizer.words import content_stems

COSINE = 0.08
COVERAGE = 0.50
CONFIDENCE = 0.97


@dataclass(frozen=True)
class Relatedness:
    cosine: float  # TF-IDF cosine of the claim's content words with the article's
    coverage: float  # share of the claim's content words that the article has

    @property
    def related(self) -> bool:
        return self.cosine >= COSINE or self.coverage >= COVERAGE


def relatedness(text: str, claims: Sequence[str], language: str = "en") -> list[Relatedness]:
    """How much each claim shares with ``text``, the article (its title included),
    written in ``language``."""
    if not claims:
        return []
    matrix = _vectors([text, *claims], language)
    article, rows = matrix[0], matrix[1:]
    cosines = np.asarray((rows @ article.T).todense()).ravel()
    known = set(content_stems(text, language))
    results = []
    for claim, cosine in zip(claims, cosines, strict=True):
        words = content_stems(claim, language)
        coverage = sum(w in known for w in words) / len(words) if words else 0.0
        results.append(Relatedness(float(cosine), coverage))
    return results


def closest_sentences(
    sentences: Sequence[str], claim: str, k: int, language: str = "en"
) -> list[int]:
    """The indexes of the ``k`` sentences most like ``claim`` (TF-IDF cosine), best first;
    sentences sharing no word with it are left out."""
    if not sentences:
        return []
    matrix = _vectors([claim, *sentences], language)
    cosines = np.asarray((matrix[1:] @ matrix[0].T).todense()).ravel()
    order = np.argsort(-cosines, kind="stable")[:k]
    return [int(i) for i in order if cosines[i] > 0]


def _vectors(texts: list[str], language: str) -> Any:
    # IDF from the texts at hand: the article's words that every claim repeats (its
    # topic) weigh less than the words one claim shares with it.
    vectorizer = TfidfVectorizer(
        tokenizer=functools.partial(content_stems, language=language),
        lowercase=False,
        token_pattern=None,
        sublinear_tf=True,
    )
    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # no content word anywhere ("empty vocabulary")
        from scipy.sparse import csr_matrix

        return csr_matrix((len(texts), 1))
