"""Train the attribution tagger (a CRF) on PolNeAR's ``data/train`` and write it as
package data.

    python -m training.attribution_crf --polnear DIR --out summarizer/taggers
                                       [--c1 C] [--c2 C] [--iterations N] [--limit N]

DIR is a checkout of networkdynamics/PolNeAR (``data/train/text`` and
``data/train/attributions``); ``data/dev`` and ``data/test`` are never opened, and
``training_exclusions.json`` is enforced as for the LoRA data. Each article's words are
tagged BIO over source, cue and content from its gold spans, one sequence per paragraph,
with the very features the package tags with (:mod:`summarizer.attribution_tagger`).
python-crfsuite fits it (L-BFGS with L1 and L2 penalties). ``OUT/attributions.crfsuite``
is the model and ``OUT/attributions.json`` its manifest: the files read and their
hashes, the counts, the settings, the command, the time taken and the model's hash.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import shlex
import sys
import time
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any

from summarizer.article import Article
from summarizer.attribution_tagger import (
    CUE_RATES,
    MIN_RATE_COUNT,
    Token,
    cue_rates,
    features,
    paragraphs,
    word_class,
)
from summarizer.errors import InputError
from summarizer.evaluation.fixtures import Fixture
from training.exclusions import add_exclusions_option, fitted_or_error, load_exclusions
from training.sources.polnear import read_attributions

MODEL = "attributions.crfsuite"
MANIFEST = "attributions.json"
# Chosen on PolNeAR dev's tuning half (docs/attributions.md, scripts/tagger_choice.py):
# of c1 1 to 4, the strongest L1 penalty tags best and keeps the model smallest (0.6 MB
# at 4, 2.4 MB at 1); crfsuite's own defaults are c1=0, c2=1.
C1, C2, ITERATIONS = 4.0, 0.05, 300


def labelled(fixture: Fixture) -> tuple[Article, list[tuple[list[Token], list[str]]]]:
    """The article and each paragraph's words with their gold tags: a word touching a
    source, cue or content piece takes its label, B- on the piece's first word."""
    article = Article.from_text(fixture.text)
    labels: list[str] = []
    owner = [-1] * len(fixture.text)  # per character, the piece that holds it
    for gold in fixture.attributions:
        for label, pieces in (("SRC", gold.source), ("CUE", gold.cue), ("CON", gold.content)):
            for piece in pieces:
                owner[piece.start : piece.end] = [len(labels)] * (piece.end - piece.start)
                labels.append(label)
    out = []
    for tokens in paragraphs(article):
        tags, previous = [], -1
        for t in tokens:
            held = next((k for k in owner[t.start : t.end] if k >= 0), -1)
            tags.append("O" if held < 0 else ("I-" if held == previous else "B-") + labels[held])
            previous = held
        out.append((tokens, tags))
    return article, out


def _lemma_counts(
    examples: list[tuple[Article, list[tuple[list[Token], list[str]]]]],
) -> dict[str, tuple[int, int]]:
    """Each lemma's occurrences in the training words, and how many are in a cue."""
    seen: Counter[str] = Counter()
    cued: Counter[str] = Counter()
    for _, tagged in examples:
        for tokens, gold in tagged:
            for token, tag in zip(tokens, gold, strict=True):
                lemma = word_class(token.text.lower())[0]
                seen[lemma] += 1
                cued[lemma] += tag.endswith("CUE")
    return {lemma: (n, cued[lemma]) for lemma, n in seen.items()}


def fit(args: argparse.Namespace) -> dict[str, Any]:
    import pycrfsuite

    exclusions = load_exclusions(args.exclusions)
    started = time.monotonic()
    corpus = read_attributions(args.polnear, exclusions)
    items = corpus.items[: args.limit] if args.limit else corpus.items
    if not items:
        raise InputError(f"{args.polnear}: no article to train on")
    trainer = pycrfsuite.Trainer(verbose=False)
    tags: Counter[str] = Counter()
    words = sequences = 0
    examples = [labelled(item.fixture) for item in items]
    rates = cue_rates(_lemma_counts(examples))
    for article, tagged in examples:
        for tokens, gold in tagged:
            trainer.append(features(article, tokens, rates), gold)
            tags.update(gold)
            words += len(tokens)
            sequences += 1
    feature_seconds = time.monotonic() - started
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.possible_transitions": True,
        }
    )
    args.out.mkdir(parents=True, exist_ok=True)
    model = args.out / MODEL
    fit_started = time.monotonic()
    trainer.train(str(model))
    fit_seconds = time.monotonic() - fit_started
    data = model.read_bytes()
    lexicon = json.dumps(
        {"what": "each lemma's share of occurrences inside a cue, PolNeAR train", "rates": rates},
        indent=0,
    )
    (args.out / CUE_RATES).write_text(lexicon + "\n", encoding="utf-8")
    last = trainer.logparser.last_iteration or {}
    manifest: dict[str, Any] = {
        "what": "attribution tagger: a CRF tagging source, cue and content (BIO), per paragraph",
        "data": {
            "source": "networkdynamics/PolNeAR data/train (never data/dev or data/test)",
            "given": str(args.polnear),
            "files": corpus.files,
            "articles": len(items),
            "attributions": sum(len(i.fixture.attributions) for i in items),
            "excluded": {k: len(v) for k, v in corpus.excluded.items()},
            "skipped": {k: len(v) for k, v in corpus.skipped.items()},
            "exclusions": {"path": str(exclusions.path), "sha256": exclusions.sha256},
        },
        "paragraphs": sequences,
        "words": words,
        "tags": dict(sorted(tags.items())),
        "settings": {"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations},
        "iterations": last.get("num", None),
        "final_loss": last.get("loss", None),
        "feature_seconds": round(feature_seconds, 1),
        "fit_seconds": round(fit_seconds, 1),
        "command": "python -m training.attribution_crf " + shlex.join(sys.argv[1:]),
        "versions": {
            "python": platform.python_version(),
            "python-crfsuite": metadata.version("python-crfsuite"),
        },
        "model_bytes": len(data),
        "model_sha256": hashlib.sha256(data).hexdigest(),
        "cue_rates": {
            "lemmas": len(rates),
            "min_count": MIN_RATE_COUNT,
            "sha256": hashlib.sha256((lexicon + "\n").encode()).hexdigest(),
        },
    }
    (args.out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, required=True, help="a checkout of PolNeAR")
    parser.add_argument("--out", type=Path, required=True, help="folder for the model + manifest")
    parser.add_argument("--c1", type=float, default=C1, help="L1 penalty")
    parser.add_argument("--c2", type=float, default=C2, help="L2 penalty")
    parser.add_argument("--iterations", type=int, default=ITERATIONS, help="L-BFGS iterations")
    parser.add_argument("--limit", type=int, help="train on the first N articles only (checks)")
    add_exclusions_option(parser)
    args = parser.parse_args(argv)
    manifest = fitted_or_error(fit, args)
    if manifest is None:
        return 2
    print(
        f"{manifest['data']['articles']} articles, {manifest['words']} words in "
        f"{manifest['paragraphs']} paragraphs: features in {manifest['feature_seconds']} s, "
        f"fit in {manifest['fit_seconds']} s ({manifest['iterations']} iterations); wrote "
        f"{args.out / MODEL} ({manifest['model_bytes']} bytes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
