"""Choose how an update finds the stories near a new article, on tuning data only:
ECB+ training topics and the tuning half of ECB+ dev topics.

    python scripts/tune_update.py ECBPLUS [DATA]    # DATA default ../shared/data

ECBPLUS is a checkout of cltl/ecbPlus (as for ``python -m training.same_story``). Each
set of articles (the 25 training topics' 545 articles, and the dev tuning half) arrives
20 at a time, in its own order and in three seeded shuffles, and each chunk is an
update of the stories before it. Retrieval by keys alone (``exhaustive=0``: no run is
small enough to compare every article), for each number of key words and of links, is
scored by the CoNLL F1 of its stories against one full run's. The choice: the cheapest
(fewest links, then fewest key words: each key is a lookup, each link makes a region
larger) whose mean is within :data:`TIE` of the best. The reporting half is never
read. Exits 1, naming the difference, when the choice is not what
``summarizer/storylines/update.py`` ships.
Output committed as ``evals/reference/tune_update.txt``.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from summarizer.coreference import conll_f1
from summarizer.evaluation.storyline_eval import load_topics
from summarizer.storylines.stories import StoryArticle, group_stories
from summarizer.storylines.update import Retrieval, chunked_stories
from training.exclusions import DEFAULT_PATH
from training.same_story import read

TIE = 0.005
CHUNK = 20
KEY_WORDS = (4, 8, 16)
LINKS = (1, 2, 3)
ORDERS = (None, 1, 2, 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ecbplus", type=Path)
    parser.add_argument("data", type=Path, nargs="?", default=Path("../shared/data"))
    args = parser.parse_args()
    corpus = read(args.ecbplus, DEFAULT_PATH)
    sets = {
        "ECB+ training topics": [
            StoryArticle(d, t) for d, t in zip(corpus["docs"], corpus["texts"], strict=True)
        ],
        "ECB+ dev, tuning half": [
            StoryArticle(a.doc, a.article.text) for a in load_topics(args.data, "tune")
        ],
    }
    print(f"chunks of {CHUNK}; keys only; CoNLL F1 of the chunked stories against one full run\n")
    print(
        "| links | key words | "
        + " | ".join(f"{name}, order {o or 'as given'}" for name in sets for o in ORDERS)
        + " | mean |"
    )
    print("|---" * (3 + len(sets) * len(ORDERS)) + "|")
    runs: list[tuple[list[StoryArticle], list[list[int]]]] = []
    for articles in sets.values():
        for order in ORDERS:
            ordered = list(articles)
            if order is not None:
                random.Random(order).shuffle(ordered)
            runs.append((ordered, group_stories(ordered)))
    means: dict[tuple[int, int], float] = {}
    for links, count in ((a, b) for a in LINKS for b in KEY_WORDS):
        retrieval = Retrieval(key_words=count, exhaustive=0, links=links)
        found = [conll_f1(full, chunked_stories(o, CHUNK, retrieval=retrieval)) for o, full in runs]
        means[links, count] = sum(found) / len(found)
        print(
            f"| {links} | {count} | "
            + " | ".join(f"{f:.3f}" for f in found)
            + f" | {means[links, count]:.3f} |",
            flush=True,
        )
    best = max(means.values())
    chosen = min(c for c, m in means.items() if m >= best - TIE)
    print(
        f"\nchosen: {chosen[0]} links, {chosen[1]} key words (mean {means[chosen]:.3f}; "
        f"best {best:.3f})"
    )
    shipped = (Retrieval().links, Retrieval().key_words)
    if chosen != shipped:
        print(f"summarizer ships {shipped} (links, key words): change Retrieval", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
