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
from summarizer.relatedness import BACKGROUND_WORDS, Relatedness, closest_sentences, relatedness
from summarizer.schema import ClaimLabel, ClaimStance, Span
from summarizer.scoring import CONTENT_FREE, ScoreRequest, calibrated, normalised

# The labels the model scores, each as the word it would answer.
LABELS: tuple[ClaimLabel, ...] = ("agree", "disagree", "discuss")
# The model is shown the sentences most like the claim, not the whole article: a
# smaller question (docs/evaluation.md, "Choose, don't write").
SHOWN_SENTENCES = 3
EVIDENCE_SENTENCES = 2
# The rule's label for a related claim. Its confidence is null: the share of related
# tuning pairs it fits (0.47) is a constant, no probability that this claim's is right.
RULE_LABEL: ClaimLabel = "discuss"


def gate(
    article: Article, claims: Sequence[str], words: int = BACKGROUND_WORDS
) -> list[Relatedness]:
    """Each claim's relatedness to the article's title and text, in its language
    (``words``: the background's size, which scripts/tune_gate.py varies)."""
    title = f"{article.title}\n" if article.title else ""
    return relatedness(title + article.text, claims, article.language, words)


def unrelated(claim: str, score: Relatedness) -> ClaimStance:
    """The gate's label for a claim it stops, with the probability that it is right where
    that was measured (:mod:`summarizer.relatedness`)."""
    return ClaimStance(
        claim=claim, label="unrelated", evidence=[], confidence=score.confidence, source="gate"
    )


def evidence(article: Article, claim: str, k: int = EVIDENCE_SENTENCES) -> list[Span]:
    return [article.span(n) for n in _closest(article, claim, k)]


def by_rule(article: Article, claim: str) -> ClaimStance:
    return ClaimStance(
        claim=claim,
        label=RULE_LABEL,
        evidence=evidence(article, claim),
        confidence=None,
        source="rule",
    )


def score_requests(prompts: Prompts, article: Article, claim: str) -> list[ScoreRequest]:
    """The request for ``claim``, then its calibration request: the same sentences with
    the claim replaced by a content-free one."""
    passage = article.passage(_closest(article, claim, SHOWN_SENTENCES))
    return [
        ScoreRequest("claim_label", prompts.messages("claim_label", passage, claim=text), LABELS)
        for text in (claim, CONTENT_FREE)
    ]


def tuned_request(prompts: Prompts, article: Article, claim: str) -> ScoreRequest:
    """The request for ``claim`` as the adapter was trained on it (the first of
    :func:`score_requests`), scored through the adapter."""
    request = score_requests(prompts, article, claim)[0]
    return ScoreRequest(request.task, request.messages, request.options, tuned=True)


def by_scores(article: Article, claim: str, scores: list[float], prior: list[float]) -> ClaimStance:
    return _most_likely(article, claim, calibrated(scores, prior))


def by_tuned_scores(article: Article, claim: str, scores: list[float]) -> ClaimStance:
    """The adapter learnt the labels' natural mix, so its probabilities are taken as they
    are: dividing out a content-free prior would remove that mix a second time."""
    return _most_likely(article, claim, normalised(scores))


def _most_likely(article: Article, claim: str, probabilities: list[float]) -> ClaimStance:
    # The label's source is "scores" for the base model and the adapter alike: the run's
    # config says which model gave them.
    best = max(range(len(probabilities)), key=probabilities.__getitem__)
    return ClaimStance(
        claim=claim,
        label=LABELS[best],
        evidence=evidence(article, claim),
        confidence=round(probabilities[best], 4),
        source="scores",
    )


def _closest(article: Article, claim: str, k: int) -> list[int]:
    """The numbers of the ``k`` sentences most like ``claim``, in the article's order
    (the first sentence if none shares a word with it)."""
    texts = [article.text[s.start : s.end] for s in article.sentences]
    return sorted(i + 1 for i in closest_sentences(texts, claim, k, article.language) or [0])
