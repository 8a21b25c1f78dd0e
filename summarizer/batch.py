"""Batch runs: many articles, analysed concurrently, one record each, streamed to disk.

Input is JSON Lines in the article-input format (``{"id", "text", "title",
"published", "claims"}``; ``id`` defaults to ``line-N``). Output is JSON Lines of
:class:`~summarizer.schema.BatchRecord`, one per input line, in input order, each
flushed as soon as it and every record before it are done. Memory stays flat: inputs
are read as they are needed and at most a window of results waits for an earlier one.

``resume`` keeps the successful records of an earlier run of the same output file
(dropping failed ones and a last line cut short by a crash) and runs everything else;
when it gets to the end, it puts the records back in input order.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarizer.article import Article
from summarizer.backends import Backend, make_backend
from summarizer.cache import ResponseCache, analysis_key
from summarizer.errors import (
    InputError,
    ModelError,
    SummarizerError,
    UsageError,
    one_line,
    public_name,
)
from summarizer.inputs import ArticleInput
from summarizer.pipeline import Pipeline
from summarizer.prompts import load_prompts
from summarizer.schema import Analysis, BatchRecord, Usage
from summarizer.settings import Settings

# Results that may wait for an earlier, slower article, per unit of concurrency.
WINDOW_PER_SLOT = 4


@dataclass(frozen=True)
class BatchItem:
    """One input: an article to analyse, or the reason its line could not be read."""

    line: int
    id: str
    article: Article | None = None
    claims: list[str] = field(default_factory=list)
    error: str | None = None

    @classmethod
    def of(cls, line: int, value: str | Article | ArticleInput | dict[str, Any]) -> BatchItem:
        """From what a Python caller has at hand: text, an Article, or the input format."""
        if isinstance(value, Article):
            return cls(line, f"line-{line}", value)
        if isinstance(value, str):
            value = {"text": value}
        try:
            given = value if isinstance(value, ArticleInput) else ArticleInput.model_validate(value)
            article = Article.from_text(
                given.text, title=given.title, published=given.published, language=given.language
            )
        except ValidationError as exc:
            return cls(line, _given_id(value, line), error=one_line(exc))
        except InputError as exc:
            return cls(line, _given_id(value, line), error=str(exc))
        return cls(line, given.id or f"line-{line}", article, list(given.claims))

    def unreadable(self) -> BatchRecord:
        return BatchRecord(
            id=self.id, line=self.line, ok=False, error=self.error, error_type="InputError"
        )

    def failed(self, exc: SummarizerError) -> BatchRecord:
        """The item's record for an error, with what the attempts cost."""
        spent = exc.usage if isinstance(exc, ModelError) and exc.usage else Usage()
        return BatchRecord(
            id=self.id,
            line=self.line,
            ok=False,
            error=str(exc),
            error_type=public_name(exc),
            usage=spent,
            attempts=exc.attempts if isinstance(exc, ModelError) else 0,
        )

    def done(self, analysis: Analysis, *, cached: bool = False) -> BatchRecord:
        # A cached answer cost nothing this time.
        meta = analysis.metadata
        return BatchRecord(
            id=self.id,
            line=self.line,
            ok=True,
            cached=cached,
            analysis=analysis,
            usage=Usage() if cached else meta.usage,
            attempts=0 if cached else meta.attempts,
        )


def _given_id(value: Any, line: int) -> str:
    raw = value.get("id") if isinstance(value, dict) else getattr(value, "id", None)
    return str(raw) if isinstance(raw, str | int) and str(raw) else f"line-{line}"


def read_items(path: Path, skip: frozenset[str] | set[str] = frozenset()) -> Iterator[BatchItem]:
    """The input file's items, read lazily, but for the ids in ``skip``; blank lines are
    not items."""
    for line, text in _lines(path):
        problem: str | None
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            value, problem = None, f"line {line} is not JSON: {exc.msg.removesuffix(' at')}"
            if text == _NOT_UTF8:
                problem = f"line {line} is not valid UTF-8"
        else:
            problem = None if isinstance(value, dict) else f"line {line} is not a JSON object"
        if _given_id(value, line) in skip:
            continue
        yield (
            BatchItem(line, f"line-{line}", error=problem) if problem else BatchItem.of(line, value)
        )


