"""Storylines scored on ECB+ whole topics: stories against ``subtopic``, events against
the cross-document coreference of ACTION mentions in annotated sentences.

Each topic of ``ecbplus_topics_dev.jsonl`` holds two real-world events of one kind; a
topic's half (tune / report) is fixed by its id, so a story is never split between
halves. Three settings, each next to its baselines in the same run:

- **stories**: article-level MUC, B-cubed, CEAF-e, LEA and CoNLL F1; baselines: the
  similarity links alone (the method before the same-story model), every article its
  own story, one story per topic (the gold topic). The same articles fed as updates of
  20 (as given, and finding neighbours by keys alone as a large run does) are scored
  too, and against the stories of one run;
- **events, gold mentions**: our merging applied to ECB+'s own ACTION mentions
  (comparable to the literature); baselines: one event per action lemma inside the
  gold topic (the literature's lemma baseline) and over the whole set;
- **events, predicted**: a system's events (the pipeline by default) matched to gold
  mentions by span: the action's word inside the cited sentence overlapping a gold
  mention. An event that matches none stays in the response as a mention the key
  lacks, and so costs precision.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from summarizer.coreference import PRF, conll_f1, scores
from summarizer.errors import SummarizerError
from summarizer.evaluation.datasets.ecbplus_topics import GoldMention
from summarizer.evaluation.datasets.ecbplus_topics import TopicArticle as TopicArticle
from summarizer.evaluation.datasets.ecbplus_topics import load_topics as load_topics
from summarizer.evaluation.halves import Half
from summarizer.evaluation.records import PredEvent
from summarizer.evaluation.systems import System
from summarizer.storylines.events import Mention, action_lemma, same_lemma
from summarizer.storylines.stories import (
    StoryArticle,
    StorySettings,
    article_vectors,
    group_stories,
)
from summarizer.storylines.update import Retrieval, chunked_stories

# Articles per update, where updates are compared with one run.
CHUNK = 20


@dataclass
class StorylineResult:
    half: Half
    articles: int
    topics: int
    stories: dict[str, dict[str, Any]] = field(default_factory=dict)
    events_gold: dict[str, dict[str, Any]] = field(default_factory=dict)
    events_predicted: dict[str, dict[str, Any]] = field(default_factory=dict)
    story_groups: list[list[str]] = field(default_factory=list)
    # CoNLL F1 of the stories of updates (chunks of CHUNK articles) against one run's.
    chunked: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    def metrics(self) -> dict[str, float | None]:
        """Our system's headline figures, by the names ``--fail-under`` takes."""
        ours = self.events_predicted.get("storylines", {})
        return {
            "stories_conll_f1": self.stories["storylines"]["conll_f1"],
            "events_gold_conll_f1": self.events_gold["storylines"]["conll_f1"],
            "events_predicted_conll_f1": ours.get("conll_f1"),
            "stories_chunked_vs_one_run_conll_f1": self.chunked.get(f"in chunks of {CHUNK}"),
        }


