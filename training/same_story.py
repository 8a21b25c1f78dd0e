"""Train the same-story model on ECB+ training topics and write it as package data.

    python -m training.same_story --ecbplus DIR --out summarizer/storylines/models

DIR is a checkout of cltl/ecbPlus with ``ECB+.zip`` unpacked (``ECB+/<topic>/*.xml``).
Only training topics are read: the dev and test topics and the documents set aside
(``training_exclusions.json``) are skipped before their file is opened, and so is a
document whose text is a dev article's. Each topic holds two real-world events of one
kind (its ``ecb`` and ``ecbplus`` documents); every pair of documents of one topic is an
example, labelled by whether the two report the same event. The pairs are described by
:data:`summarizer.storylines.same_story.FEATURES`, computed exactly as the package
computes them, over all training documents at once, and fitted by scikit-learn's
logistic regression. Holding out each run of topics in turn gives the held-out figures
of the manifest. ``OUT/same-story.json`` holds the weights, the files read with their sha256,
the counts, the command and the versions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import re
import shlex
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from summarizer.errors import InputError
from summarizer.storylines.same_story import FEATURES, pair_features
from summarizer.storylines.stories import ArticleVectors, StoryArticle, article_vectors
from training.exclusions import add_exclusions_option, fitted_or_error, load_exclusions

_DOCUMENT = re.compile(r"^(\d+)_(\d+)(ecb(?:plus)?)\.xml$")
# Tokens joined by spaces, then the spaces a tokenizer adds taken out again.
_BEFORE = re.compile(r" ([.,;:!?%)\]}'’”]|n't|'s|’s)")
_AFTER = re.compile(r"([(\[{$“]) ")
# Regularisation of the logistic regression (scikit-learn's C; its default).
C = 1.0
# Topics whose articles are weighed together, as in a run of a few stories (ECB+ dev's
# halves hold 3 and 5 topics).
TOPICS_PER_RUN = 4


def detokenized(document: ET.Element) -> str:
    """The document's text, a sentence a line, from its tokens."""
    sentences: dict[int, list[str]] = {}
    for token in document.iter("token"):
        sentences.setdefault(int(token.attrib["sentence"]), []).append(token.text or "")
    lines = [_AFTER.sub(r"\1", _BEFORE.sub(r"\1", " ".join(words))) for words in sentences.values()]
    return "\n".join(line for line in lines if line.strip())


def read(root: Path, exclusions_path: Path) -> dict[str, Any]:
    """The training documents: ids, topics, subtopics, texts, files read, and what was
    left out and why."""
    exclusions = load_exclusions(exclusions_path)
    exclusions.refuse_path(root)
    paths = sorted(p for p in root.rglob("*.xml") if _DOCUMENT.match(p.name))
    if not paths:
        raise InputError(f"{root} is not an ECB+ checkout with ECB+/<topic>/*.xml unpacked")
    found: dict[str, Any] = {"docs": [], "topics": [], "subtopics": [], "texts": []}
    files: dict[str, str] = {}
    left_out: dict[str, list[str]] = {}
    for path in paths:
        doc = path.name.removesuffix(".xml")
        if reason := exclusions.excluded(f"ecbplus:{doc}"):
            left_out.setdefault(reason, []).append(doc)
            continue
        data = path.read_bytes()
        files[str(path.relative_to(root))] = hashlib.sha256(data).hexdigest()
        text = detokenized(ET.fromstring(data))
        if exclusions.is_dev_text(text):
            left_out.setdefault("same text as a dev-set article", []).append(doc)
            continue
        match = _DOCUMENT.match(path.name)
        assert match is not None
        found["docs"].append(doc)
        found["topics"].append(match.group(1))
        found["subtopics"].append(match.group(1) + match.group(3))
        found["texts"].append(text)
    return {
        **found,
        "files": files,
        "left_out": left_out,
        "exclusions": {"path": str(exclusions.path), "sha256": exclusions.sha256},
    }


@dataclass(frozen=True)
class Run:
    """A few training topics weighed together, as a run of a few stories is: their
    articles, vectors and subtopics, and the pairs of each topic's articles."""

    articles: list[StoryArticle]
    vectors: ArticleVectors
    topics: list[str]
    subtopics: list[str]
    features: np.ndarray  # one row per pair of articles of one topic
    same: np.ndarray  # whether the pair's two articles are of one subtopic


