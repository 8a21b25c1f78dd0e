"""Claim stances: a lexical gate first, then a label for each related claim.

- The gate (:mod:`summarizer.relatedness`) labels a claim *unrelated* without the model.
- A related claim gets its label from the model's calibrated scores for each label
  (:mod:`summarizer.scoring`, the embedded model), from the model's generated answer
  (an endpoint: the pipeline's ``claims`` task, asked for the related claims only), or
  from a rule (one label) where the model did no better than that rule.

Evidence is chosen by code: the sentences most like the claim (TF-IDF), so a label
never cites a sentence at random.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.article import Article
from summarizer.prompts import Prompts
from summarizer.relatedness import CONFIDENCE, Relatedness, closest_sentences, relatedness
from summarizer.schema import ClaimLabel, ClaimStance, Span
from summarizer.scoring import CONTENT_FREE, ScoreRequest, calibrated

# The words the model scores, and the label each stands for.
OPTIONS: dict[str, ClaimLabel] = {"agree": "agree", "disagree": "disagree", "discuss": "discuss"}
# The model is shown the sentences most like the claim, not the whole article: a
# smaller question, measured better (docs/evaluation.md, "Claim labels").
SHOWN_SENTENCES = 3
EVIDENCE_SENTENCES = 2
# The rule's label for a related claim, and the share of related tuning pairs it fits.
RULE_LABEL: ClaimLabel = "discuss"
RULE_CONFIDENCE = 0.47


def gate(article: Article, claims: Sequence[str]) -> list[Relatedness]:
    title = f"{article.title}\n" if article.title else ""
    return relatedness(title + article.text, claims)


def unrelated(claim: str) -> ClaimStance:
    return ClaimStance(
        claim=claim, label="unrelated", evidence=[], confidence=CONFIDENCE, source="gate"
    )


def evidence(article: Article, claim: str, k: int = EVIDENCE_SENTENCES) -> list[Span]:
    texts = [article.text[s.start : s.end] for s in article.sentences]
    chosen = closest_sentences(texts, claim, k) or [0]
    return [article.span(i + 1) for i in sorted(chosen)]


def by_rule(article: Article, claim: str) -> ClaimStance:
    return ClaimStance(
        claim=claim,
        label=RULE_LABEL,
        evidence=evidence(article, claim),
        confidence=RULE_CONFIDENCE,
        source="rule",
    )


def score_requests(prompts: Prompts, article: Article, claim: str) -> list[ScoreRequest]:
    """The request for ``claim``, then its calibration request: the same sentences with
    the claim replaced by a content-free one."""
    texts = [article.text[s.start : s.end] for s in article.sentences]
    shown = sorted(closest_sentences(texts, claim, SHOWN_SENTENCES) or [0])
    passage = article.passage([i + 1 for i in shown])
    options = tuple(OPTIONS)
    return [
        ScoreRequest("claim_label", prompts.messages("claim_label", passage, claim=text), options)
        for text in (claim, CONTENT_FREE)
    ]


def by_scores(article: Article, claim: str, scores: list[float], prior: list[float]) -> ClaimStance:
    probabilities = calibrated(scores, prior)
    best = max(range(len(probabilities)), key=probabilities.__getitem__)
    return ClaimStance(
        claim=claim,
        label=list(OPTIONS.values())[best],
        evidence=evidence(article, claim),
        confidence=round(probabilities[best], 4),
        source="scores",
    )
