"""The claim gate: whether a claim is about the article at all, decided by words alone.

Most claims a real run brings are about something else (FNC-1 as it comes: 77% of its
headlines are unrelated to their body), and a 135M model cannot tell them apart, while
lexical overlap can. A claim is *related* if the TF-IDF cosine of its stemmed content
words with the article's reaches :data:`COSINE`, or if :data:`COVERAGE` of those words
occur in the article; only related claims go to the model.

Each claim is compared with the article alone, with fixed word weights, so its cosine,
label and confidence depend on the article (title and text), the claim and the
language, never on the other claims of the call. The weights were an IDF fitted on the
article and every claim of the call: one FNC-1 claim's cosine was 0.117 alone and 0.167
beside 20 others, and a single claim fitted IDF on two texts. Now a stem weighs
``-ln(frequency)`` in the language (wordfreq's word lists, the highest frequency of the
words that give the stem, from the :data:`BACKGROUND_WORDS` most frequent words); a stem
outside them weighs as the last of them. A language wordfreq has no list for weighs every
stem alike.

Measured on every tuning-half pair (FNC-1 dev, natural dev and the fixtures' claims:
1,660), each weighting with its best thresholds, related/unrelated accuracy: 0.986 with
wordfreq, 0.984 with the document frequencies of FNC-1's 1,683 train bodies (English;
wordfreq for the rest), 0.974 with the call's IDF one claim at a time and 0.959 with the
call's IDF over all its claims (the old gate). FNC-1's own frequencies fit FNC-1 better
(its dev tuning half 1.000 against 0.966) and the fixtures' English claims, news not of
FNC-1's kind, worse (0.692 against 0.872); ``scripts/gate_backgrounds.py`` prints these
(``evals/reference/gate_backgrounds.txt``). So wordfreq: a PyPI package, one source for
every language the pipeline reads, and no corpus to ship.

:data:`BACKGROUND_WORDS`, :data:`COSINE` and :data:`COVERAGE` were chosen on the same
pairs by ``scripts/tune_gate.py`` (its output is ``evals/reference/tune_gate.txt``),
which exits 1 when its choice is not what is written here.

An *unrelated* call's confidence is P(unrelated) from a logistic regression on (cosine,
coverage) (:data:`UNRELATED_LOGIT`), fitted by the same script on the English tuning
pairs the gate calls unrelated and shipped because it is calibrated there: Brier 0.0100,
expected calibration error 0.002 (10 bins) over those 1,184 calls, against Brier 0.0117
for their share right as a constant. It holds for the mix of claims it was fitted on,
mostly FNC-1 as it comes (77% unrelated): on FNC-1 dev, drawn with few unrelated
headlines, it is too sure (tuning half: 88% of 24 calls right, mean P 0.96). It was
measured in English only, so in other languages the confidence is null.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from summarizer.words import content_stems

BACKGROUND = "wordfreq"
BACKGROUND_WORDS = 5000
COSINE = 0.13
COVERAGE = 1.00
# P(unrelated) = 1 / (1 + exp(-(a + b * cosine + c * coverage))), (a, b, c) as written by
# scripts/tune_gate.py; None when the fit was not calibrated on the tuning halves.
UNRELATED_LOGIT: tuple[float, float, float] | None = (6.64, -46.19, -0.31)
# The languages the confidence was measured on.
CALIBRATED_LANGUAGES = frozenset({"en"})


@dataclass(frozen=True)
class Relatedness:
    cosine: float  # TF-IDF cosine of the claim's content words with the article's
    coverage: float  # share of the claim's content words that the article has
    # The probability that "unrelated" is right, for a claim the gate calls unrelated in
    # a calibrated language; else None.
    confidence: float | None = None

    @property
    def related(self) -> bool:
        return self.cosine >= COSINE or self.coverage >= COVERAGE


def relatedness(
    text: str, claims: Sequence[str], language: str = "en", words: int = BACKGROUND_WORDS
) -> list[Relatedness]:
    """How much each claim shares with ``text``, the article (its title included),
    written in ``language``; each claim on its own. ``words`` is the background's size
    (the tuning script varies it)."""
    article_stems = content_stems(text, language)
    article, known = _vector(article_stems, language, words), set(article_stems)
    results = []
    for claim in claims:
        stems = content_stems(claim, language)
        coverage = sum(s in known for s in stems) / len(stems) if stems else 0.0
        cosine = _cosine(_vector(stems, language, words), article)
        results.append(_scored(cosine, coverage, language))
    return results


def unrelated_probability(cosine: float, coverage: float) -> float | None:
    """P(unrelated) of the logistic fit, or None when none is shipped."""
    if UNRELATED_LOGIT is None:
        return None
    intercept, by_cosine, by_coverage = UNRELATED_LOGIT
    return 1 / (1 + math.exp(-(intercept + by_cosine * cosine + by_coverage * coverage)))


def gate_config() -> dict[str, Any]:
    """What decides the gate's answers besides the texts: recorded with every eval run,
    so that a change to any of it asks for a new reference run."""
    return {
        "background": f"{BACKGROUND} {version(BACKGROUND)}",
        "background_words": BACKGROUND_WORDS,
        "cosine": COSINE,
        "coverage": COVERAGE,
        "unrelated_logit": list(UNRELATED_LOGIT) if UNRELATED_LOGIT else None,
        "calibrated_languages": sorted(CALIBRATED_LANGUAGES),
    }


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
    # IDF from the claim and the article's sentences (never other claims): the words
    # that every sentence repeats (the article's topic) weigh less than the words one
    # sentence shares with the claim.
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


def _scored(cosine: float, coverage: float, language: str) -> Relatedness:
    score = Relatedness(cosine, coverage)
    if score.related or language not in CALIBRATED_LANGUAGES:
        return score
    probability = unrelated_probability(cosine, coverage)
    return Relatedness(cosine, coverage, None if probability is None else round(probability, 4))


def _vector(stems: Sequence[str], language: str, words: int) -> dict[str, float]:
    """A text's content stems, each weighing (1 + ln count) times its background
    weight, at unit length (empty for a text without content words)."""
    weights, floor = _background(language, words)
    counts = Counter(stems)
    vector = {s: (1 + math.log(n)) * weights.get(s, floor) for s, n in counts.items()}
    norm = math.sqrt(sum(x * x for x in vector.values()))
    return {s: x / norm for s, x in vector.items()} if norm else {}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    return sum((x * b.get(s, 0.0) for s, x in a.items()), 0.0)


# wordfreq's "small" lists: their most frequent words and frequencies are those of the
# "large" ones, and the background takes at most 20,000 of them (scripts/tune_gate.py),
# so the weights are the same (a test compares them), in a tenth of the memory: the
# large lists of ten languages took 360 MB, which wordfreq keeps for the process.
WORDLIST = "small"


@functools.cache
def _background(
    language: str, words: int, wordlist: str = WORDLIST
) -> tuple[dict[str, float], float]:
    """Each stem's weight, ``-ln`` of the highest frequency of the words that give it
    among the language's ``words`` most frequent, and the weight of every other stem
    (the last of those words'); all 1.0 for a language without a list."""
    import wordfreq

    # Exact codes only: wordfreq's nearest match would weigh Swahili by English.
    if language not in wordfreq.available_languages(wordlist):
        return {}, 1.0
    weights: dict[str, float] = {}
    taken, frequency = 0, 1.0
    # Buckets of words with one frequency (in centibels), most frequent first.
    for centibels, bucket in enumerate(wordfreq.get_frequency_list(language, wordlist)):
        frequency = wordfreq.cB_to_freq(-centibels)
        for word in bucket[: words - taken]:
            for stem in content_stems(word, language):
                weights.setdefault(stem, -math.log(frequency))
        taken += min(len(bucket), words - taken)
        if taken >= words:
            break
    return weights, -math.log(frequency)
