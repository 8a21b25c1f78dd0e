"""Whether the embedded model's label scores beat the rules' constants for events and
stances, and whether a per-sentence question finds the sentences that report events.

    python scripts/label_score_variants.py [DATA_DIR] [--half tune]

On the tuning halves of the fixtures and of CASIE dev, with the gold evidence sentence
shown (an upper bound: the pipeline's own events cite a sentence that may be wrong):

- status of each gold event (happened / ongoing / planned / expected / possible /
  denied), scored raw, calibrated against a content-free event ("N/A", Zhao et al.
  2021) and by batch calibration, next to the constant "happened";
- position of each gold stance (support / oppose / neutral / mixed), the same way, next
  to the constant "support";
- for every sentence, "does it report that someone did something?" (yes / no), as a
  filter for the sentences that hold a gold event, next to the rule (a sentence with a
  name followed by a verb) and to the rule filtered by the model's answer.

This is the measurement behind docs/evaluation.md, "Choose, don't write". It loads the
model and takes about 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import collections
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from summarizer.article import Article
from summarizer.backends.embedded import EmbeddedBackend
from summarizer.evaluation.datasets import load_dataset
from summarizer.evaluation.fixtures import Fixture, load_fixtures
from summarizer.evaluation.halves import half_of
from summarizer.prompts import load_prompts
from summarizer.rules import rule_items
from summarizer.settings import Settings

STATUSES = ["happened", "ongoing", "planned", "expected", "possible", "denied"]
POSITIONS = ["support", "oppose", "neutral", "mixed"]
YES_NO = ["yes", "no"]
STATUS_TASK = (
    "TASK: According to the sentence above, did the event happen, is it ongoing, "
    "planned, expected, only possible, or denied? Answer with one word: happened, "
    "ongoing, planned, expected, possible or denied."
)
POSITION_TASK = (
    "TASK: According to the sentence above, does the holder support, oppose, stay "
    "neutral toward, or have a mixed position on the target? Answer with one word: "
    "support, oppose, neutral or mixed."
)
EVENT_TASK = (
    "TASK: Does the sentence above report that someone did, does or will do something "
    "(an event)? Answer with one word: yes or no."
)


class Asker:
    def __init__(self, backend: EmbeddedBackend) -> None:
        self.backend = backend
        self.prompts = load_prompts()

    def __call__(
        self, article: Article, number: int, item: str, task: str, options: Sequence[str]
    ) -> list[float]:
        messages = self.prompts.messages("claim_label", article.passage([number]), claim="")
        head = messages[1]["content"].split("CLAIM:")[0]
        content = f"{head}{item}\n{task}" if item else f"{head}{task}"
        asked = [messages[0], {"role": "user", "content": content}]
        return self.backend.option_logprobs(asked, options).logprobs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", nargs="?", default="../shared/data", type=Path)
    parser.add_argument("--half", default="tune", choices=["tune", "report"])
    args = parser.parse_args()
    ask = Asker(EmbeddedBackend(Settings()))
    sets = {
        "fixtures": load_fixtures(Path("evals/fixtures")),
        "casie": load_dataset("casie", args.data),
    }
    for name, fixtures in sets.items():
        chosen = [f for f in fixtures if half_of(f.id) == args.half]
        status: list[tuple[str, list[float], list[float]]] = []
        position: list[tuple[str, list[float], list[float]]] = []
        sentences: list[tuple[bool, bool, list[float]]] = []
        for fixture in chosen:
            article = _article(fixture)
            for event in fixture.events:
                if not event.sentences:
                    continue
                n = event.sentences[0]
                item = f"EVENT: {', '.join(event.actors)} {event.action}"
                scores = ask(article, n, item, STATUS_TASK, STATUSES)
                prior = ask(article, n, "EVENT: N/A", STATUS_TASK, STATUSES)
                status.append((event.status, scores, prior))
            for stance in fixture.stances:
                if not stance.sentences:
                    continue
                n = stance.sentences[0]
                item = f"HOLDER: {stance.holder}\nTARGET: {stance.target}"
                scores = ask(article, n, item, POSITION_TASK, POSITIONS)
                prior = ask(article, n, "HOLDER: N/A\nTARGET: N/A", POSITION_TASK, POSITIONS)
                position.append((stance.position, scores, prior))
            if name == "fixtures" or fixture.events:
                gold = {n for e in fixture.events for n in e.sentences}
                ruled = {s.sentence for e in rule_items(article)[0] for s in e.evidence}
                for sentence in article.sentences:
                    answer = ask(article, sentence.number, "", EVENT_TASK, YES_NO)
                    sentences.append((sentence.number in gold, sentence.number in ruled, answer))
            print(f"{name}/{fixture.id}", flush=True)
        print(f"\n{name} ({args.half} half, {len(chosen)} articles)")
        _labels("status", status, STATUSES)
        _labels("position", position, POSITIONS)
        _sentences(sentences)


def _article(fixture: Fixture) -> Article:
    return Article.from_text(fixture.text, title=fixture.title, published=fixture.published)


def _labels(
    what: str, rows: list[tuple[str, list[float], list[float]]], options: list[str]
) -> None:
    if not rows:
        print(f"  {what}: no gold items")
        return
    gold = [g for g, _, _ in rows]
    scores = np.array([s for _, s, _ in rows])
    priors = np.array([p for _, _, p in rows])
    probabilities = np.exp(scores - scores.max(1, keepdims=True))
    probabilities /= probabilities.sum(1, keepdims=True)
    ways = {
        "raw": scores,
        "content-free": scores - priors,
        "batch calibration": np.log(probabilities) - np.log(probabilities.mean(0)),
    }
    print(f"  {what}: {len(rows)} gold items, {dict(collections.Counter(gold))}")
    for way, values in ways.items():
        predicted = [options[i] for i in values.argmax(1)]
        print(f"    {way:20} accuracy {_accuracy(predicted, gold):.3f}")
    for option in options:
        print(f"    constant {option:11} accuracy {_accuracy([option] * len(gold), gold):.3f}")


def _sentences(rows: list[tuple[bool, bool, list[float]]]) -> None:
    if not rows:
        return
    gold = [g for g, _, _ in rows]
    ruled = [r for _, r, _ in rows]
    yes = np.array([s[0] - s[1] for _, _, s in rows])
    # The threshold that makes "yes" as frequent as gold events: the model's bias out.
    cut = float(np.quantile(yes, 1 - np.mean(gold)))
    model = [bool(v > cut) for v in yes]
    print(f"  sentences that hold a gold event: {sum(gold)} of {len(gold)}")
    for way, predicted in (
        ("every sentence", [True] * len(gold)),
        ("rule", ruled),
        ("model, raw yes > no", [bool(v > 0) for v in yes]),
        ("model, at the gold rate", model),
        ("rule and model", [r and m for r, m in zip(ruled, model, strict=True)]),
    ):
        tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
        precision = tp / max(sum(predicted), 1)
        recall = tp / max(sum(gold), 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        print(f"    {way:24} precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}")


def _accuracy(predicted: list[str], gold: list[str]) -> float:
    return float(np.mean([p == g for p, g in zip(predicted, gold, strict=True)]))


if __name__ == "__main__":
    main()
