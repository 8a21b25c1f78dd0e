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
# article's own words.
STORYLINES_VERSION = "1.1"


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
    id: str
    title: str = Field(
        description="The title, else the first sentence, of the story's most central "
        "article that has a usable one (never empty, one word or cut short)."
    )
    articles: list[str] = Field(min_length=1)
    events: list[StoryEvent]


class StorylinesMetadata(_Model):
    schema_version: str = STORYLINES_VERSION
    articles: int = Field(description="Analyses grouped.")
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
    latency_s: float


class Storylines(_Model):
    stories: list[Story]
    metadata: StorylinesMetadata
