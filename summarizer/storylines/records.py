"""The analyses a storylines run groups: the records that ``summarizer batch`` writes.

A failed record, or a line that is not a record, is skipped and counted, never a
reason to lose the rest; a file with no analysis at all, or analyses of several
models (whose events are not comparable), is an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from summarizer.errors import InputError, one_line
from summarizer.schema import Analysis, BatchRecord
from summarizer.storylines.digest import Digest, digest
from summarizer.storylines.stories import Tokens


@dataclass
class Records:
    digests: list[tuple[Digest, Tokens]] = field(default_factory=list)
    model: str | None = None
    failed: int = 0  # records of analyses that failed
    unreadable: int = 0  # lines that are not records
    first_problem: str | None = None

    @property
    def skipped(self) -> int:
        return self.failed + self.unreadable


def read_records(path: Path) -> Records:
    """The digests and tokens of a records file's analyses, each analysis dropped as
    soon as it is read (a run of a million does not fit in memory)."""
    if not path.is_file():
        raise InputError(f"records file not found: {path}")
    records = Records()
    lines = 0
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            lines += 1
            try:
                record = BatchRecord.model_validate(json.loads(line))
            except (ValueError, ValidationError) as exc:
                records.unreadable += 1
                detail = one_line(exc, "record") if isinstance(exc, ValidationError) else str(exc)
                records.first_problem = records.first_problem or f"line {number}: {detail}"
                continue
            if not record.ok or record.analysis is None:
                records.failed += 1
                continue
            model = record.analysis.metadata.model
            if records.model not in (None, model):
                raise InputError(mixed_models([records.model or "", model]))
            records.model = model
            records.digests.append(digest(record.id, record.analysis))
    if lines == 0:
        raise InputError(f"{path} has no records")
    if not records.digests:
        why = f" (first: {records.first_problem})" if records.first_problem else ""
        raise InputError(
            f"{path} has no analysis to group: {records.failed} failed record(s), "
            f"{records.unreadable} line(s) that are not batch records{why}"
        )
    return records


def check_one_model(analyses: list[tuple[str, Analysis]]) -> str:
    """The model that made every analysis; mixed models are an error."""
    models = sorted({a.metadata.model for _, a in analyses})
    if len(models) > 1:
        raise InputError(mixed_models(models))
    return models[0]


def mixed_models(models: list[str]) -> str:
    return (
        f"the analyses come from {len(models)} models ({', '.join(sorted(models))}): group "
        "one model's analyses at a time, as their events are not comparable"
    )