def run_storyline_eval(
    articles: Sequence[TopicArticle],
    systems: Sequence[System],
    half: Half,
    on_article: Callable[[], None] | None = None,
) -> StorylineResult:
    """Score stories and gold-mention events, and the events of each of ``systems``
    (the predicted setting); ``on_article`` is called as each article is analysed."""
    started = time.perf_counter()
    result = StorylineResult(half, len(articles), len({a.topic for a in articles}))
    by_subtopic = _group_by([a.subtopic for a in articles])
    by_topic = _group_by([a.topic for a in articles])
    chosen = [StoryArticle(a.doc, a.article.text) for a in articles]
    vectors = article_vectors(chosen)
    stories = group_stories(chosen, vectors=vectors)
    result.story_groups = [[articles[i].doc for i in s] for s in stories]
    chunked = chunked_stories(chosen, CHUNK)
    keys_only = chunked_stories(chosen, CHUNK, retrieval=Retrieval(exhaustive=0))
    result.chunked = {
        f"in chunks of {CHUNK}": round(conll_f1(stories, chunked), 4),
        f"in chunks of {CHUNK}, by keys alone": round(conll_f1(stories, keys_only), 4),
    }
    story_systems = {
        "storylines": stories,
        f"storylines, in chunks of {CHUNK}": chunked,
        f"storylines, in chunks of {CHUNK} by keys alone": keys_only,
        "similarity only": group_stories(chosen, StorySettings(method="similarity"), vectors),
        "singletons": [[i] for i in range(len(articles))],
        "topic": by_topic,
    }
    for name, response in story_systems.items():
        result.stories[name] = {
            **_scored(by_subtopic, response),
            "stories": len(response),
            "topics_told_apart": _told_apart(articles, response),
        }
    result.stories["gold"] = {"stories": len(by_subtopic)}

    mentions = [
        Mention(m.key, index, m.text) for index, a in enumerate(articles) for m in a.mentions
    ]
    key = _group_by([m.cluster for a in articles for m in a.mentions])
    event_systems = {
        "storylines": same_lemma(mentions, stories),
        "lemma (topic)": same_lemma(mentions, by_topic),
        "lemma (all)": same_lemma(mentions, [list(range(len(articles)))]),
        "singletons": [[i] for i in range(len(mentions))],
    }
    for name, response in event_systems.items():
        result.events_gold[name] = _scored(key, response)

    # The predicted setting pairs mentions by their gold keys, not by index.
    gold: list[list[Hashable]] = [[mentions[i].key for i in cluster] for cluster in key]
    for system in systems:
        predicted, matched, failed = _predicted_mentions(articles, system, on_article)
        for grouping, groups in (("storylines", stories), ("lemma (topic)", by_topic)):
            found: list[list[Hashable]] = [
                [predicted[i].key for i in c] for c in same_lemma(predicted, groups)
            ]
            label = grouping if len(systems) == 1 else f"{system.name}: {grouping}"
            result.events_predicted[label] = {
                **_scored(gold, found),
                "mentions": len(predicted),
                "gold_mentions_found": round(matched / max(len(mentions), 1), 4),
                "articles_failed": failed,
            }
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _predicted_mentions(
    articles: Sequence[TopicArticle],
    system: System,
    on_article: Callable[[], None] | None = None,
) -> tuple[list[Mention], int, int]:
    """Each predicted event as a mention: keyed by the gold mention it matches, else
    by itself (a mention the key lacks); and how many gold mentions were matched and
    how many articles the system failed on (they predict nothing, and are counted)."""
    mentions: list[Mention] = []
    matched: set[Hashable] = set()
    failed = 0
    for index, a in enumerate(articles):
        try:
            events = system.predict(a.fixture, a.article).events
        except SummarizerError:
            events, failed = [], failed + 1
        if on_article is not None:
            on_article()
        for number, event in enumerate(events):
            gold = _match(a, event)
            if gold is not None and gold.key not in matched:
                matched.add(gold.key)
                mentions.append(Mention(gold.key, index, event.action))
            else:
                mentions.append(Mention(("predicted", a.doc, str(number)), index, event.action))
    return mentions, len(matched), failed


def _match(article: TopicArticle, event: PredEvent) -> GoldMention | None:
    """The gold mention that the event's action word covers in a cited sentence."""
    lemma = action_lemma(event.action)
    for span in event.evidence:
        sentence = article.article.text[span.start : span.end]
        for word_start, word in _words(sentence):
            if action_lemma(word) != lemma:
                continue
            start = span.start + word_start
            end = start + len(word)
            for mention in article.mentions:
                if mention.start < end and start < mention.end:
                    return mention
    return None


def _words(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in re.finditer(r"[A-Za-z][\w'’\-]*", text)]


def _group_by(labels: Sequence[str]) -> list[list[int]]:
    """The indices of equal labels, grouped, in order of first appearance."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    return list(groups.values())


def _told_apart(articles: Sequence[TopicArticle], stories: Sequence[Sequence[int]]) -> str:
    """How many topics have no story mixing their two subtopics."""
    mixed = {articles[s[0]].topic for s in stories if len({articles[i].subtopic for i in s}) > 1}
    topics = {a.topic for a in articles}
    return f"{len(topics - mixed)}/{len(topics)}"


def _scored(
    key: Sequence[Sequence[Hashable]], response: Sequence[Sequence[Hashable]]
) -> dict[str, Any]:
    found: dict[str, PRF] = scores(key, response)
    return {
        **{
            name: {
                "precision": round(p.precision, 4),
                "recall": round(p.recall, 4),
                "f1": round(p.f1, 4),
            }
            for name, p in found.items()
        },
        "conll_f1": round(conll_f1(key, response), 4),
    }
