"""From many analyses to storylines: stories, then the events their articles share."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from summarizer.errors import InputError
from summarizer.schema import Analysis, Event
from summarizer.storylines.events import Mention, same_lemma
from summarizer.storylines.records import check_one_model
from summarizer.storylines.schema import (
    Conflict,
    EventMention,
    Reported,
    StanceMention,
    Story,
    StoryEvent,
    Storylines,
    StorylinesMetadata,
)
from summarizer.storylines.stories import (
    StoryArticle,
    StorySettings,
    article_vectors,
    group_stories,
)
from summarizer.storylines.titles import MAX_ARTICLES as MAX_TITLE_ARTICLES
from summarizer.storylines.titles import TitleSource, story_title

MAX_ACTORS = 5


def build_storylines(
    analyses: Sequence[tuple[str, Analysis]],
    *,
    skipped: int = 0,
    settings: StorySettings | None = None,
) -> Storylines:
    """Group ``(id, analysis)`` pairs into stories and merge their events.

    ``skipped`` counts the records the caller could not use (failed analyses), for the
    metadata.
    """
    started = time.perf_counter()
    if not analyses:
        raise InputError("no analyses to group into storylines")
    ids = [i for i, _ in analyses]
    if len(set(ids)) != len(ids):
        twice = next(i for i, n in Counter(ids).items() if n > 1)
        raise InputError(f"article id {twice!r} occurs twice")
    model = check_one_model(list(analyses))
    settings = settings or StorySettings()
    articles = [
        StoryArticle(i, a.article.text, a.article.title, a.article.published) for i, a in analyses
    ]
    vectors = article_vectors(articles)
    stories = group_stories(articles, settings, vectors)
    joined = vectors.joined(settings.name_weight, settings.year_weight)
    located = [
        (index, number)
        for index, (_, analysis) in enumerate(analyses)
        for number in range(len(analysis.events))
    ]
    mentions = [Mention((i, n), i, analyses[i][1].events[n].action) for i, n in located]
    events = same_lemma(mentions, stories)
    story_of = {article: s for s, members in enumerate(stories) for article in members}
    per_story: dict[int, list[list[int]]] = {}
    for event in events:
        per_story.setdefault(story_of[mentions[event[0]].article], []).append(event)
    order = sorted(range(len(stories)), key=lambda s: (-len(stories[s]), stories[s][0]))
    built: list[Story] = []
    for rank, s in enumerate(order, start=1):
        story_id = f"story-{rank}"
        found = sorted(per_story.get(s, []), key=lambda e: (-len(e), e[0]))
        built.append(
            Story(
                id=story_id,
                title=_title(analyses, stories[s], joined),
                articles=[ids[i] for i in stories[s]],
                events=[
                    _event(f"{story_id}/event-{n}", [located[m] for m in e], analyses)
                    for n, e in enumerate(found, start=1)
                ],
            )
        )
    return Storylines(
        stories=built,
        metadata=StorylinesMetadata(
            articles=len(analyses),
            skipped=skipped,
            model=model,
            kind_threshold=settings.kind_threshold,
            method=settings.method,
            same_story=settings.same_story if settings.method != "similarity" else None,
            story_threshold=settings.story_threshold,
            events=sum(len(s.events) for s in built),
            latency_s=round(time.perf_counter() - started, 3),
        ),
    )


def _title(
    analyses: Sequence[tuple[str, Analysis]], members: list[int], joined: sp.csr_matrix
) -> str:
    """The story's title (:func:`story_title`), its articles taken most central first:
    the most alike, summed, to the story's others; the earlier of two alike."""
    rows = joined[members]
    centrality = np.asarray((rows @ rows.T).sum(axis=1)).ravel()
    order = sorted(range(len(members)), key=lambda i: (-centrality[i], i))
    chosen = [analyses[members[i]][1] for i in order[:MAX_TITLE_ARTICLES]]
    return story_title(
        [
            TitleSource(a.article.title, a.article.text, _cited(a), a.metadata.language)
            for a in chosen
        ]
    )


def _cited(analysis: Analysis) -> dict[int, str]:
    """Each sentence the analysis cites, by number: its widest span."""
    spans = [s for point in analysis.summary.key_points for s in point.evidence]
    spans += [s for event in analysis.events for s in event.evidence]
    spans += [s for stance in analysis.stances for s in stance.evidence]
    found: dict[int, str] = {}
    for span in spans:
        if len(span.text) > len(found.get(span.sentence, "")):
            found[span.sentence] = span.text
    return found


def _event(
    event_id: str, keys: list[tuple[int, int]], analyses: Sequence[tuple[str, Analysis]]
) -> StoryEvent:
    """The merged event of the mentions ``keys`` (article index, event number)."""
    located: list[tuple[str, int, Event, Analysis]] = []
    for index, number in keys:
        article_id, analysis = analyses[index]
        located.append((article_id, number, analysis.events[number], analysis))
    conflicts: list[Conflict] = []

    def vote(field: str, value: Callable[[Event], str | None]) -> str | None:
        reported: dict[str, list[str]] = {}
        for article_id, _, event, _ in located:
            if (v := value(event)) is not None and article_id not in reported.setdefault(v, []):
                reported[v].append(article_id)
        ranked = sorted(
            reported.items(), key=lambda kv: -len(kv[1])
        )  # stable: first seen wins ties
        if len(ranked) > 1:
            values = [Reported(value=v, articles=a) for v, a in ranked]
            conflicts.append(Conflict(field=field, values=values))
        return ranked[0][0] if ranked else None

    date = vote("date", lambda e: e.date.isoformat() if e.date else None)
    location = vote("location", lambda e: e.location)
    status = vote("status", lambda e: e.status)
    actors = Counter(a for _, _, e, _ in located for a in e.actors)
    actions = Counter(e.action for _, _, e, _ in located)
    return StoryEvent(
        id=event_id,
        mentions=[EventMention(article=a, event=n, evidence=e.evidence) for a, n, e, _ in located],
        actors=[a for a, _ in actors.most_common(MAX_ACTORS)],
        action=actions.most_common(1)[0][0],
        date=date,
        location=location,
        status=status,
        conflicts=conflicts,
        stances=[s for a, _, e, analysis in located for s in _stances(a, e, analysis)],
    )


def _stances(article_id: str, event: Event, analysis: Analysis) -> list[StanceMention]:
    """The article's stances stated in a sentence that reports the event."""
    sentences = {span.sentence for span in event.evidence}
    return [
        StanceMention(
            article=article_id,
            stance=number,
            holder=stance.holder,
            position=stance.position,
            claim=stance.claim,
            evidence=stance.evidence,
        )
        for number, stance in enumerate(analysis.stances)
        if sentences & {span.sentence for span in stance.evidence}
    ]
