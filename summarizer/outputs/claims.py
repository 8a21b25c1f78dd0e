"""Claim labels: does the article agree with each claim, disagree, discuss it, or is it
unrelated? The lexical gate labels unrelated claims for every source; a related claim's
label comes from the source: ``rule`` (one label), ``scores`` (the model's calibrated
label probabilities, one pass, nothing generated), ``tuned`` (the same probabilities from
the embedded model with its LoRA adapter, taken as they are) or ``generated`` (the model
writes the labels in the plan's ``claims`` calls)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from summarizer import claim_labels, grounding
from summarizer.calls import CallLog
from summarizer.relatedness import Relatedness
from summarizer.schema import ClaimStance
from summarizer.scoring import ScoreFn
from summarizer.settings import ClaimLabels

if TYPE_CHECKING:
    from summarizer.outputs.job import Job
    from summarizer.strategies import ChunkDrafts, Drafts

# When chunks disagree about a claim, the most decisive label wins.
_LABEL_RANK = {"disagree": 3, "agree": 2, "discuss": 1, "unrelated": 0}


class ClaimSource(Protocol):
    name: ClaimLabels
    needs_scores: bool  # whether it reads the backend's label probabilities

    def asked(self, claims: Sequence[str], gates: Sequence[Relatedness]) -> list[str]:
        """The claims the plan asks the model to label (in its ``claims`` calls)."""
        ...

    def labels(
        self,
        job: Job,
        related: Sequence[str],
        drafts: Drafts,
        score: ScoreFn | None,
        log: CallLog,
    ) -> list[ClaimStance]:
        """A stance for each related claim, in order."""
        ...


class _AsksNothing:
    """A source that labels without the plan's ``claims`` calls."""

    def asked(self, claims: Sequence[str], gates: Sequence[Relatedness]) -> list[str]:
        return []


class RuleLabels(_AsksNothing):
    """Every related claim gets :data:`claim_labels.RULE_LABEL`, with a null confidence."""

    name: ClaimLabels = "rule"
    needs_scores = False

    def labels(
        self,
        job: Job,
        related: Sequence[str],
        drafts: Drafts,
        score: ScoreFn | None,
        log: CallLog,
    ) -> list[ClaimStance]:
        return [claim_labels.by_rule(job.article, claim) for claim in related]


class ScoredLabels(_AsksNothing):
    """The label the model's calibrated log-probabilities favour: two scoring passes per
    claim (the claim, and a content-free one for calibration), nothing generated. Without
    a scorer (an eval replaying another run's answers), the rule's label."""

    name: ClaimLabels = "scores"
    needs_scores = True

    def labels(
        self,
        job: Job,
        related: Sequence[str],
        drafts: Drafts,
        score: ScoreFn | None,
        log: CallLog,
    ) -> list[ClaimStance]:
        if score is None:
            return RuleLabels().labels(job, related, drafts, score, log)
        return [self.label(job, claim, score, log) for claim in related]

    def label(self, job: Job, claim: str, score: ScoreFn, log: CallLog) -> ClaimStance:
        request, calibration = claim_labels.score_requests(job.prompts, job.article, claim)
        scores, prior = score(request, log), score(calibration, log)
        return claim_labels.by_scores(job.article, claim, scores, prior)


class TunedLabels(ScoredLabels):
    """The label the adapter's probabilities favour: one scoring pass per claim through
    the embedded model's LoRA adapter, nothing generated and no calibration pass (it was
    trained on the labels' natural mix). Without a scorer, the rule's label."""

    name: ClaimLabels = "tuned"

    def label(self, job: Job, claim: str, score: ScoreFn, log: CallLog) -> ClaimStance:
        request = claim_labels.tuned_request(job.prompts, job.article, claim)
        return claim_labels.by_tuned_scores(job.article, claim, score(request, log))


class GeneratedLabels:
    """The labels the model wrote for the related claims, in the plan's ``claims`` calls;
    where passages disagree, the most decisive label."""

    name: ClaimLabels = "generated"
    needs_scores = False

    def asked(self, claims: Sequence[str], gates: Sequence[Relatedness]) -> list[str]:
        return [claim for claim, gate in zip(claims, gates, strict=True) if gate.related]

    def labels(
        self,
        job: Job,
        related: Sequence[str],
        drafts: Drafts,
        score: ScoreFn | None,
        log: CallLog,
    ) -> list[ClaimStance]:
        return merge_passages(related, drafts.chunks)


def claim_source(name: ClaimLabels) -> ClaimSource:
    if name == "scores":
        return ScoredLabels()
    if name == "tuned":
        return TunedLabels()
    if name == "generated":
        return GeneratedLabels()
    return RuleLabels()


def claim_stances(
    job: Job,
    source: ClaimSource,
    claims: Sequence[str],
    gates: Sequence[Relatedness],
    drafts: Drafts,
    score: ScoreFn | None,
    log: CallLog,
) -> list[ClaimStance]:
    """Every claim's stance, in order: unrelated by the gate, else by ``source``."""
    related = [claim for claim, gate in zip(claims, gates, strict=True) if gate.related]
    labelled = iter(source.labels(job, related, drafts, score, log))
    return [
        next(labelled) if gate.related else claim_labels.unrelated(claim, gate)
        for claim, gate in zip(claims, gates, strict=True)
    ]


def merge_passages(claims: Sequence[str], chunks: list[ChunkDrafts]) -> list[ClaimStance]:
    """One stance per claim from every passage's answer: the most decisive label."""
    best: dict[int, ClaimStance] = {}
    for chunk in chunks:
        for index, (claim, draft) in enumerate(zip(claims, chunk.claims, strict=True)):
            found = grounding.claim_stance(chunk.passage, claim, draft)
            held = best.get(index)
            if held is None or _LABEL_RANK[found.label] > _LABEL_RANK[held.label]:
                best[index] = found
    return [best[i] for i in sorted(best)]
