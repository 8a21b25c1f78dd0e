"""The catalogue of metrics an eval run reports: their labels, direction and grouping.

Scorers produce the numbers; this says what they mean. The report, the tables, the
gate (:mod:`summarizer.evaluation.compare`) and the scoring of failed items (which get
the worst value of every quality metric) all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    kind: str = "ratio"  # ratio | number | seconds
    higher_is_better: bool = True
    ranked: bool = True  # whether a best value is marked (not for, say, length)


COST = "cost per item"

METRIC_GROUPS: list[tuple[str, list[Metric]]] = [
    (
        "validity",
        [
            Metric("valid_first_try_rate", "schema-valid, first attempt"),
            Metric("valid_rate", "schema-valid after re-asks"),
            Metric("failed_rate", "failed", higher_is_better=False),
        ],
    ),
    (
        # The article as read before any model call: the same for every system.
        "reading",
        [
            Metric("language_correct", "language detected right"),
            Metric("split_f1", "sentence boundaries F1 (hand splits)"),
        ],
    ),
    (
        "grounding",
        [
            Metric("evidence_exact", "evidence spans exact"),
            Metric(
                "unsupported_rate", "unsupported names/numbers in summary", higher_is_better=False
            ),
            # A second check the headline recheck does not optimise: stemmed words of the
            # headline and summary that the article lacks, whatever their case or kind.
            Metric("novel_word_rate", "summary words absent from article", higher_is_better=False),
            Metric(
                "absent_name_rate",
                "event/stance names absent from article",
                higher_is_better=False,
            ),
        ],
    ),
    (
        "summary",
        [
            Metric("rouge1", "ROUGE-1 F1"),
            Metric("rouge2", "ROUGE-2 F1"),
            Metric("rougeL", "ROUGE-L F1"),
            Metric("key_fact_recall", "key-fact recall"),
            Metric("summary_words", "summary length (words)", "number", ranked=False),
        ],
    ),
    (
        # Every item of a system that writes key points: their words against the
        # article's, and what they carry of the references and key facts.
        "key points",
        [
            Metric("key_point_rouge1", "ROUGE-1 F1, the points against the references"),
            Metric("key_point_fact_recall", "key-fact recall"),
            Metric(
                "key_point_novel_word_rate",
                "words absent from the article",
                higher_is_better=False,
            ),
            Metric(
                "key_point_unsupported_rate",
                "points naming what the article lacks",
                higher_is_better=False,
            ),
        ],
    ),
    (
        # Every item of a system that writes a headline; ROUGE-L where the item has a
        # reference headline (a title the system was not shown).
        "headline",
        [
            Metric("headline_rougeL", "ROUGE-L F1 against the title"),
            Metric("headline_empty_rate", "empty", higher_is_better=False),
            Metric("headline_meta_rate", "about the article, not its news", higher_is_better=False),
            Metric("headline_cut_rate", "cut short", higher_is_better=False),
            Metric(
                "headline_unsupported_rate",
                "names/numbers the article lacks",
                higher_is_better=False,
            ),
            Metric("headline_words", "length (words)", "number", ranked=False),
        ],
    ),
    (
        "events",
        [
            Metric("event_precision", "precision (strict)"),
            Metric("event_recall", "recall (strict)"),
            Metric("event_f1", "F1 (strict)"),
            Metric("event_f1_lenient", "F1 (lenient: names only)"),
            Metric("event_date_accuracy", "date accuracy (matched)"),
            Metric("event_location_accuracy", "location accuracy (matched)"),
            Metric("event_status_accuracy", "status accuracy (matched)"),
        ],
    ),
    (
        "stances",
        [
            Metric("stance_precision", "precision (strict)"),
            Metric("stance_recall", "recall (strict)"),
            Metric("stance_f1", "F1 (strict)"),
            Metric("stance_f1_lenient", "F1 (lenient: names only)"),
            Metric("stance_position_accuracy", "position accuracy (matched)"),
        ],
    ),
    (
        # Who said what (PolNeAR): matched by content, strict when the sources match too.
        "attributions",
        [
            Metric("attribution_precision", "precision (strict)"),
            Metric("attribution_recall", "recall (strict)"),
            Metric("attribution_f1", "F1 (strict)"),
            Metric("attribution_recall_named", "recall, sources written as names"),
            Metric("attribution_source_accuracy", "source right (content matched)"),
            Metric("attribution_content_f1", "content token F1 (content matched)"),
            Metric("stance_attribution_precision", "stances an attribution supports"),
            # Over the attributions that carry a confidence (the tagger's), pooled.
            Metric(
                "attribution_ece",
                "calibration error (ECE)",
                higher_is_better=False,
                ranked=False,
            ),
            Metric("attribution_brier", "Brier score", higher_is_better=False, ranked=False),
        ],
    ),
    (
        "claim stance",
        [
            Metric("claim_accuracy", "accuracy"),
            Metric("claim_macro_f1", "macro-F1"),
            Metric("claim_related_accuracy", "related/unrelated accuracy"),
            Metric("fnc1_relative", "FNC-1 score (share of maximum)"),
            # Calibration of the labels' confidences, over the claims that carry one
            # (a null confidence claims nothing): not ranked, as a system that gives no
            # confidence has no figure to compare.
            Metric("claim_confidence_share", "labels with a confidence", ranked=False),
            Metric("claim_ece", "calibration error (ECE)", higher_is_better=False, ranked=False),
            Metric("claim_brier", "Brier score", higher_is_better=False, ranked=False),
        ],
    ),
    (
        # A judge model's grades (`eval run --judge`, summarizer.evaluation.judge): means
        # over the items with a summary of grades from 1 to 5 (kind "score": shown to
        # three decimals), a failed item at the worst grade, 1.
        "model-graded",
        [
            Metric("judge_faithfulness", "faithfulness (judge, 1-5)", "score"),
            Metric("judge_relevance", "relevance (judge, 1-5)", "score"),
        ],
    ),
    (
        COST,
        [
            Metric("total_tokens", "tokens", "number", higher_is_better=False),
            Metric("latency_s", "latency", "seconds", higher_is_better=False),
            Metric("attempts", "requests", "number", higher_is_better=False),
        ],
    ),
]
METRICS = {m.key: m for _, group in METRIC_GROUPS for m in group}
# Metrics whose run-level figure is a ratio of sums over items (micro), not a mean of
# ratios: (prefix, suffix) of the items' ``{prefix}_tp{suffix}``, ``_predicted`` and
# ``_gold`` counts, from which ``_precision``, ``_recall`` and ``_f1`` are computed.
MICRO = [
    *((p, s) for p in ("event", "stance") for s in ("", "_lenient")),
    ("split", ""),
    ("attribution", ""),
]
# Ratios of sums over items: key -> (numerator key, denominator key). Recall over the gold
# attributions whose source is a name; precision of stances against the attributions.
MICRO_RATIOS = {
    "attribution_recall_named": ("attribution_tp_named", "attribution_gold_named"),
    "stance_attribution_precision": ("stance_attribution_tp", "stance_attribution_predicted"),
}
GROUP_OF = {m.key: group for group, metrics in METRIC_GROUPS for m in metrics}


def full_label(key: str) -> str:
    """The metric's label with its group: "events: F1 (strict)"."""
    return f"{GROUP_OF[key]}: {METRICS[key].label}"


# What the gate pairs, and what a failed item scores worst on. Cost is reported but
# does not gate: latency on shared machines is noise.
QUALITY = tuple(
    m.key for group, metrics in METRIC_GROUPS if group != COST for m in metrics if m.ranked
)


def worst(key: str) -> float:
    """The worst value of a quality metric: every one of them is a share in [0, 1]."""
    return 0.0 if METRICS[key].higher_is_better else 1.0


def fmt(value: float | None, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "number":
        return f"{value:,.1f}"
    if kind == "seconds":
        return f"{value:.1f} s"
    return f"{value:.3f}"
