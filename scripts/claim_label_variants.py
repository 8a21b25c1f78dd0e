"""How well the embedded model's label scores separate agree / disagree / discuss.

    python scripts/claim_label_variants.py [DATA_DIR] [--half tune]

On the related pairs (gold label not "unrelated") of FNC-1 dev and natural dev, for
two wordings of the question (the label words; true / false / unclear) and two views
of the article (its first 3,000 characters; the 3 sentences most like the claim),
prints the accuracy and macro-F1 of the raw scores, of the scores calibrated against
a content-free claim ("N/A", Zhao et al. 2021) and of batch calibration (the mean
prediction divided out), next to each constant label. This is what chose
``claim_labels`` for the embedded model (docs/evaluation.md, "Claim labels"). It
loads the model and takes about 25 minutes on 2 cores for the tuning halves.
"""

from __future__ import annotations

import argparse
import collections
import functools
from pathlib import Path

import numpy as np

from summarizer.article import Article
from summarizer.backends.embedded import EmbeddedBackend
from summarizer.evaluation.datasets import load_dataset
from summarizer.evaluation.halves import half_of
from summarizer.prompts import load_prompts
from summarizer.relatedness import closest_sentences
from summarizer.settings import Settings

LABELS = ["agree", "disagree", "discuss"]
WORDINGS = {
    "words": (
        ["agree", "disagree", "discuss"],
        "TASK: Does the article above say that the claim is true (agree), say that it is "
        "false (disagree), or report it without saying whether it is true (discuss)? "
        "Answer with one word: agree, disagree or discuss.",
    ),
    "true/false": (
        ["true", "false", "unclear"],
        "TASK: According to the article above, is the claim true, false, or unclear (the "
        "article reports it without saying whether it is true)? Answer with one word: "
        "true, false or unclear.",
    ),
}
FIRST_CHARS = 3000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", nargs="?", default="../shared/data", type=Path)
    parser.add_argument("--half", default="tune", choices=["tune", "report"])
    args = parser.parse_args()
    backend = EmbeddedBackend(Settings())
    rows: list[dict[str, object]] = []
    for dataset in ("fnc1", "fnc1-natural"):
        for fixture in load_dataset(dataset, args.data):
            if half_of(fixture.id) != args.half:
                continue
            related = [c for c in fixture.claims if c.label != "unrelated"]
            article = Article.from_text(fixture.text)
            texts = [fixture.text[s.start : s.end] for s in article.sentences]
            first = [s.number for s in article.sentences if s.end <= FIRST_CHARS] or [1]
            for view in ("first", "closest"):
                for wording, (options, task) in WORDINGS.items():
                    ask = functools.partial(score, backend, article, options=options, task=task)
                    prior = ask("N/A", first) if view == "first" else None
                    for claim in related:
                        if view == "first":
                            numbers = first
                        else:
                            closest = closest_sentences(texts, claim.claim, 3) or [0]
                            numbers = sorted(i + 1 for i in closest)
                            prior = ask("N/A", numbers)
                        rows.append(
                            {
                                "dataset": dataset,
                                "view": view,
                                "wording": wording,
                                "gold": claim.label,
                                "scores": ask(claim.claim, numbers),
                                "prior": prior,
                            }
                        )
            print(f"{fixture.id}: {len(related)} related pairs", flush=True)
    report(rows)


def score(
    backend: EmbeddedBackend,
    article: Article,
    claim: str,
    numbers: list[int],
    *,
    options: list[str],
    task: str,
) -> list[float]:
    """The options' log-probabilities: the pipeline's prompt with this wording."""
    system, user = load_prompts().messages("claim_label", article.passage(numbers), claim="")
    head = user["content"].split("CLAIM:")[0]
    messages = [system, {"role": "user", "content": f"{head}CLAIM: {claim}\n{task}"}]
    return backend.option_logprobs(messages, options).logprobs


def report(rows: list[dict[str, object]]) -> None:
    def show(name: str, predicted: list[str], gold: list[str]) -> None:
        accuracy = np.mean([p == g for p, g in zip(predicted, gold, strict=True)])
        f1 = []
        for label in LABELS:
            tp = sum(p == label == g for p, g in zip(predicted, gold, strict=True))
            wrong = sum((p == label) != (g == label) for p, g in zip(predicted, gold, strict=True))
            f1.append(2 * tp / (2 * tp + wrong) if tp else 0.0)
        print(f"  {name:22} accuracy {accuracy:.3f}  macro-F1 {np.mean(f1):.3f}")

    groups = collections.defaultdict(list)
    for row in rows:
        groups[(row["dataset"], row["view"], row["wording"])].append(row)
    for (dataset, view, wording), group in groups.items():
        gold = [str(r["gold"]) for r in group]
        scores = np.array([r["scores"] for r in group], dtype=float)
        priors = np.array([r["prior"] for r in group], dtype=float)
        print(f"{dataset}, {view} sentences, {wording}: {len(group)} related pairs")
        show("raw", [LABELS[i] for i in scores.argmax(1)], gold)
        show("content-free", [LABELS[i] for i in (scores - priors).argmax(1)], gold)
        probabilities = np.exp(scores - scores.max(1, keepdims=True))
        probabilities /= probabilities.sum(1, keepdims=True)
        batch = np.log(probabilities) - np.log(probabilities.mean(0))
        show("batch calibration", [LABELS[i] for i in batch.argmax(1)], gold)
        for label in LABELS:
            show(f"constant {label}", [label] * len(gold), gold)


if __name__ == "__main__":
    main()
