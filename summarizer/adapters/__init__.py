"""The embedded model's LoRA adapter: the one shipped in this folder, or one given by path.

An adapter is a GGUF LoRA file made by ``make train`` (``training/``, outside the
package) with a manifest beside it (``NAME.json``: data sources and their hashes,
examples per task, steps, loss curves, seed and command). llama-cpp-python applies it on
top of the shipped Q4_1 base. Its content hash is part of every cache key and run
config, so answers of the base model and of each adapter are never mixed up.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from summarizer.errors import ConfigError

FOLDER = Path(__file__).resolve().parent
# The adapter ``adapter=auto`` loads when it ships; until then, the base model alone.
SHIPPED = FOLDER / "news.gguf"


def resolve(setting: str) -> Path | None:
    """The adapter file that ``setting`` names: ``auto`` the shipped one (if the package
    has one), ``none`` no adapter, anything else a path to a GGUF LoRA file."""
    if setting == "none":
        return None
    if setting == "auto":
        return SHIPPED if SHIPPED.is_file() else None
    path = Path(setting).expanduser()
    if not path.is_file():
        raise ConfigError(f"adapter {setting!r}: no such file (a GGUF LoRA file, auto or none)")
    return path


@cache
def _digest(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def content_hash(path: Path | None) -> str | None:
    """The adapter's content hash (None for the base model alone), computed once per
    file version."""
    if path is None:
        return None
    stat = path.stat()
    return _digest(path.resolve(), stat.st_size, stat.st_mtime_ns)
