"""Choose how the same-story model decides stories, on tuning data only: ECB+ training
topics (the model fitted on the others) and the tuning half of ECB+ dev topics.

    python scripts/tune_same_story.py ECBPLUS [DATA]    # DATA default ../shared/data

ECBPLUS is a checkout of cltl/ecbPlus (as for ``python -m training.same_story``). The
25 training topics make 7 runs of up to 4 topics; each run is grouped into stories with
the model fitted on the other runs' pairs, and the dev tuning half (3 topics) with the
model fitted on all of them (the shipped model). Methods, inside each kind of event:

- ``similarity``: today's method, average linkage over the cosine of words, names and
  years (the baseline);
- ``cannot-link``: the same, with no link where the model's probability is below a bound;
- ``weighted``: the same over cosine × 2 × probability, cut at the story threshold;
- ``learned``: average linkage over the probability itself, cut at a bound.

Each is scored by the article-level CoNLL F1 against the subtopics, and by how many
topics keep their two stories apart. The choice: the best mean CoNLL F1 over the 8
runs; within :data:`TIE` of today's method, today's method. The reporting half is never
read. Exits 1, naming the difference, when the choice is not what
``summarizer/storylines`` ships. Output committed as
``evals/reference/tune_same_story.txt``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from summarizer.coreference import conll_f1
from summarizer.evaluation.storyline_eval import load_topics
from summarizer.storylines.same_story import MODEL, SameStoryModel
from summarizer.storylines.stories import StoryArticle, StorySettings, group_stories
from training.exclusions import DEFAULT_PATH
from training.same_story import Run, fitted, read, runs

TIE = 0.005
GRID: list[StorySettings] = [
    StorySettings(method="similarity"),
    *(StorySettings(method="cannot-link", same_story=b) for b in (0.05, 0.1, 0.2, 0.3)),
    *(StorySettings(method="weighted", story_threshold=t) for t in (0.1, 0.12, 0.15, 0.18)),
    *(StorySettings(method="learned", same_story=b) for b in (0.3, 0.4, 0.5, 0.6)),
]


def label(settings: StorySettings) -> str:
    if settings.method == "similarity":
        return "similarity (today's)"
    if settings.method == "weighted":
        return f"weighted, story threshold {settings.story_threshold}"
    return f"{settings.method}, bound {settings.same_story}"


def scored(
    articles: list[StoryArticle],
    topics: list[str],
    subtopics: list[str],
    settings: StorySettings,
    model: SameStoryModel,
    run: Run | None = None,
) -> tuple[float, int, int]:
    """CoNLL F1 against the subtopics, topics told apart, topics."""
    vectors = run.vectors if run is not None else None
    stories = group_stories(articles, settings, vectors, model)
    gold: dict[str, list[int]] = {}
    for i, subtopic in enumerate(subtopics):
        gold.setdefault(subtopic, []).append(i)
    mixed = {topics[s[0]] for s in stories if len({subtopics[i] for i in s}) > 1}
    return conll_f1(list(gold.values()), stories), len(set(topics) - mixed), len(set(topics))


def as_model(regression: Any) -> SameStoryModel:
    return SameStoryModel(
        tuple(float(w) for w in regression.coef_[0]), float(regression.intercept_[0])
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("ecbplus", type=Path)
    parser.add_argument("data", nargs="?", default="../shared/data", type=Path)
    args = parser.parse_args()
    found = runs(read(args.ecbplus, DEFAULT_PATH))
    held_out = [as_model(fitted(found[:k] + found[k + 1 :])) for k in range(len(found))]
    whole = as_model(fitted(found))
    shipped = json.loads(MODEL.read_text(encoding="utf-8"))
    if [round(w, 6) for w in whole.weights] != shipped["weights"]:
        sys.exit(f"{MODEL} is not the model these topics make: run python -m training.same_story")
    tune = load_topics(args.data, "tune")
    dev = [StoryArticle(a.doc, a.article.text) for a in tune]
    rows = []
    for settings in GRID:
        per_run = [
            scored(run.articles, run.topics, run.subtopics, settings, model, run)
            for run, model in zip(found, held_out, strict=True)
        ]
        per_run.append(
            scored(dev, [a.topic for a in tune], [a.subtopic for a in tune], settings, whole)
        )
        rows.append((settings, per_run))
    print(
        f"{len(found)} runs of ECB+ training topics ({sum(len(r.articles) for r in found)} "
        f"articles, model fitted on the other runs) and the dev tuning half ({len(tune)} "
        "articles, model fitted on every run)\n"
    )
    print(
        "| method | mean CoNLL F1, 8 runs | training runs | dev tuning half | topics told apart |"
    )
    print("|---|---|---|---|---|")
    means = {}
    for settings, per_run in rows:
        mean = float(np.mean([f for f, _, _ in per_run]))
        means[settings] = mean
        apart = sum(a for _, a, _ in per_run)
        topics = sum(n for _, _, n in per_run)
        train = float(np.mean([f for f, _, _ in per_run[:-1]]))
        print(
            f"| {label(settings)} | {mean:.3f} | {train:.3f} | {per_run[-1][0]:.3f} "
            f"({per_run[-1][1]}/{per_run[-1][2]}) | {apart}/{topics} |"
        )
    today = GRID[0]
    best = max(GRID, key=lambda s: means[s] - (0 if s == today else TIE))
    print(f"\nchosen: {label(best)} ({means[best]:.3f}; today's {means[today]:.3f})")
    default = StorySettings()
    if (best.method, best.same_story, best.story_threshold) != (
        default.method,
        default.same_story,
        default.story_threshold,
    ):
        sys.exit(f"the tuning runs chose {label(best)}; summarizer ships {label(default)}")


if __name__ == "__main__":
    main()
