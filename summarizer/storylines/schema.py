"""The storylines of many analyses: stories, and the events their articles share.

Public and versioned like the analysis (exported to ``schemas/storylines.schema.json``).
Every mention points back at an article's event by its index and carries that article's
evidence spans, so a merged event is as checkable as the events it merges.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from summarizer.schema import EventStatus, Position, Span, _Model

# 1.1: metadata.method and metadata.same_story (the same-story model); titles from an
# article's own words. 1.2: ids from a story's first article, stable across updates;
# split_from, merged, metadata.updates and metadata.state.
STORYLINES_VERSION = "1.2"


class EventMention(_Model):
    article: str = Field(description="The article's id (its batch record's id).")
    event: int = Field(ge=0, description="Index of the event in that article's event list.")
    evidence: list[Span] = Field(description="That event's evidence, in that article.")


class Reported(_Model):
    """One value of a field, and the articles that report it."""

    value: str
    articles: list[str]


class Conflict(_Model):
    field: Literal["date", "location", "status"]
    values: list[Reported] = Field(min_length=2, description="Each value, most reported first.")


class StanceMention(_Model):
    """An article's stance in the sentence that reports the event."""

    article: str
    stance: int = Field(ge=0, description="Index of the stance in that article's stance list.")
    holder: str
    position: Position
    claim: str
    evidence: list[Span]


class StoryEvent(_Model):
    id: str
    mentions: list[EventMention] = Field(min_length=1)
    actors: list[str]
    action: str
    date: dt.date | None = Field(description="The date most mentions give.")
    location: str | None = Field(description="The location most mentions give.")
    status: EventStatus = Field(description="The status most mentions give.")
    conflicts: list[Conflict] = Field(
        description="Fields on which the mentions disagree, with who says what."
    )
    stances: list[StanceMention]


class Story(_Model):
    id: str = Field(
        description="Derived from the id of the story's first article: the same after "
        "updates, and in a run fed the same articles in chunks."
    )
    title: str = Field(
        description="The title, else the first sentence, of the story's most central "
        "article that has a usable one (never empty, one word or cut short)."
    )
    articles: list[str] = Field(min_length=1, description="In the order they came.")
    events: list[StoryEvent]
    split_from: str | None = Field(
        default=None,
        description="The story an update split this one from (it keeps its first article).",
    )


class MergedStory(_Model):
    """A story an update merged into another: its id leads there."""

    id: str
    merged_into: str


class StorylinesMetadata(_Model):
    schema_version: str = STORYLINES_VERSION
    articles: int = Field(description="Analyses grouped.")
    stories: int = Field(description="Stories they make.")
    skipped: int = Field(description="Records skipped: failed analyses and unreadable lines.")
    model: str | None = Field(description="The model that made the analyses.")
    events: int = Field(description="Events over all stories, merged ones counted once.")
    kind_threshold: float = Field(
        description="Least mean word similarity of articles about one kind of event."
    )
    story_threshold: float = Field(
        description="Least mean similarity (words, names, years) of a story's articles."
    )
    method: str = Field(
        default="similarity",
        description="How two articles of one kind were linked: similarity (cosine of "
        "words, names, years), cannot-link (the same, no link where the same-story model "
        "gives less than same_story), weighted or learned.",
    )
    same_story: float | None = Field(
        default=None, description="The same-story model's bound, where the method uses one."
    )
    updates: int = Field(default=0, description="Updates applied since the first run.")
    state: str | None = Field(
        default=None,
        description="Token of the state file written with this one (FILE.state), which "
        "`summarizer storylines --update` reads.",
    )
    latency_s: float = Field(description="Seconds the run (or the last update) took.")


class Storylines(_Model):
    metadata: StorylinesMetadata
    merged: list[MergedStory] = Field(
        default_factory=list,
        description="Stories merged into others by updates; a link to one leads on.",
    )
    stories: list[Story]
