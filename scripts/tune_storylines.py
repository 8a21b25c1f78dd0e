"""Choose the story-grouping settings and the event merging on the tuning half of ECB+
dev topics.

    python scripts/tune_storylines.py [DATA_DIR]    # default ../shared/data

Stories: a grid over the two thresholds (same kind of event; same story) and the weights
of names and years, for the similarity links the same-story model then checks
(scripts/tune_same_story.py chooses how), scored by article-level CoNLL F1 against ECB+
``subtopic`` on the tuning topics. Events: the ways of merging ECB+'s gold ACTION
mentions inside the chosen stories, scored by CoNLL F1 against their cross-document
coreference on the tuning topics. Only tuning-half figures choose; the script then
prints the chosen and the shipped settings' figures on both halves, and exits 1, naming
what differs, when the choice is not what summarizer/storylines ships. Takes about 75 s
on 2 cores; its output is committed as evals/reference/tune_storylines.txt
(docs/storylines.md).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

from summarizer.coreference import conll_f1
from summarizer.evaluation.storyline_eval import TopicArticle, load_topics
from summarizer.storylines.events import Mention, action_lemma, same_lemma
from summarizer.storylines.stories import (
    StoryArticle,
    StorySettings,
    article_vectors,
    group_stories,
)

KIND = [0.0, 0.05, 0.1, 0.15]
STORY = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]
NAME_WEIGHTS = [0.0, 0.5, 1.0, 1.5]
YEAR_WEIGHTS = [0.0, 0.3, 0.6, 1.0]
TIE = 0.005
# The reporting verbs of summarizer/rules.py (its _SPEECH), as lemmas.
REPORTING = frozenset(
    "say tell state add warn argue insist believe claim deny urge call".split()  # noqa: SIM905
)
Merge = Callable[[Sequence[Mention], Sequence[Sequence[int]]], list[list[int]]]


def reporting_apart(
    mentions: Sequence[Mention], groups: Sequence[Sequence[int]]
) -> list[list[int]]:
    """Same lemma, except that a reporting verb ("said") is one event per article: what
    one article's source said is not what another's said."""
    events: list[list[int]] = []
    for event in same_lemma(mentions, groups):
        if action_lemma(mentions[event[0]].action) not in REPORTING:
            events.append(event)
            continue
        by_article: dict[int, list[int]] = {}
        for i in event:
            by_article.setdefault(mentions[i].article, []).append(i)
        events += by_article.values()
    return sorted(events, key=lambda e: e[0])


# The shipped merging first: a method must beat it by more than TIE to be chosen.
MERGES: dict[str, Merge] = {
    "same lemma": same_lemma,
    "same lemma, reporting verbs kept apart per article": reporting_apart,
}
SHIPPED_MERGE = "same lemma"


def stories_of(articles: list[TopicArticle], settings: StorySettings) -> list[list[int]]:
    chosen = [StoryArticle(a.doc, a.article.text) for a in articles]
    return group_stories(chosen, settings, article_vectors(chosen))


def score(articles: list[TopicArticle], settings: StorySettings) -> float:
    gold: dict[str, list[int]] = {}
    for i, a in enumerate(articles):
        gold.setdefault(a.subtopic, []).append(i)
    return conll_f1(list(gold.values()), stories_of(articles, settings))


def event_score(articles: list[TopicArticle], settings: StorySettings, merge: Merge) -> float:
    """CoNLL F1 of ``merge`` over the gold ACTION mentions, inside the stories."""
    mentions = [Mention(m.key, i, m.text) for i, a in enumerate(articles) for m in a.mentions]
    key: dict[Hashable, list[int]] = {}
    for i, m in enumerate(m for a in articles for m in a.mentions):
        key.setdefault(m.cluster, []).append(i)
    return conll_f1(list(key.values()), merge(mentions, stories_of(articles, settings)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", nargs="?", default="../shared/data", type=Path)
    args = parser.parse_args()
    tune, report = load_topics(args.data, "tune"), load_topics(args.data, "report")
    grid = [
        StorySettings(kind, story, names, years, method="similarity")
        for kind, story, names, years in itertools.product(KIND, STORY, NAME_WEIGHTS, YEAR_WEIGHTS)
    ]
    tuned = {s: score(tune, s) for s in grid}
    top = max(tuned.values())
    # Settings within TIE of the best are equal on 74 articles: of those, the one that
    # blocks most (the highest kind threshold) costs least on a large run.
    tied = [s for s, value in tuned.items() if value >= top - TIE]
    best = max(tied, key=lambda s: (s.kind_threshold, tuned[s]))
    print(f"tuning half: {len(tune)} articles; reporting half: {len(report)}")
    print("stories (article-level CoNLL F1 against ECB+ subtopics)")
    for settings in sorted(tied, key=lambda s: -tuned[s]):
        print(f"  tied: {settings}: tune {tuned[settings]:.3f}")
    print(f"chosen {best}: tune {score(tune, best):.3f}, report {score(report, best):.3f}")
    default = StorySettings(method="similarity")
    print(
        f"shipped {default}: tune {score(tune, default):.3f}, report {score(report, default):.3f}"
    )

    print("events, gold mentions, inside the chosen stories (CoNLL F1), tuning half")
    merged = {name: event_score(tune, best, merge) for name, merge in MERGES.items()}
    for name, value in merged.items():
        print(f"  {name}: tune {value:.3f}")
    # The first method (the shipped one) keeps its place unless another beats it by TIE.
    chosen = max(MERGES, key=lambda n: merged[n] - (0 if n == SHIPPED_MERGE else TIE))
    for label, name in (("chosen", chosen), ("shipped", SHIPPED_MERGE)):
        value = event_score(report, best, MERGES[name])
        print(f"{label} {name}: tune {merged[name]:.3f}, report {value:.3f}")

    differ = [
        f"{field} {getattr(best, field)} (shipped {getattr(default, field)})"
        for field in ("kind_threshold", "story_threshold", "name_weight", "year_weight")
        if getattr(best, field) != getattr(default, field)
    ]
    if chosen != SHIPPED_MERGE:
        differ.append(f"events by {chosen!r} (shipped {SHIPPED_MERGE!r})")
    if differ:
        sys.exit("the tuning half chose other settings than the shipped: " + "; ".join(differ))


if __name__ == "__main__":
    main()
