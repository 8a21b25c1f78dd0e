"""A response cache shared across processes: SQLite, one row per key.

Keys are hashes of everything that decides an answer (backend, model, prompt template
versions, parameters, the article); a re-run with none of them changed makes no model
call. Values are JSON. API keys never take part in a key.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Self

from summarizer.adapters import content_hash as adapter_hash
from summarizer.article import Article
from summarizer.errors import ConfigError
from summarizer.resources import data_dir
from summarizer.settings import Settings

_PACKAGE_DIR = Path(__file__).resolve().parent

DEFAULT_PATH = Path.home() / ".cache" / "summarizer" / "responses.sqlite"


def cache_key(parts: dict[str, Any]) -> str:
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@functools.cache
def code_hash() -> str:
    """The content hash of this install's code and prompt templates (the wheel carries
    its prompts inside the package; a checkout has them beside it).

    Part of every cache key: how a call is made and re-asked, and what the pipeline does
    with the answers, change with the code, and a version string does not move with it.
    """
    return content_hash(_PACKAGE_DIR, data_dir("prompts"))


def content_hash(package: Path, prompts: Path) -> str:
    digest = hashlib.sha256()
    files = [(p.relative_to(package).as_posix(), p) for p in package.rglob("*.py")]
    files += [(f"prompts/{p.name}", p) for p in prompts.glob("*.j2")]
    for name, path in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def call_parts(settings: Settings, *, tuned: bool = False) -> dict[str, Any]:
    """The settings that decide the answer to one call, besides its messages (``tuned``:
    a call answered through the adapter; any other is the base model's, whatever adapter
    is loaded). Never the API key: it must not reach cache files or keys."""
    return {
        "code": code_hash(),
        "backend": settings.backend,
        "model": settings.model_name,
        "adapter": adapter_hash(settings.adapter_file) if tuned else None,
        "base_url": settings.public_base_url,
        "mode": settings.mode,
        "logprobs": settings.logprobs,
        "temperature": settings.temperature,
        "max_output_tokens": settings.max_output_tokens,
        "context_tokens": settings.context_tokens,
        "reasks": settings.reasks,
        "seed": settings.seed,
        "repeat_penalty": settings.repeat_penalty,
    }


def settings_parts(settings: Settings) -> dict[str, Any]:
    """The settings that decide an article's analysis: its calls', and what the pipeline
    does with the answers."""
    return {**call_parts(settings, tuned=True), **settings.pipeline_options()}


def call_key(
    settings: Settings,
    task: str,
    messages: list[dict[str, str]],
    schema: Any,
    *,
    tuned: bool = False,
) -> str:
    """The key of one structured call: its settings, messages and response schema."""
    return cache_key(
        {
            "kind": "call",
            **call_parts(settings, tuned=tuned),
            "task": task,
            "messages": messages,
            "schema": schema,
        }
    )


def article_hash(article: Article, claims: list[str]) -> str:
    published = article.published.isoformat() if article.published else ""
    parts = [article.text, article.title or "", published, *claims]
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()


def analysis_key(
    settings: Settings, prompt_versions: dict[str, str], article: Article, claims: list[str]
) -> str:
    """The key of one article's analysis by the pipeline."""
    return cache_key(
        {
            "kind": "analysis",
            "strategy": settings.strategy,
            "prompts": prompt_versions,
            **settings_parts(settings),
            "article": article_hash(article, claims),
        }
    )


class ResponseCache:
    def __init__(self, path: Path = DEFAULT_PATH) -> None:
        self.path = path
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # autocommit; WAL lets several processes read while one writes.
            self._db = sqlite3.connect(
                path, timeout=30, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS responses "
                "(key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL)"
            )
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"cannot open the response cache at {path}: {exc}") from None

    def get(self, key: str) -> Any | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
            if row is None:
                self.misses += 1
                return None
            self.hits += 1
        return json.loads(row[0])

    def put(self, key: str, value: Any) -> None:
        data = json.dumps(value, ensure_ascii=False)
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses (key, value, created) VALUES (?, ?, ?)",
                (key, data, time.time()),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
