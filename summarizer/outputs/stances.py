"""Stances: who holds which position toward whom. Sources: the rule, the model, or the
embedded model through its LoRA adapter (tuned)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from summarizer import grounding
from summarizer.prompts import Task
from summarizer.schema import Stance
from summarizer.settings import Extraction

if TYPE_CHECKING:
    from summarizer.outputs.job import Job
    from summarizer.strategies import Drafts


class StanceSource(Protocol):
    name: Extraction
    tasks: tuple[Task, ...]  # the model tasks each passage's wave needs for it
    tuned: bool  # whether those tasks run through the embedded model's adapter

    def found(self, job: Job, drafts: Drafts) -> list[Stance]:
        """The stances as the source finds them, before the shared filters."""
        ...


class RuleStances:
    """One stance per sentence that reports speech (:mod:`summarizer.rules`)."""

    name: Extraction = "rule"
    tasks: tuple[Task, ...] = ()
    tuned = False

    def found(self, job: Job, drafts: Drafts) -> list[Stance]:
        return list(job.rule_items[1])


class ModelStances:
    """The stances the model listed for each passage, grounded in their cited sentences."""

    name: Extraction = "model"
    tasks: tuple[Task, ...] = ("stances",)
    tuned = False

    def found(self, job: Job, drafts: Drafts) -> list[Stance]:
        return job.echo.stances(
            grounding.stance(c.passage, s) for c in drafts.chunks for s in c.stances
        )


class TunedStances(ModelStances):
    """The model's stances, asked of the embedded model with its LoRA adapter."""

    name: Extraction = "tuned"
    tuned = True


def stance_source(name: Extraction) -> StanceSource:
    if name == "tuned":
        return TunedStances()
    return RuleStances() if name == "rule" else ModelStances()


def stances(job: Job, source: StanceSource, drafts: Drafts) -> list[Stance]:
    """The article's stances from ``source``: with ``grounded_fields``, only names the
    cited sentences hold; duplicates merged."""
    found = source.found(job, drafts)
    if job.settings.grounded_fields:
        found = [t for s in found if (t := grounding.grounded_stance(s)) is not None]
    return grounding.merge_duplicates(found, grounding.stance_key)
