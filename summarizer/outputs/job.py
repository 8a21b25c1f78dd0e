"""One article's analysis as its outputs' sources see it, and the sources a setting picks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from summarizer.article import Article
from summarizer.echo import EchoGuard
from summarizer.errors import ConfigError
from summarizer.outputs.attributions import AttributionSource, attribution_source
from summarizer.outputs.claims import ClaimSource, claim_source
from summarizer.outputs.events import EventSource, event_source
from summarizer.outputs.headline import HeadlineSource, asks_headline, headline_source
from summarizer.outputs.stances import StanceSource, stance_source
from summarizer.outputs.summary import SummarySource, summary_source
from summarizer.prompts import Prompts, Task
from summarizer.schema import Event, Stance
from summarizer.settings import Settings


@dataclass(frozen=True)
class Sources:
    """The source of each output for one article."""

    summary: SummarySource
    headline: HeadlineSource
    events: EventSource
    stances: StanceSource
    claims: ClaimSource
    attributions: AttributionSource

    @property
    def extraction_tasks(self) -> tuple[Task, ...]:
        """The tasks of each passage's wave besides its summary (and claims) call."""
        return self.events.tasks + self.stances.tasks

    def headline_call(self, article: Article) -> bool:
        """Whether the plan asks ``article``'s headline in a call of its own."""
        return "headline" in self.headline.tasks and asks_headline(article)

    @property
    def tuned_tasks(self) -> frozenset[Task]:
        """The generation tasks that run through the embedded model's adapter."""
        return frozenset(
            task
            for source in (self.headline, self.events, self.stances)
            if source.tuned
            for task in source.tasks
        )

    @property
    def names(self) -> tuple[str, ...]:
        return (self.headline.name, self.events.name, self.stances.name, self.claims.name)


def sources_for(settings: Settings, *, can_score: bool) -> Sources:
    """Each output's source as the settings resolve it for their backend; ``can_score``:
    whether the backend's label probabilities can be read."""
    claims = claim_source(settings.claim_labelling)
    if claims.needs_scores and not can_score:
        raise ConfigError(
            f"claim_labels={claims.name} needs a model whose label probabilities can be "
            "read (the embedded model); use generated or rule with an endpoint"
        )
    sources = Sources(
        summary=summary_source(settings.summary_style),
        headline=headline_source(settings.headlining),
        events=event_source(settings.extraction),
        stances=stance_source(settings.extraction),
        claims=claims,
        attributions=attribution_source(settings.attributions),
    )
    if "tuned" in sources.names and settings.adapter_file is None:
        raise ConfigError(
            "a tuned source needs the embedded model with a LoRA adapter: set adapter to "
            "a GGUF LoRA file (make train), or choose another source"
        )
    if sources.tuned_tasks and settings.strategy == "combined":
        # The combined call answers every task at once, without the adapter.
        raise ConfigError("a tuned headline, events or stances need strategy=per_task")
    return sources


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
