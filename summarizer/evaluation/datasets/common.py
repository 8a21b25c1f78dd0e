"""What every dataset loader shares: reading a JSON-lines file row by row, mapping each
row with a dataset's mapper (a bad row is an :class:`InputError` naming its file and
line), checking fixture ids are unique, and the small helpers the mappers use to build
ids, sentence numbers, texts and events.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from summarizer.article import Article
from summarizer.errors import InputError, one_line
from summarizer.evaluation.fixtures import Fixture, GoldEvent

Row = Mapping[str, Any]
T = TypeVar("T")

_ID_UNSAFE = re.compile(r"[^a-z0-9_-]+")
_CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


# --- loading ------------------------------------------------------------------------------


def _load(
    name: str,
    path: Path,
    mapper: Callable[[Row, int], T],
    limit: int | None,
    *,
    file: str | None = None,
) -> list[tuple[int, T]]:
    """``mapper``'s items of the rows of ``path``, or of ``<path>/<file>_dev.jsonl``
    (``file``: ``name`` unless the dataset is read from another's file)."""
    if limit is not None and limit < 0:
        raise InputError(f"limit must be 0 or more, not {limit}")
    stem = (file or name).replace("-", "_")
    file_path = path / f"{stem}_dev.jsonl" if path.is_dir() else path
    if not file_path.is_file():
        raise InputError(f"{name} data file not found: {file_path}")
    results: list[tuple[int, T]] = []
    for line, row in _rows(file_path):
        if limit is not None and len(results) >= limit:
            break
        try:
            results.append((line, mapper(row, line)))
        except (KeyError, IndexError, TypeError, ValueError, InputError) as exc:
            raise InputError(
                f"{file_path}, line {line}: cannot map the {name} row: {_why(exc)}"
            ) from None
    return results


def _rows(file: Path) -> Iterator[tuple[int, Row]]:
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {file}: {exc}") from None
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"{file}, line {number}: invalid JSON: {exc.msg}") from None
        if not isinstance(row, dict):
            raise InputError(f"{file}, line {number}: expected a JSON object")
        yield number, row


def _why(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return one_line(exc, "fixture")
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc) or type(exc).__name__


def _check_unique_ids(fixtures: Sequence[tuple[int, Fixture]], name: str) -> None:
    seen: dict[str, int] = {}
    for line, fixture in fixtures:
        if fixture.id in seen:
            raise InputError(
                f"{name}, line {line}: duplicate id {fixture.id!r} (first on line "
                f"{seen[fixture.id]})"
            )
        seen[fixture.id] = line


# --- shared helpers -----------------------------------------------------------------------


def fixture_id(dataset: str, row_id: object) -> str:
    """``<dataset>-<row id>``, lowercased, with characters an id may not hold as '-'."""
    slug = _ID_UNSAFE.sub("-", str(row_id).lower()).strip("-")
    if not slug:
        raise ValueError(f"the row id {row_id!r} has no usable characters")
    return f"{dataset}-{slug}"


def sentence_number(article: Article, offset: int) -> int:
    """The 1-based number of the sentence holding character ``offset``.

    An offset in the whitespace between two sentences belongs to the one before it.
    """
    starts = [s.start for s in article.sentences]
    return max(1, bisect.bisect_right(starts, offset))


def _text(row: Row, key: str) -> str:
    text = row[key]
    if not isinstance(text, str):
        raise ValueError(f"field {key!r} is not a string")
    if not text.strip():
        raise ValueError(f"field {key!r} is empty")
    return text


def _row_id(row: Row, key: str, line: int) -> object:
    value = row.get(key)
    return line if value is None or value == "" else value


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def _dedupe(events: Iterable[GoldEvent]) -> list[GoldEvent]:
    unique: dict[str, GoldEvent] = {}
    for event in events:
        unique.setdefault(event.model_dump_json(), event)
    return list(unique.values())


def _camel_words(name: str) -> str:
    return " ".join(w.lower() for w in _CAMEL_WORD.findall(name))


def _aliases(action: str, *candidates: str) -> list[str]:
    return [a for a in _unique(c.strip() for c in candidates) if a.lower() != action]