def scan_ids(path: Path) -> list[str]:
    """Every input's id, in order; duplicate ids are an error, since output is keyed by id."""
    ids: list[str] = []
    seen: set[str] = set()
    duplicates: list[str] = []
    for line, text in _lines(path):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = None
        found = _given_id(value, line)
        if found in seen:
            duplicates.append(found)
        seen.add(found)
        ids.append(found)
    if duplicates:
        shown = ", ".join(repr(d) for d in duplicates[:5])
        raise InputError(f"{path}: ids must be unique; repeated: {shown}")
    return ids


_NOT_UTF8 = "\x00not utf-8"


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    if not path.is_file():
        raise InputError(f"no such input file: {path}")
    try:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, 1):
                try:
                    text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError:
                    text = _NOT_UTF8  # that line's item fails; the others go on
                if text.strip():
                    yield number, text
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


class Analyser:
    """Turns items into records: from the cache when it has the answer, else the model.

    The backend loads on the first cache miss, so a fully cached run never loads a model.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        concurrency: int,
        cache: ResponseCache | None = None,
        backend: Backend | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        # One in-process model runs one request at a time, and in order, so that each
        # article's tasks reuse its KV cache; more articles at once would only thrash it.
        parallel = backend.parallel if backend else settings.backend != "embedded"
        self.concurrency = max(1, concurrency) if parallel else 1
        self.model_calls = 0
        self._versions = load_prompts(settings.prompts).versions
        self._backend = backend
        self._owns_backend = backend is None
        self._pipeline: Pipeline | None = None

    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._backend = self._backend or make_backend(self.settings)
            self._pipeline = Pipeline(self.settings, self._backend)
            # Requests in flight over all articles: what an endpoint's rate limit sees.
            self._pipeline.caller.limiter = asyncio.Semaphore(self.concurrency)
        return self._pipeline

    async def record(self, item: BatchItem) -> BatchRecord:
        if item.article is None:
            return item.unreadable()
        key = analysis_key(self.settings, self._versions, item.article, item.claims)
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            return item.done(Analysis.model_validate(hit), cached=True)
        try:
            analysis = await self.pipeline().arun(item.article, item.claims)
        except SummarizerError as exc:
            record = item.failed(exc)
            self.model_calls += record.attempts
            return record
        self.model_calls += analysis.metadata.attempts
        if self.cache is not None:
            self.cache.put(key, analysis.model_dump(mode="json"))
        return item.done(analysis)

    async def aclose(self) -> None:
        if self._owns_backend and self._backend is not None:
            await self._backend.aclose()


async def analyse_stream(
    analyser: Analyser, items: Iterable[BatchItem]
) -> AsyncIterator[BatchRecord]:
    """Records in input order, with at most ``concurrency`` articles in progress and a
    bounded window of finished ones waiting for an earlier, slower one."""
    slots = asyncio.Semaphore(analyser.concurrency)
    window = WINDOW_PER_SLOT * analyser.concurrency + 4

    async def one(item: BatchItem) -> BatchRecord:
        async with slots:
            return await analyser.record(item)

    running: deque[asyncio.Task[BatchRecord]] = deque()
    try:
        for item in items:
            running.append(asyncio.create_task(one(item)))
            while len(running) >= window or running[0].done():
                yield await running.popleft()
                if not running:
                    break
        while running:
            yield await running.popleft()
    finally:
        for task in running:
            task.cancel()


@dataclass
class BatchSummary:
    """What a batch run did; ``failed`` items are recorded in the output too."""

    output: Path
    total: int = 0
    kept: int = 0
    ok: int = 0
    failed: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    model_calls: int = 0
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0

    @property
    def done(self) -> int:
        return self.kept + self.ok + self.failed


OnRecord = Callable[[BatchSummary, BatchRecord], None]


async def arun_batch(
    input_path: Path,
    output_path: Path,
    settings: Settings,
    *,
    concurrency: int = 4,
    cache: ResponseCache | None = None,
    resume: bool = False,
    overwrite: bool = False,
    on_record: OnRecord | None = None,
) -> BatchSummary:
    """Analyse every article of ``input_path`` into ``output_path``; see the module doc."""
    started = time.perf_counter()
    ids = scan_ids(input_path)
    summary = BatchSummary(output=output_path, total=len(ids))
    if output_path.exists() and not (resume or overwrite):
        raise UsageError(f"{output_path} exists: resume it (--resume) or replace it (--overwrite)")
    kept = _compact(output_path) if resume and output_path.exists() else set()
    summary.kept = len(kept & set(ids))
    analyser = Analyser(settings, concurrency=concurrency, cache=cache)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with output_path.open("a" if resume else "w", encoding="utf-8") as out:
            async for record in analyse_stream(analyser, read_items(input_path, skip=kept)):
                out.write(record.model_dump_json() + "\n")
                # Flushed per record: a killed run loses at most the line being written.
                out.flush()
                summary.ok += record.ok
                summary.failed += not record.ok
                summary.usage = summary.usage + record.usage
                if on_record is not None:
                    on_record(summary, record)
            os.fsync(out.fileno())
        if kept:
            # What ran again (failed items too) went after the records kept.
            _reorder(output_path, ids)
    finally:
        await analyser.aclose()
    summary.model_calls = analyser.model_calls
    if cache is not None:
        summary.cache_hits, summary.cache_misses = cache.hits, cache.misses
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


def run_batch(
    input_path: Path | str,
    output_path: Path | str,
    *,
    concurrency: int = 4,
    cache: ResponseCache | None = None,
    resume: bool = False,
    overwrite: bool = False,
    settings: Settings | None = None,
    **overrides: Any,
) -> BatchSummary:
    """Synchronous :func:`arun_batch`; settings as keywords, like :func:`summarizer.analyze`."""
    from summarizer.settings import load_settings

    return asyncio.run(
        arun_batch(
            Path(input_path),
            Path(output_path),
            settings or load_settings(**overrides),
            concurrency=concurrency,
            cache=cache,
            resume=resume,
            overwrite=overwrite,
        )
    )


def _compact(path: Path) -> set[str]:
    """Rewrite ``path`` with its first successful record per id; return those ids.

    Failed records go (their items run again), and so does a line a crash cut short.
    The rewrite goes through a temporary file and an atomic rename, so a crash here
    leaves the old file as it was.
    """
    kept: set[str] = set()
    temporary = path.with_name(path.name + ".compacting")
    with path.open("rb") as src, temporary.open("wb") as dst:
        for raw in src:
            if not raw.endswith(b"\n"):
                continue
            try:
                head = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(head, dict) or head.get("ok") is not True:
                continue
            found = head.get("id")
            if not isinstance(found, str) or found in kept:
                continue
            kept.add(found)
            dst.write(raw)
        dst.flush()
        os.fsync(dst.fileno())
    temporary.replace(path)
    return kept


def _reorder(path: Path, ids: list[str]) -> None:
    """Rewrite ``path`` with its records in the order of ``ids``, unless they are in it.

    Like :func:`_compact`, through a temporary file and an atomic rename; only where
    each line starts is held in memory. Records of ids not in ``ids`` go last.
    """
    rank = {found: n for n, found in enumerate(ids)}
    lines: list[tuple[int, int, int]] = []  # rank, offset, length
    offset = 0
    with path.open("rb") as src:
        for raw in src:
            lines.append((rank.get(json.loads(raw)["id"], len(ids)), offset, len(raw)))
            offset += len(raw)
    ordered = sorted(lines)
    if ordered == lines:
        return
    temporary = path.with_name(path.name + ".compacting")
    with path.open("rb") as src, temporary.open("wb") as dst:
        for _, start, length in ordered:
            src.seek(start)
            dst.write(src.read(length))
        dst.flush()
        os.fsync(dst.fileno())
    temporary.replace(path)
