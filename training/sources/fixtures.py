"""The project's own hand-labelled fixtures (``evals/fixtures/*.json``): a handful of
examples for the CI smoke path (``make train-check``), which has no corpora.

They are the eval suite's data, so they are never training data for an adapter that
ships: :func:`training.exclusions.check_manifest` flags ``fixtures:`` ids unless told
the manifest is the smoke set's.
"""

from __future__ import annotations

from pathlib import Path

from summarizer.errors import InputError
from summarizer.evaluation.fixtures import load_fixture
from training.corpus import Corpus, Item
from training.exclusions import Exclusions

NAME = "fixtures"


def read(root: Path, exclusions: Exclusions) -> Corpus:
    if not root.is_dir():
        raise InputError(f"fixtures folder not found: {root}")
    exclusions.refuse_path(root)
    files = sorted(root.glob("*.json"))
    if not files:
        raise InputError(f"{root} holds no fixture (*.json)")
    corpus = Corpus(NAME, root)
    for path in files:
        corpus.read_bytes(path)  # recorded with its hash
        fixture = load_fixture(path)
        corpus.items.append(Item(f"{NAME}:{fixture.id}", fixture))
    return corpus
