"""A story from its articles' digests: its title, and the events its articles share."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from summarizer.schema import Event
from summarizer.storylines.digest import Digest
from summarizer.storylines.events import Mention, same_lemma
from summarizer.storylines.schema import (
    Conflict,
    EventMention,
    Reported,
    StanceMention,
    Story,
    StoryEvent,
)
from summarizer.storylines.titles import MAX_ARTICLES as MAX_TITLE_ARTICLES
from summarizer.storylines.titles import TitleSource, story_title

MAX_ACTORS = 5


def story_id(first_article: str) -> str:
    """A story's id, from the id of its first article: stable as the story grows, and
    the same in a run that fed the same articles in chunks."""
    return "story-" + hashlib.sha256(first_article.encode("utf-8")).hexdigest()[:12]


def build_story(
    story: str,
    members: Sequence[Digest],
    joined: sp.csr_matrix,
    split_from: str | None = None,
) -> Story:
    """The story ``story`` of the articles ``members`` (in the order they came; their
    rows of the joined vectors, for the title), with its events merged."""
    keys = [(a, n) for a, d in enumerate(members) for n in range(len(d.events))]
    mentions = [Mention(k, k[0], members[k[0]].events[k[1]].action) for k in keys]
    events = same_lemma(mentions, [list(range(len(members)))])
    events.sort(key=lambda e: (-len(e), e[0]))
    return Story(
        id=story,
        title=_title(members, joined),
        articles=[d.id for d in members],
        events=[_event(story, [keys[m] for m in e], members) for e in events],
        split_from=split_from,
    )


def _title(members: Sequence[Digest], joined: sp.csr_matrix) -> str:
    """The story's title (:func:`story_title`), its articles taken most central first:
    the most alike, summed, to the story's others; the earlier of two alike."""
    centrality = np.asarray((joined @ joined.T).sum(axis=1)).ravel()
    order = sorted(range(len(members)), key=lambda i: (-centrality[i], i))
    chosen = [members[i] for i in order[:MAX_TITLE_ARTICLES]]
    return story_title([TitleSource(d.title, d.lead, d.cited, d.language) for d in chosen])


def _event(story: str, keys: list[tuple[int, int]], members: Sequence[Digest]) -> StoryEvent:
    """The merged event of the mentions ``keys`` (member, event number)."""
    located = [(members[a].id, n, members[a].events[n], members[a]) for a, n in keys]
    first = f"{located[0][0]}\n{located[0][1]}"
    event_id = f"{story}/event-{hashlib.sha256(first.encode('utf-8')).hexdigest()[:10]}"
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
        stances=[s for a, _, e, d in located for s in _stances(a, e, d)],
    )


def _stances(article_id: str, event: Event, digest: Digest) -> list[StanceMention]:
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
        for number, stance in enumerate(digest.stances)
        if sentences & {span.sentence for span in stance.evidence}
    ]
