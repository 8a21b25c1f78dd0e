"""Choose the attribution tagger's penalty and the combined source's cue threshold on
PolNeAR dev's tuning half (never the reporting half: the half is not an option).

    python scripts/tagger_choice.py DATA MODEL_DIR... [--out FILE.json]

DATA is ../shared/data; each MODEL_DIR holds an ``attributions.crfsuite`` and its
``attributions.json`` (``python -m training.attribution_crf --out MODEL_DIR --c1 ...``).
For each model and each threshold of the cue's marginal probability, the tagger alone
and the combined source (the tagger's over the threshold, the rule's where it found
none) are scored as ``summarizer eval --dataset polnear`` scores them: strict micro
precision, recall and F1, and recall among sources written as names. Printed as a
Markdown table; ``--out`` also writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from summarizer.attribution_tagger import tagged, with_rule
from summarizer.attributions import rule_attributions
from summarizer.evaluation.baselines import _pred_attribution
from summarizer.evaluation.datasets import load_dataset
from summarizer.evaluation.halves import select
from summarizer.evaluation.records import Prediction
from summarizer.evaluation.scorers import attributions as score
from summarizer.evaluation.systems import article_of

THRESHOLDS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9)
# Posterior decoding's bound on the probability of "none" (None: Viterbi).
OUTSIDE = (None, 0.5, 0.6, 0.7, 0.8, 0.9)


def figures(scored: list[dict[str, float]]) -> dict[str, float]:
    tp = sum(s["attribution_tp"] for s in scored)
    predicted = sum(s["attribution_predicted"] for s in scored)
    gold = sum(s["attribution_gold"] for s in scored)
    named = sum(s["attribution_tp_named"] for s in scored)
    named_gold = sum(s["attribution_gold_named"] for s in scored)
    p, r = (tp / predicted if predicted else 0.0), tp / gold
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "recall_named": named / named_gold,
        "predicted": predicted,
    }


def _rows(
    folder: Path,
    settings: dict[str, Any],
    outside: float | None,
    fixtures: list[Any],
    articles: list[Any],
    rules: list[Any],
) -> list[dict[str, Any]]:
    """One model and decoding, every cue threshold, the tagger alone and combined."""
    found = [tagged(article, folder / "attributions.crfsuite", outside) for article in articles]
    rows = []
    for threshold in THRESHOLDS:
        for combined in (False, True):
            scored = []
            for fixture, (mine, sure), rule in zip(fixtures, found, rules, strict=True):
                kept = [f for f in mine if sure.get(f.cue.start, 1.0) >= threshold]
                if combined:
                    kept = with_rule(kept, rule)
                pred = Prediction(attributions=[_pred_attribution(f) for f in kept])
                scored.append(score(pred, fixture))
            rows.append(
                {
                    "model": folder.name,
                    "c1": settings["c1"],
                    "c2": settings["c2"],
                    "outside": outside,
                    "threshold": threshold,
                    "source": "combined" if combined else "tagger",
                    **figures(scored),
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("models", type=Path, nargs="+")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    fixtures = select(load_dataset("polnear", args.data), "tune")
    articles = [article_of(f) for f in fixtures]
    rules = [rule_attributions(a) for a in articles]
    rows: list[dict[str, Any]] = []
    for folder in args.models:
        settings = json.loads((folder / "attributions.json").read_text())["settings"]
        for outside in OUTSIDE:
            rows += _rows(folder, settings, outside, fixtures, articles, rules)
    print(f"PolNeAR dev, tuning half ({len(fixtures)} articles)\n")
    print(
        "| model | c1 | c2 | none below | cue threshold | source | precision | recall | F1 | "
        "named recall |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        outside = "Viterbi" if r["outside"] is None else r["outside"]
        print(
            f"| {r['model']} | {r['c1']} | {r['c2']} | {outside} | {r['threshold']} | "
            f"{r['source']} | "
            f"{r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['recall_named']:.3f} |"
        )
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
