"""FNC-1 train (FakeNewsChallenge/fnc-1): 1,683 article bodies and 49,972 headlines
labelled agree, disagree, discuss or unrelated.

Only ``train_bodies.csv`` and ``train_stances.csv`` are opened; the test files (every
FNC-1 dev set comes from them) are refused if given. Each body with its headlines
becomes the row the eval suite's ``fnc1_dev.jsonl`` holds and is mapped by the eval's
own :func:`fnc1_fixture` (each headline a claim with its label); the headlines a body
agrees with are also its reference headlines.

In a snapshot of the official repository ``train_stances.csv`` can be a Git LFS pointer;
the complete copy in vijay-14/Fake-News-Stance-Detection spells the body id column
``Body_ID``, gives labels as 0-3 (agree, disagree, discuss, unrelated) and ends lines
with CRLF. Both forms are read, and the counts are checked against FNC-1's published
ones, so a truncated or relabelled copy is refused.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from summarizer.errors import InputError
from summarizer.evaluation.datasets.fnc1 import fnc1_fixture
from summarizer.evaluation.fixtures import Fixture
from summarizer.schema import ClaimLabel
from training.corpus import Corpus, reason_of
from training.exclusions import Exclusions

NAME = "fnc1"
BODIES, STANCES = "train_bodies.csv", "train_stances.csv"
LABELS: tuple[ClaimLabel, ...] = ("agree", "disagree", "discuss", "unrelated")
# FNC-1 train as published (its README's table).
TRAIN_LABELS: dict[str, int] = {"agree": 3678, "disagree": 840, "discuss": 8909, "unrelated": 36545}


def read(root: Path, exclusions: Exclusions, *, check_counts: bool = True) -> Corpus:
    exclusions.refuse_path(root)
    if not root.is_dir():
        raise InputError(f"FNC-1 folder not found: {root} (give the folder of {BODIES})")
    corpus = Corpus(NAME, root)
    bodies, rows = read_train(root, corpus.read_bytes)
    pairs: dict[str, list[dict[str, str]]] = {}
    labels: Counter[str] = Counter()
    for headline, body, label in rows:
        pairs.setdefault(body, []).append({"headline": headline, "stance": label})
        labels[label] += 1
    corpus.counts.update({"bodies": len(bodies), "pairs": labels.total()})
    corpus.counts.update({f"pairs {label}": n for label, n in labels.items()})
    if check_counts and dict(labels) != TRAIN_LABELS:
        raise InputError(
            f"{root / STANCES} is not the complete FNC-1 train: labels {dict(labels)}, "
            f"expected {TRAIN_LABELS} (49,972 pairs); a Git LFS pointer or a partial copy?"
        )
    for body_id, headlines in sorted(pairs.items(), key=lambda kv: (len(kv[0]), kv[0])):
        source_id = f"{NAME}:body:{body_id}"
        try:
            mapped: dict[str, object] = {
                "body_id": body_id,
                "body": bodies[body_id],
                "headlines": headlines,
            }
            fixture = with_headlines(fnc1_fixture(mapped, 0, "fnc1-train"))
        except (KeyError, TypeError, ValueError) as exc:
            corpus.skip(reason_of(exc), source_id)
            continue
        corpus.admit(source_id, fixture, exclusions.is_dev_text)
    return corpus


def with_headlines(fixture: Fixture) -> Fixture:
    """The body with the headlines it agrees with as its reference headlines: each says
    what the body reports, as a headline of it would."""
    agreed = list(dict.fromkeys(c.claim for c in fixture.claims if c.label == "agree"))
    if not agreed:
        return fixture
    labelled = [*fixture.labelled, "headline"]
    return fixture.model_copy(update={"headlines": agreed, "labelled": labelled})


def read_train(
    root: Path, read_bytes: Callable[[Path], bytes] = Path.read_bytes
) -> tuple[dict[str, str], list[tuple[str, str, ClaimLabel]]]:
    """FNC-1 train's bodies by id (line ends made Unix), and its (headline, body id,
    label) rows in file order; ``read_bytes`` reads each file (a corpus records its
    hash). Training data and the FNC-1 baseline both read it here."""
    bodies = {
        _column(row, "Body ID", "Body_ID"): row["articleBody"].replace("\r\n", "\n")
        for row in _rows(read_bytes, root / BODIES, "articleBody")
    }
    rows = []
    for row in _rows(read_bytes, root / STANCES, "Headline"):
        body, label = _column(row, "Body ID", "Body_ID"), _label(row.get("Stance", ""))
        if body not in bodies:
            raise InputError(f"{root / STANCES}: body {body} is not in {BODIES}")
        rows.append((row["Headline"], body, label))
    return bodies, rows


def _rows(read_bytes: Callable[[Path], bytes], path: Path, needed: str) -> list[dict[str, str]]:
    try:
        text = read_bytes(path).decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            f"{path.parent} has no {path.name}: not an FNC-1 train folder (a snapshot of "
            "FakeNewsChallenge/fnc-1 can lack it as a large file; "
            "vijay-14/Fake-News-Stance-Detection has a complete copy)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    if not rows or needed not in rows[0]:
        raise InputError(f"{path} has no {needed!r} column: not FNC-1 data (a Git LFS pointer?)")
    return rows


def _column(row: dict[str, str], *names: str) -> str:
    for name in names:
        if name in row:
            return row[name].strip()
    raise InputError(f"an FNC-1 row has none of the columns {', '.join(names)}")


def _label(stance: str) -> ClaimLabel:
    stance = stance.strip()
    if stance.isdigit() and int(stance) < len(LABELS):
        return LABELS[int(stance)]
    for label in LABELS:
        if stance == label:
            return label
    raise InputError(f"unknown FNC-1 stance {stance!r}")
