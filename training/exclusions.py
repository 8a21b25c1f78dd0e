"""What no training example may come from, read from ``training_exclusions.json``.

The file (``../shared/data/training_exclusions.json`` beside the dev sets) lists every
dev set and the items kept aside: FNC-1's competition test files, CASIE article ids,
ECB+ topics and documents, PolNeAR ``data/dev`` and ``data/test``, all of WikiEvents and
the SummEval (CNN/DailyMail test) articles. Preparation enforces it three ways:

- a forbidden *file* given as input (or any file in the dev-set folder itself) is
  refused with :class:`ExcludedError`: the run stops;
- a forbidden *item* (an excluded CASIE id, ECB+ topic or document) is skipped and
  counted in the manifest;
- an item whose text is the text of a dev-set article (a corpus may hold one article
  under two ids) is skipped and counted too.

:func:`check_manifest` checks a written manifest's source ids and files against the
same rules; it is meant to run on the manifest of every adapter that ships.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

from summarizer.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
DEFAULT_PATH = (
    Path(os.environ.get("SUMMARIZER_SHARED_DATA", ROOT.parent / "shared" / "data"))
    / "training_exclusions.json"
)
# FNC-1's test bodies and stances under every name they are published with: the
# official ``competition_test_*`` and copies' ``test_bodies.csv``/``test_stances*.csv``
# (the same bodies); every FNC-1 dev set comes from them.
FNC1_TEST_PREFIXES = ("competition_test_", "test_bodies", "test_stances")
# The text fields of the dev sets' rows whose articles no example may repeat.
_TEXT_FIELDS = ("text", "body", "article")


class ExcludedError(InputError):
    """An input that training_exclusions.json forbids."""


@dataclass(frozen=True)
class Exclusions:
    path: Path
    sha256: str
    casie_ids: frozenset[str]
    ecbplus_topics: frozenset[str]
    ecbplus_documents: frozenset[str]  # without ".xml": "10_13ecbplus"
    # Fingerprints (see :func:`fingerprint`) of every dev-set article beside the file.
    dev_texts: frozenset[str]

    @property
    def dev_folder(self) -> Path:
        return self.path.resolve().parent

    def refuse_path(self, path: Path) -> None:
        """Raise :class:`ExcludedError` if ``path`` is a file or folder no training may read."""
        if reason := self.forbidden_path(path):
            raise ExcludedError(f"refused {path}: {reason} (per {self.path})")

    def forbidden_path(self, path: Path) -> str | None:
        resolved = path.resolve()
        if resolved == self.dev_folder or self.dev_folder in resolved.parents:
            return "it is in the dev-set folder"
        parts = [p.lower() for p in resolved.parts]
        if any(p.startswith(FNC1_TEST_PREFIXES) for p in parts):
            return "FNC-1 test data (train on train_bodies.csv and train_stances.csv only)"
        if any("wikievents" in p for p in parts):
            return "WikiEvents is excluded entirely"
        if any("summeval" in p for p in parts):
            return "SummEval articles are excluded"
        polnear = any("polnear" in p for p in parts)
        if polnear and any(a == "data" and b in ("dev", "test") for a, b in pairwise(parts)):
            return "PolNeAR data/dev and data/test are excluded (train on data/train only)"
        return None

    def excluded(self, source_id: str) -> str | None:
        """Why the item ``source_id`` ("casie:34") may not be used, or None."""
        source, _, item = source_id.partition(":")
        if source == "casie" and item in self.casie_ids:
            return "CASIE article id set aside"
        if source == "ecbplus":
            doc = item.removesuffix(".xml")
            if doc.split("_")[0] in self.ecbplus_topics:
                return "ECB+ dev or test topic"
            if doc in self.ecbplus_documents:
                return "ECB+ document set aside"
        if source == "polnear" and item.split("/")[0] in ("dev", "test"):
            return "PolNeAR data/dev or data/test"
        if source in ("wikievents", "summeval"):
            return f"{source} is excluded entirely"
        return None

    def is_dev_text(self, text: str) -> bool:
        return fingerprint(text) in self.dev_texts


def load_exclusions(path: Path = DEFAULT_PATH) -> Exclusions:
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
        casie = data["casie"]["never_article_ids"]
        ecb = data["ecbplus"]
        topics, documents = ecb["never_topics"], ecb["never_documents"]
    except FileNotFoundError:
        raise InputError(f"exclusions file not found: {path} (give it with --exclusions)") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path} is not a training exclusions file: {exc}") from None
    return Exclusions(
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        casie_ids=frozenset(str(i) for i in casie),
        ecbplus_topics=frozenset(str(t) for t in topics),
        ecbplus_documents=frozenset(str(d).removesuffix(".xml") for d in documents),
        dev_texts=frozenset(_dev_texts(path.resolve().parent)),
    )


def fingerprint(text: str) -> str:
    """The same for two copies of an article that differ only in whitespace or case."""
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def _dev_texts(folder: Path) -> Iterator[str]:
    for file in sorted(folder.glob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            for key in _TEXT_FIELDS:
                if isinstance(row.get(key), str):
                    yield fingerprint(row[key])
            sentences = row.get("sentences")
            # ECB+ rows ship tokenized sentences; their text is the lines joined.
            if isinstance(sentences, list) and all(isinstance(s, str) for s in sentences):
                yield fingerprint("\n".join(sentences))


def check_manifest(
    manifest: Path, exclusions: Exclusions, *, allow_fixtures: bool = False
) -> list[str]:
    """What in the data manifest at ``manifest`` breaks the exclusions: one line each,
    empty if nothing does.

    Every source id must be of a known source and not excluded, and no source file may
    be a forbidden one. ``fixtures:`` ids (the project's own eval fixtures) are a
    problem unless ``allow_fixtures``: only the CI smoke set may use them.
    """
    try:
        data: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
        ids: list[str] = data["source_ids"]
        sources: dict[str, Any] = data["sources"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{manifest}: not a data manifest: {exc}"]
    problems = []
    known = {"casie", "ecbplus", "fnc1", "polnear", "fixtures"}
    for source_id in ids:
        source = source_id.partition(":")[0]
        if source not in known:
            problems.append(f"{source_id}: unknown source, cannot be checked")
        elif source == "fixtures" and not allow_fixtures:
            problems.append(f"{source_id}: the project's eval fixtures are not training data")
        elif reason := exclusions.excluded(source_id):
            problems.append(f"{source_id}: {reason}")
    for name, source in sources.items():
        root = Path(source["root"])
        for relative in _files(source):
            if reason := exclusions.forbidden_path(root / relative):
                problems.append(f"{name} file {relative}: {reason}")
    return problems


def _files(source: dict[str, Any]) -> Iterable[str]:
    files = source.get("files", {})
    return files.keys() if isinstance(files, dict) else ()


def add_exclusions_option(parser: argparse.ArgumentParser) -> None:
    """The ``--exclusions`` option every training command takes."""
    parser.add_argument(
        "--exclusions",
        type=Path,
        default=DEFAULT_PATH,
        help=f"training_exclusions.json (default {DEFAULT_PATH})",
    )


def fitted_or_error(fit: Callable[[argparse.Namespace], T], args: argparse.Namespace) -> T | None:
    """``fit(args)``, or None after printing its input error in one line (the command
    then exits 2)."""
    try:
        return fit(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
