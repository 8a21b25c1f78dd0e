"""Events: who did what to whom, when and where. Sources: the rule, the model, or the
embedded model through its LoRA adapter (tuned)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from summarizer import grounding
from summarizer.prompts import Task
from summarizer.schema import Event
from summarizer.settings import Extraction

if TYPE_CHECKING:
    from summarizer.outputs.job import Job
    from summarizer.strategies import Drafts


class EventSource(Protocol):
    name: Extraction
    tasks: tuple[Task, ...]  # the model tasks each passage's wave needs for it
    tuned: bool  # whether those tasks run through the embedded model's adapter

    def found(self, job: Job, drafts: Drafts) -> list[Event]:
        """The events as the source finds them, before the shared filters."""
        ...


class RuleEvents:
    """One event per sentence with a name followed by a verb (:mod:`summarizer.rules`)."""

    name: Extraction = "rule"
    tasks: tuple[Task, ...] = ()
    tuned = False

    def found(self, job: Job, drafts: Drafts) -> list[Event]:
        return list(job.rule_items[0])


class ModelEvents:
    """The events the model listed for each passage, grounded in their cited sentences."""

    name: Extraction = "model"
    tasks: tuple[Task, ...] = ("events",)
    tuned = False

    def found(self, job: Job, drafts: Drafts) -> list[Event]:
        return job.echo.events(
            grounding.event(c.passage, e) for c in drafts.chunks for e in c.events
        )


class TunedEvents(ModelEvents):
    """The model's events, asked of the embedded model with its LoRA adapter."""

    name: Extraction = "tuned"
    tuned = True


def event_source(name: Extraction) -> EventSource:
    if name == "tuned":
        return TunedEvents()
    return RuleEvents() if name == "rule" else ModelEvents()


def events(job: Job, source: EventSource, drafts: Drafts) -> list[Event]:
    """The article's events from ``source``: with ``grounded_fields``, only names the
    cited sentences hold; duplicates merged."""
    found = source.found(job, drafts)
    if job.settings.grounded_fields:
        found = [k for e in found if (k := grounding.grounded_event(e)) is not None]
    return grounding.merge_duplicates(found, grounding.event_key)
