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

from summarizer.attribution_tagger import tagged
from summarizer.attributions import rule_attributions
from summarizer.evaluation.baselines import _pred_attribution
from summarizer.evaluation.datasets import load_dataset
from summarizer.evaluation.halves import select
from summarizer.evaluation.records import Prediction
from summarizer.evaluation.scorers import attributions as score
from summarizer.evaluation.systems import article_of

THRESHOLDS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9)


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
        found = [tagged(article, folder / "attributions.crfsuite") for article in articles]
        for threshold in THRESHOLDS:
            for combined in (False, True):
                scored = []
                for fixture, (mine, sure), rule in zip(fixtures, found, rules, strict=True):
                    kept = [f for f in mine if sure.get(f.cue.start, 1.0) >= threshold]
                    if combined:
                        held = set().union(*(range(f.content.start, f.content.end) for f in kept))
                        kept += [
                            r
                            for r in rule
                            if held.isdisjoint(range(r.content.start, r.content.end))
                        ]
                        kept.sort(key=lambda f: f.cue.start)
                    pred = Prediction(attributions=[_pred_attribution(f) for f in kept])
                    scored.append(score(pred, fixture))
                rows.append(
                    {
                        "model": folder.name,
                        "c1": settings["c1"],
                        "c2": settings["c2"],
                        "threshold": threshold,
                        "source": "combined" if combined else "tagger",
                        **figures(scored),
                    }
                )
    print(f"PolNeAR dev, tuning half ({len(fixtures)} articles)\n")
    print("| model | c1 | c2 | cue threshold | source | precision | recall | F1 | named recall |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['model']} | {r['c1']} | {r['c2']} | {r['threshold']} | {r['source']} | "
            f"{r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['recall_named']:.3f} |"
        )
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
