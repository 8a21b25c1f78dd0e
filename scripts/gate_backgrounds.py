"""The word weightings the claim gate could use, compared on the tuning halves: the
figures behind wordfreq in summarizer/relatedness.py.

    python scripts/gate_backgrounds.py TRAIN_BODIES_CSV [DATA_DIR]    # default ../shared/data

TRAIN_BODIES_CSV is FNC-1's train_bodies.csv (the FakeNewsChallenge/fnc-1 repository; its
train split, which no dev set here is drawn from). Weightings:

- wordfreq: what the gate ships (scripts/tune_gate.py chose its size);
- FNC-1 train: each English stem's smoothed IDF over the 1,683 train bodies,
  ``ln((1 + n) / (1 + df)) + 1``; wordfreq for the other languages;
- the call's IDF, over the article and all the claims of an item at once (the old gate),
  and over the article and one claim at a time.

For each, the best thresholds on the same pairs as scripts/tune_gate.py (every
tuning-half pair of FNC-1 dev, natural dev and the fixtures), and its accuracy there.
Takes about 30 s on 2 cores; its output is committed as
evals/reference/gate_backgrounds.txt.
"""

from __future__ import annotations

import csv
import math
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from tune_gate import COSINES, COVERAGES, ROOT, SETS, Item, Rows, accuracy, scored, tuning

from summarizer.article import Article
from summarizer.evaluation.datasets import load_dataset
from summarizer.evaluation.fixtures import load_fixtures
from summarizer.evaluation.halves import half_of
from summarizer.evaluation.systems import article_of
from summarizer.relatedness import BACKGROUND_WORDS
from summarizer.words import content_stems

# Cosines of an item's claims with its article (title and text), in the article's language.
Cosines = Callable[[str, list[str], str], list[float]]


def call_idf(text: str, claims: list[str], language: str) -> list[float]:
    vectorizer = TfidfVectorizer(
        tokenizer=lambda t: content_stems(t, language),
        lowercase=False,
        token_pattern=None,
        sublinear_tf=True,
    )
    try:
        matrix = vectorizer.fit_transform([text, *claims])
    except ValueError:  # no content word anywhere
        return [0.0] * len(claims)
    return [float(x) for x in np.asarray((matrix[1:] @ matrix[0].T).todense()).ravel()]


def one_at_a_time(text: str, claims: list[str], language: str) -> list[float]:
    return [call_idf(text, [claim], language)[0] for claim in claims]


def fixed_idf(idf: dict[str, float], unseen: float) -> Cosines:
    def vector(text: str, language: str) -> dict[str, float]:
        counts = Counter(content_stems(text, language))
        out = {s: (1 + math.log(n)) * idf.get(s, unseen) for s, n in counts.items()}
        norm = math.sqrt(sum(x * x for x in out.values()))
        return {s: x / norm for s, x in out.items()} if norm else {}

    def cosines(text: str, claims: list[str], language: str) -> list[float]:
        article = vector(text, language)
        return [
            sum((x * article.get(s, 0.0) for s, x in vector(c, language).items()), 0.0)
            for c in claims
        ]

    return cosines


def fnc1_train(path: Path) -> Cosines:
    with path.open(encoding="utf-8", newline="") as file:
        bodies = [row["articleBody"] for row in csv.DictReader(file)]
    df = Counter(s for body in bodies for s in set(content_stems(body, "en")))
    n = len(bodies)
    idf = {s: math.log((1 + n) / (1 + d)) + 1 for s, d in df.items()}
    return fixed_idf(idf, math.log(1 + n) + 1)


def rescored(items: list[Item], cosines: Cosines, english_only: bool) -> Rows:
    """The shipped gate's rows with the cosine replaced by ``cosines``' (in English only
    if ``english_only``); coverage does not depend on the weights."""
    rows = scored(items, BACKGROUND_WORDS)
    at: dict[tuple[str, str], int] = {}
    for name, fixture in items:
        article: Article = article_of(fixture)
        key = (name, half_of(fixture.id))
        start = at.get(key, 0)
        at[key] = start + len(fixture.claims)
        if english_only and article.language != "en":
            continue
        # The gate's inputs, as claim_labels.gate joins them.
        title = f"{article.title}\n" if article.title else ""
        claims = [c.claim for c in fixture.claims]
        rows[key][start : at[key], 0] = cosines(title + article.text, claims, article.language)
    return rows


def main() -> None:
    train = Path(sys.argv[1])
    data = Path(sys.argv[2] if len(sys.argv) > 2 else "../shared/data")
    items: list[Item] = [(name, f) for name in SETS[:2] for f in load_dataset(name, data)]
    items += [("fixtures", f) for f in load_fixtures(ROOT / "evals" / "fixtures") if f.claims]
    weightings: dict[str, Rows] = {
        f"wordfreq, {BACKGROUND_WORDS} words (shipped)": scored(items, BACKGROUND_WORDS),
        "FNC-1 train bodies' IDF (English; wordfreq otherwise)": rescored(
            items, fnc1_train(train), english_only=True
        ),
        "the call's IDF, one claim at a time": rescored(items, one_at_a_time, False),
        "the call's IDF, all its claims at once (the old gate)": rescored(items, call_idf, False),
    }
    print(
        f"tuning halves: {len(tuning(next(iter(weightings.values()))))} pairs of {', '.join(SETS)}"
    )
    for label, rows in weightings.items():
        tune = tuning(rows)
        best, cosine, coverage = max(
            (accuracy(tune, c, v), float(c), float(v)) for c in COSINES for v in COVERAGES
        )
        print(f"{label}: tuning accuracy {best:.4f} (cosine {cosine:.2f}, coverage {coverage:.2f})")
        for name in SETS:
            part = rows[(name, "tune")]
            if name == "fixtures":
                english = part[:, 3] == 1
                for what, chosen in (("in English", english), ("in other languages", ~english)):
                    print(f"  fixtures {what} tune: {accuracy(part[chosen], cosine, coverage):.3f}")
            else:
                print(f"  {name} tune: {accuracy(part, cosine, coverage):.3f}")


if __name__ == "__main__":
    main()