def runs(corpus: dict[str, Any]) -> list[Run]:
    """The corpus's topics, :data:`TOPICS_PER_RUN` at a time in topic order."""
    topics = np.array(corpus["topics"])
    ordered = sorted(set(corpus["topics"]), key=int)
    found = []
    for start in range(0, len(ordered), TOPICS_PER_RUN):
        chosen = ordered[start : start + TOPICS_PER_RUN]
        members = np.flatnonzero(np.isin(topics, chosen))
        articles = [StoryArticle(corpus["docs"][i], corpus["texts"][i]) for i in members]
        vectors = article_vectors(articles)
        run_topics = [corpus["topics"][i] for i in members]
        subtopics = np.array([corpus["subtopics"][i] for i in members])
        rows, same = [], []
        for topic in chosen:
            inside = np.flatnonzero(np.array(run_topics) == topic).astype(np.intp)
            features = pair_features(vectors, inside)
            first, second = np.triu_indices(len(inside), k=1)
            rows.append(np.stack([f[first, second] for f in features], axis=1))
            same.append(subtopics[inside][first] == subtopics[inside][second])
        found.append(
            Run(
                articles,
                vectors,
                run_topics,
                subtopics.tolist(),
                np.concatenate(rows),
                np.concatenate(same),
            )
        )
    return found


def fitted(chosen: list[Run]) -> Any:
    """The logistic regression fitted on the pairs of ``chosen``."""
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([r.features for r in chosen])
    y = np.concatenate([r.same for r in chosen])
    return LogisticRegression(C=C, max_iter=1000).fit(x, y)


def fit(args: argparse.Namespace) -> dict[str, Any]:
    from sklearn.metrics import log_loss, roc_auc_score

    started = time.monotonic()
    corpus = read(args.ecbplus, args.exclusions)
    if not corpus["docs"]:
        raise InputError(f"{args.ecbplus}: no training document left to train on")
    found = runs(corpus)
    if len(found) < 2:
        raise InputError(
            f"{args.ecbplus}: {len(found)} run of topics; holding one out needs at least "
            f"{TOPICS_PER_RUN + 1} training topics"
        )
    held: dict[str, list[float]] = {"log_loss": [], "auc": [], "accuracy": []}
    for k, run in enumerate(found):  # each run held out in turn
        p = fitted(found[:k] + found[k + 1 :]).predict_proba(run.features)[:, 1]
        held["log_loss"].append(float(log_loss(run.same, p, labels=[False, True])))
        held["auc"].append(float(roc_auc_score(run.same, p)))
        held["accuracy"].append(float(np.mean((p >= 0.5) == run.same)))
    model = fitted(found)
    y = np.concatenate([r.same for r in found])
    out: dict[str, Any] = {
        "what": "same-story model: the probability that two articles of one kind report "
        "the same story, a logistic regression over the features below",
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "data": {
            "source": "cltl/ecbPlus, training topics only (never the dev or test topics)",
            "given": str(args.ecbplus),
            "documents": len(corpus["docs"]),
            "topics": sorted(set(corpus["topics"]), key=int),
            "pairs": len(y),
            "same_story_pairs": int(y.sum()),
            "left_out": {k: len(v) for k, v in corpus["left_out"].items()},
            "exclusions": corpus["exclusions"],
            "files": corpus["files"],
        },
        "held_out": {
            "how": f"each run of {TOPICS_PER_RUN} topics held out in turn, the model fitted "
            "on the others (mean over runs)",
            **{k: round(float(np.mean(v)), 4) for k, v in held.items()},
        },
        "settings": {"C": C, "solver": "lbfgs"},
        "seconds": round(time.monotonic() - started, 1),
        "command": "python -m training.same_story " + shlex.join(sys.argv[1:]),
        "versions": {
            "python": platform.python_version(),
            "scikit-learn": metadata.version("scikit-learn"),
        },
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "same-story.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecbplus", type=Path, required=True, help="a checkout of ECB+")
    parser.add_argument("--out", type=Path, required=True, help="folder for same-story.json")
    add_exclusions_option(parser)
    args = parser.parse_args(argv)
    out = fitted_or_error(fit, args)
    if out is None:
        return 2
    data, held = out["data"], out["held_out"]
    print(
        f"{data['documents']} documents of {len(data['topics'])} topics, {data['pairs']} pairs "
        f"({data['same_story_pairs']} same story); held out by topic: AUC {held['auc']}, "
        f"accuracy {held['accuracy']}; weights "
        + ", ".join(f"{f} {w:+.2f}" for f, w in zip(out["features"], out["weights"], strict=True))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
