"""One article's analysis as its outputs' sources see it, and the sources a setting picks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from summarizer.article import Article
from summarizer.echo import EchoGuard
from summarizer.errors import ConfigError
from summarizer.outputs.claims import ClaimSource, claim_source
from summarizer.outputs.events import EventSource, event_source
from summarizer.outputs.stances import StanceSource, stance_source
from summarizer.outputs.summary import SummarySource, summary_source
from summarizer.prompts import Prompts, Task
from summarizer.schema import Event, Stance
from summarizer.settings import Settings


@dataclass(frozen=True)
class Sources:
    """The source of each output for one article."""

    summary: SummarySource
    events: EventSource
    stances: StanceSource
    claims: ClaimSource

    @property
    def extraction_tasks(self) -> tuple[Task, ...]:
        """The tasks of each passage's wave besides its summary (and claims) call."""
        return self.events.tasks + self.stances.tasks


def sources_for(settings: Settings, *, can_score: bool) -> Sources:
    """Each output's source as the settings resolve it for their backend; ``can_score``:
    whether the backend's label probabilities can be read."""
    claims = claim_source(settings.claim_labelling)
    if claims.needs_scores and not can_score:
        raise ConfigError(
            "claim_labels=scores needs a model whose label probabilities can be read "
            "(the embedded model); use generated or rule with an endpoint"
        )
    return Sources(
        summary=summary_source(settings.summary_style),
        events=event_source(settings.extraction),
        stances=stance_source(settings.extraction),
        claims=claims,
    )


@dataclass
class Job:
    """What every source of one article's analysis reads: the article, the settings and
    prompts it is analysed with, whether its text fields are its own sentences, and the
    guard that removes text repeating the prompts' instructions."""

    article: Article
    settings: Settings
    prompts: Prompts
    extractive: bool
    echo: EchoGuard

    @cached_property
    def rule_items(self) -> tuple[list[Event], list[Stance]]:
        """The rule's events and stances, found in one pass over the sentences."""
        from summarizer.rules import rule_items

        return rule_items(self.article)
