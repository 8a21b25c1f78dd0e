"""What a source hands over: its items as the eval suite maps them, and what it left out."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.evaluation.fixtures import Fixture


@dataclass(frozen=True)
class Item:
    """One article (or FNC-1 body) with its gold labels, as a :class:`Fixture`: the
    very object the eval suite scores against, so training teaches what is scored."""

    source_id: str  # "casie:1234", "ecbplus:3_5ecb", "fnc1:body:712", "fixtures:<id>"
    fixture: Fixture


@dataclass
class Corpus:
    name: str  # "casie", "ecbplus", "fnc1", "fixtures"
    root: Path
    items: list[Item] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # path under root -> sha256
    # reason -> the ids left out for it: by the exclusions, or because they were unusable
    excluded: dict[str, list[str]] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)  # what the source checked or changed

    def exclude(self, reason: str, source_id: str) -> None:
        self.excluded.setdefault(reason, []).append(source_id)

    def skip(self, reason: str, source_id: str) -> None:
        self.skipped.setdefault(reason, []).append(source_id)

    def admit(self, source_id: str, fixture: Fixture, dev_text: Callable[[str], bool]) -> None:
        """Keep the item, unless its text is a dev-set article's (under another id)."""
        if dev_text(fixture.text):
            self.exclude("same text as a dev-set article", source_id)
        else:
            self.items.append(Item(source_id, fixture))

    def read_bytes(self, path: Path) -> bytes:
        """``path``'s bytes, recorded with their sha256 among the files read."""
        data = path.read_bytes()
        self.files[path.relative_to(self.root).as_posix()] = hashlib.sha256(data).hexdigest()
        return data


def reason_of(exc: Exception) -> str:
    """An error's message with its quoted values and numbers masked, so that the
    manifest counts items by the kind of problem ("trigger … is not at offset …")."""
    message = str(exc) or type(exc).__name__
    if isinstance(exc, KeyError):
        message = f"missing field {exc.args[0]!r}"
    return _NUMBER.sub("…", _QUOTED.sub("…", message))


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\d+")
