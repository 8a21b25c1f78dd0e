"""The prepared data folder, tokenised: what one training run reads.

``python -m training.prepare`` writes ``train.jsonl``, ``heldout.jsonl`` and
``data_manifest.json`` into one folder. An example longer than the token limit is
skipped and counted per task, never cut: a truncated answer would teach the model to
stop mid-answer, and a truncated prompt would teach it answers the prompt no longer
supports.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from training.tokens import Encoded, Tokenizer, read_examples

TRAIN = "train.jsonl"
HELDOUT = "heldout.jsonl"
DATA_MANIFEST = "data_manifest.json"


@dataclass
class Split:
    """The examples of one file that fit the token limit, and what was left out."""

    examples: list[Encoded]
    sha256: str
    read: Counter[str] = field(default_factory=Counter)  # per task
    skipped: Counter[str] = field(default_factory=Counter)  # per task: over the limit
    sources: Counter[str] = field(default_factory=Counter)  # per source, of those kept

    def summary(self) -> dict[str, Any]:
        kept = Counter(e.task for e in self.examples)
        return {
            "sha256": self.sha256,
            "examples": len(self.examples),
            "tokens": sum(len(e.input_ids) for e in self.examples),
            "answer_tokens": sum(e.answer_tokens for e in self.examples),
            "per_task": {
                task: {"read": self.read[task], "kept": kept[task], "skipped": self.skipped[task]}
                for task in sorted(self.read)
            },
            "per_source": dict(sorted(self.sources.items())),
        }


@dataclass
class Data:
    folder: Path
    train: Split
    heldout: Split
    manifest: dict[str, Any]
    manifest_sha256: str

    def fingerprint(self) -> str:
        """What makes this data this data: the three files' hashes."""
        parts = (self.train.sha256, self.heldout.sha256, self.manifest_sha256)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def load_data(folder: Path, tokenizer: Tokenizer, max_tokens: int) -> Data:
    missing = [n for n in (TRAIN, HELDOUT, DATA_MANIFEST) if not (folder / n).is_file()]
    if missing:
        raise ValueError(f"{folder} lacks {', '.join(missing)}: run python -m training.prepare")
    manifest_path = folder / DATA_MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{manifest_path} is not JSON: {exc}") from None
    if not isinstance(manifest, dict):
        raise ValueError(f"{manifest_path} is not a JSON object")
    train = _split(folder / TRAIN, tokenizer, max_tokens)
    if not train.examples:
        raise ValueError(
            f"no training example in {folder / TRAIN} fits {max_tokens} tokens "
            f"(read {sum(train.read.values())})"
        )
    return Data(
        folder=folder,
        train=train,
        heldout=_split(folder / HELDOUT, tokenizer, max_tokens),
        manifest=manifest,
        manifest_sha256=sha256_of(manifest_path),
    )


def _split(path: Path, tokenizer: Tokenizer, max_tokens: int) -> Split:
    split = Split(examples=[], sha256=sha256_of(path))
    for example in read_examples(path):
        split.read[example.task] += 1
        encoded = tokenizer.encode(example)
        if len(encoded.input_ids) > max_tokens:
            split.skipped[example.task] += 1
            continue
        split.examples.append(encoded)
        split.sources[example.source] += 1
    return split
