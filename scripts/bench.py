"""Benchmarks: ratios measured side by side in one run (not timed tests).

    python scripts/bench.py                 # everything (most of an hour on 2 cores)
    python scripts/bench.py --only d,f      # some of them
    python scripts/bench.py --json out.json # also keep the figures

a  overhead: end-to-end time per article / raw llama-cpp-python generation of the
   same requests (same prompts, grammars and output tokens), both from a cold KV cache.
b  prompt tokens evaluated per article (KV-cache reuse counted), per_task / combined.
c  output tokens per article: the same answers with evidence as sentence numbers vs
   as verbatim quotes (both tokenized by the model's tokenizer).
d  throughput at concurrency 1, 4, 16, 64 against a loopback OpenAI-compatible server
   with a fixed 200 ms latency, as a share of the ideal (concurrency / 0.2 s requests/s).
e  a warm-cache re-run of the whole fixture eval: wall time and model calls.
f  peak memory (max RSS) of a 10,000-article batch against the loopback server.
g  time and output tokens per article (with its claims) on the embedded model: the
   shipped defaults / the previous ones (the model wrote events, stances and labels).
h  storylines of 10,000 generated analyses at a news feed's overlap (stories of 1 to
   200 articles, heavy-tailed; kinds of event shared between stories): wall time and
   peak memory of `summarizer storylines`, and how well it recovers the stories.
i  time and output tokens per article (with its claims) on the embedded model with a
   LoRA adapter (--adapter): every tuned source / the shipped defaults.
j  the attribution rule's time per article on PolNeAR dev's 84 articles (the article
   already read and split, as the pipeline has it).
k  storylines of --batch-size generated analyses (as h) that arrive --chunk at a time:
   a first run, then one `summarizer storylines --update` per chunk, each a fresh
   process: their time, peak memory and CoNLL against the truth. --keep DIR goes on
   from DIR's last chunk (a million takes longer than a session) and keeps the state
   as the last update found it; --again then times that update again on it, by the
   code as it is now, and says whether its stories are the run's own.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import Article, Settings  # noqa: E402
from summarizer.backends.embedded import EmbeddedBackend  # noqa: E402
from summarizer.evaluation.fixtures import Fixture, load_fixtures  # noqa: E402
from summarizer.pipeline import Pipeline  # noqa: E402
from summarizer.schema import (  # noqa: E402
    Analysis,
    ArticleInfo,
    Event,
    Metadata,
    Span,
    Summary,
    Usage,
)
from summarizer.storylines.store import state_path  # noqa: E402

FIXTURES = ROOT / "evals" / "fixtures"
TARGETS = {
    "a": "≤ 1.05",
    "b": "≤ 1.2×",
    "c": "fewer with numbers",
    "d": "≥ 90% of ideal at 16",
    "e": "0 calls, < 2 s",
    "f": "< 200 MB",
    "g": "≤ 1.0× time, ≤ 0.5× tokens",
    "h": "≤ 60 s, < 500 MB",
    "i": "≤ 20 s per article",
    "j": "< 50 ms per article",
    "k": "update of 10,000 onto 1,000,000 ≤ 60 s; ≤ 4 GB",
}
# Row g's "before": the embedded model's defaults until issue 14 (it wrote its events,
# stances and claim labels).
PREVIOUS_DEFAULTS: dict[str, Any] = {"extractor": "model", "claim_labels": "generated"}
# Row i: every source the adapter can take (issue 24).
TUNED_SOURCES: dict[str, Any] = {"extractor": "tuned", "claim_labels": "tuned", "headline": "tuned"}


@dataclass
class Row:
    key: str
    what: str
    figure: str
    detail: str = ""
    values: dict[str, Any] = field(default_factory=dict)


# --- the embedded model: a, b, c ---------------------------------------------------


class Recording(EmbeddedBackend):
    """The embedded backend, keeping each request and answer for the raw replay."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.log: list[tuple[dict[str, Any], Any]] = []

    def complete(self, request: dict[str, Any]) -> Any:
        result = super().complete(request)
        self.log.append((dict(request), result))
        return result

    @property
    def llama(self) -> Any:
        return self._llama


def _articles(count: int) -> list[Fixture]:
    chosen = [f for f in load_fixtures(FIXTURES) if len(f.text) < 8000]
    chosen.sort(key=lambda f: (f.id != "seed-nk-china-fm", f.id))
    return chosen[:count]


def _article(f: Fixture) -> Article:
    return Article.from_text(f.text, title=f.title, published=f.published)


def _raw(llama: Any, requests: list[dict[str, Any]]) -> tuple[float, int]:
    """llama-cpp-python alone: the same requests, in the same order, from a cold cache."""
    from summarizer.backends.embedded import _UNSUPPORTED

    llama.reset()
    started = time.perf_counter()
    tokens = 0
    for request in requests:
        kwargs = {k: v for k, v in request.items() if k not in _UNSUPPORTED}
        kwargs.setdefault("repeat_penalty", 1.1)
        out = llama.create_chat_completion(**kwargs)
        tokens += out["usage"]["completion_tokens"]
    return time.perf_counter() - started, tokens


def bench_embedded(count: int, rounds: int) -> list[Row]:
    per_task = Settings(strategy="per_task")
    combined = Settings(strategy="combined")
    backend = Recording(per_task)
    pipe = Pipeline(per_task, backend)
    pipe_combined = Pipeline(combined, backend)
    articles = _articles(count)
    # Warm-up: first calls pay for imports and caches (dateparser, grammars).
    pipe.run(_article(articles[0]))

    ours: list[float] = []
    raws: list[float] = []
    same_output = True
    evaluated: dict[str, list[int]] = {"per_task": [], "combined": []}
    numbers: list[int] = []
    quotes: list[int] = []
    for round_ in range(rounds):
        for fixture in articles:
            backend.log.clear()
            backend.llama.reset()
            started = time.perf_counter()
            # End to end from the text: sentence splitting included.
            article = _article(fixture)
            result = pipe.run(article)
            ours.append(time.perf_counter() - started)
            recorded = list(backend.log)
            seconds, out_tokens = _raw(backend.llama, [r for r, _ in recorded])
            raws.append(seconds)
            same_output &= out_tokens == result.metadata.usage.completion_tokens
            if round_ == 0:
                evaluated["per_task"].append(result.metadata.usage.evaluated_prompt_tokens)
                for request, completion in recorded:
                    n, q = _evidence_tokens(backend, request, completion)
                    numbers.append(n)
                    quotes.append(q)
                backend.llama.reset()
                alone = pipe_combined.run(article)
                evaluated["combined"].append(alone.metadata.usage.evaluated_prompt_tokens)

    overhead = sum(ours) / sum(raws)
    per_task_tokens = statistics.mean(evaluated["per_task"])
    combined_tokens = statistics.mean(evaluated["combined"])
    ratios = [p / c for p, c in zip(evaluated["per_task"], evaluated["combined"], strict=True)]
    n_articles = len(articles)
    return [
        Row(
            "a",
            "overhead: end-to-end / raw llama-cpp-python, same requests",
            f"{overhead:.3f}",
            f"{n_articles} articles × {rounds} rounds; {sum(ours) / len(ours):.1f} s vs "
            f"{sum(raws) / len(raws):.1f} s per article; identical output tokens: {same_output}",
            {"overhead": overhead, "ours_s": ours, "raw_s": raws, "same_output": same_output},
        ),
        Row(
            "b",
            "prompt tokens evaluated per article, per_task / combined",
            f"{per_task_tokens / combined_tokens:.2f}×",
            f"{per_task_tokens:.0f} vs {combined_tokens:.0f} tokens (mean of {n_articles}); "
            f"per article {min(ratios):.2f}–{max(ratios):.2f}×",
            {"per_task": evaluated["per_task"], "combined": evaluated["combined"]},
        ),
        Row(
            "c",
            "output tokens per article, sentence numbers vs verbatim quotes",
            f"{sum(numbers) / n_articles:.0f} vs {sum(quotes) / n_articles:.0f}",
            f"quotes would need {sum(quotes) / sum(numbers):.2f}× the output tokens "
            "for the same per_task answers",
            {"numbers": numbers, "quotes": quotes},
        ),
    ]


_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)


def _side_by_side(
    now: Settings, before: Settings, count: int
) -> tuple[dict[str, list[float]], dict[str, list[int]], int]:
    """Seconds and output tokens per article with its claims under two settings, on one
    loaded model (``now``'s: a base call with an adapter loaded is the base model's),
    alternating article by article from a cold KV cache."""
    backend = Recording(now)
    pipelines = {"now": Pipeline(now, backend), "before": Pipeline(before, backend)}
    articles = _articles(count)
    pipelines["now"].run(_article(articles[0]))  # warm-up
    seconds: dict[str, list[float]] = {"now": [], "before": []}
    tokens: dict[str, list[int]] = {"now": [], "before": []}
    for fixture in articles:
        claims = [c.claim for c in fixture.claims]
        for name, pipe in pipelines.items():
            backend.llama.reset()
            started = time.perf_counter()
            result = pipe.run(_article(fixture), claims)
            seconds[name].append(time.perf_counter() - started)
            tokens[name].append(result.metadata.usage.completion_tokens)
    return seconds, tokens, len(articles)


def bench_defaults(count: int) -> Row:
    """Time and output tokens per article with their claims, the shipped defaults next
    to the previous ones."""
    seconds, tokens, n = _side_by_side(Settings(), Settings(**PREVIOUS_DEFAULTS), count)
    time_ratio = sum(seconds["now"]) / sum(seconds["before"])
    token_ratio = sum(tokens["now"]) / max(1, sum(tokens["before"]))
    return Row(
        "g",
        "time and output tokens per article, shipped defaults / previous defaults",
        f"{time_ratio:.2f}× time, {token_ratio:.2f}× tokens",
        f"{n} fixtures with their claims: {sum(seconds['now']) / n:.1f} s vs "
        f"{sum(seconds['before']) / n:.1f} s, {sum(tokens['now']) / n:.0f} vs "
        f"{sum(tokens['before']) / n:.0f} output tokens per article; previous: "
        + ", ".join(f"{k}={v}" for k, v in PREVIOUS_DEFAULTS.items()),
        {"seconds": seconds, "tokens": tokens},
    )


def bench_adapter(count: int, adapter: str) -> Row:
    """Time and output tokens per article with every tuned source on (the adapter's
    events, stances, claim labels and headline) next to the shipped defaults."""
    tuned = Settings(adapter=adapter, **TUNED_SOURCES)
    if tuned.adapter_file is None:
        raise SystemExit("row i needs an adapter: give --adapter FILE (a GGUF LoRA)")
    seconds, tokens, n = _side_by_side(tuned, Settings(adapter=adapter), count)
    slowest = max(seconds["now"])
    return Row(
        "i",
        "time and output tokens per article, the adapter's sources / shipped defaults",
        f"{sum(seconds['now']) / n:.1f} s per article (slowest {slowest:.1f} s), "
        f"{sum(seconds['now']) / sum(seconds['before']):.2f}× time, "
        f"{sum(tokens['now']) / max(1, sum(tokens['before'])):.2f}× tokens",
        f"{n} fixtures with their claims: {sum(seconds['before']) / n:.1f} s with the "
        f"defaults; {sum(tokens['now']) / n:.0f} vs {sum(tokens['before']) / n:.0f} "
        f"output tokens per article; adapter {Path(str(tuned.adapter_file)).name}, "
        + ", ".join(f"{k}={v}" for k, v in TUNED_SOURCES.items()),
        {"seconds": seconds, "tokens": tokens, "adapter": str(tuned.adapter_file)},
    )


def _evidence_tokens(
    backend: EmbeddedBackend, request: dict[str, Any], completion: Any
) -> tuple[int, int]:
    """Output tokens of the answer as given, and with each citation list replaced by
    the quoted sentences."""
    calls = completion.choices[0].message.tool_calls or []
    if not calls:
        return 0, 0
    arguments = calls[0].function.arguments
    shown = {int(n): text for n, text in _NUMBERED.findall(request["messages"][-1]["content"])}

    def quoted(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                ("quotes" if k == "sentences" else k): (
                    [shown.get(n, "") for n in v] if k == "sentences" else quoted(v)
                )
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [quoted(v) for v in value]
        return value

    try:
        parsed = json.loads(arguments)
    except ValueError:
        return 0, 0
    as_numbers = backend.count_tokens(json.dumps(parsed, ensure_ascii=False))
    as_quotes = backend.count_tokens(json.dumps(quoted(parsed), ensure_ascii=False))
    return as_numbers, as_quotes


# --- the loopback server: d, f -----------------------------------------------------


@contextmanager
def loopback_server(latency: float) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.scripted_server", "--latency", str(latency)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def _write_inputs(path: Path, count: int) -> None:
    texts = [f for f in load_fixtures(FIXTURES) if len(f.text) < 8000]
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            f = texts[i % len(texts)]
            line = {"id": f"{f.id}-{i}", "text": f.text, "title": f.title}
            out.write(json.dumps({**line, "published": str(f.published or "") or None}) + "\n")


def bench_throughput(levels: list[int], seconds: float) -> Row:
    from summarizer.batch import arun_batch

    latency = 0.2
    shares: dict[int, float] = {}
    rates: dict[int, float] = {}
    with loopback_server(latency) as base_url, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(base_url=base_url, model="scripted")
        for level in levels:
            # Enough articles (3 requests each) for about `seconds` at the ideal rate.
            count = max(4, math.ceil(seconds * level / latency / 3))
            inputs, out = Path(tmp) / f"in{level}.jsonl", Path(tmp) / f"out{level}.jsonl"
            _write_inputs(inputs, count)
            started = time.perf_counter()
            summary = asyncio.run(arun_batch(inputs, out, settings, concurrency=level))
            wall = time.perf_counter() - started
            assert summary.failed == 0, f"{summary.failed} failed at concurrency {level}"
            rates[level] = summary.model_calls / wall
            shares[level] = rates[level] / (level / latency)
    figure = ", ".join(f"{level}: {shares[level]:.0%}" for level in levels)
    detail = "; ".join(f"{level}: {rates[level]:.1f} req/s" for level in levels)
    return Row("d", "throughput vs ideal, 200 ms server (concurrency: share)", figure, detail,
               {"share": shares, "requests_per_s": rates})  # fmt: skip


# The child reports its own high-water mark: wait4's ru_maxrss would also count the
# pages it shared with this process between fork and exec (the embedded model, if a-c
# ran first).
_PEAK = """import atexit, sys
def peak(path=sys.argv[1]):
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(path, "w").write(line.split()[1])
atexit.register(peak)
sys.argv = ["summarizer", *sys.argv[2:]]
from summarizer.cli import main
main()
"""


def bench_memory(count: int) -> Row:
    with loopback_server(0.0) as base_url, tempfile.TemporaryDirectory() as tmp:
        inputs, out, peak = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl", Path(tmp) / "peak"
        _write_inputs(inputs, count)
        command = [
            *(sys.executable, "-c", _PEAK, str(peak), "batch", str(inputs), "-o", str(out)),
            *("--base-url", base_url, "--model", "scripted", "-j", "16", "--no-cache", "-q"),
        ]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - started
        assert done.returncode == 0, done.stderr
        lines = sum(1 for _ in out.open("rb"))
        size = out.stat().st_size
        peak_mb = int(peak.read_text()) / 1024
    return Row(
        "f",
        f"peak memory, {count:,}-article batch",
        f"{peak_mb:.0f} MB",
        f"{lines:,} records ({size / 1e6:.0f} MB written) in {wall:.0f} s",
        {"peak_mb": peak_mb, "records": lines, "seconds": wall},
    )


# --- storylines: h -----------------------------------------------------------------


FEED_METADATA = Metadata(
    backend="embedded",
    model="bench",
    mode="json",
    strategy="per_task",
    prompt_versions={},
    usage=Usage(),
    calls=0,
    attempts=0,
    chunks=1,
    latency_s=0.0,
    warnings=[],
)


def _feed(count: int, seed: int = 0) -> tuple[list[str], list[list[int]]]:
    """``count`` batch records of generated analyses, and the true stories (indices)."""
    stories: list[list[int]] = []
    return list(_feed_lines(count, stories, seed)), stories


def _feed_lines(count: int, stories: list[list[int]], seed: int = 0) -> Iterator[str]:
    """``count`` batch records of generated analyses, one at a time (a million do not
    fit in memory); the true stories (indices) are appended to ``stories``.

    Words come from the fixtures' texts. Each story has a kind of event (40 kinds, each
    with its own words and verbs, so stories of one kind look alike), its own names, a
    place and a date; its articles mix those with common words, and report events whose
    actions are the kind's verbs.
    """
    rng = random.Random(seed)
    words = sorted({w for f in load_fixtures(FIXTURES) for w in re.findall(r"[a-z]{4,}", f.text)})
    kinds = [(rng.sample(words, 40), rng.sample(words, 6)) for _ in range(40)]
    syllables = ["ka", "lo", "ver", "min", "sta", "dor", "el", "ri", "ban", "tu", "mar", "os"]

    def name() -> str:
        return "".join(rng.choices(syllables, k=3)).capitalize()

    # Names that any story may mention in passing (officials, agencies, countries).
    incidental = [f"{name()} {name()}" for _ in range(300)]
    made = 0
    start = dt.date(2026, 1, 1)
    while made < count:
        size = min(count - made, max(1, int(rng.paretovariate(1.2))), 200)
        kind_words, verbs = rng.choice(kinds)
        story_words = rng.sample(words, 30)
        people = [f"{name()} {name()}" for _ in range(5)]
        place, day = name(), start + dt.timedelta(days=rng.randrange(60))
        members = []
        for _ in range(size):
            sentences = []
            for k in range(15):
                body = rng.sample(kind_words, 2) + rng.sample(story_words, 2) + rng.sample(words, 7)
                rng.shuffle(body)
                who = rng.choice(people) if rng.random() < 0.6 else rng.choice(incidental)
                when = f" in {place} on {day:%B} {day.day}, {day.year}" if k % 5 == 0 else ""
                sentences.append(f"{who} {rng.choice(verbs)} {' '.join(body)}{when}.")
            text = " ".join(sentences)
            offsets, at = [], 0
            for sentence in sentences:
                offsets.append((at, at + len(sentence)))
                at += len(sentence) + 1
            events = []
            for n in rng.sample(range(15), 4):
                a, b = offsets[n]
                span = Span(text=text[a:b], start=a, end=b, sentence=n + 1)
                actor, verb = sentences[n].split(" ", 3)[:2], sentences[n].split()[2]
                events.append(
                    Event(actors=[" ".join(actor)], action=verb, targets=[], time_text=None,
                          date=day, location=place, status="happened", evidence=[span])
                )  # fmt: skip
            analysis = Analysis(
                article=ArticleInfo(title=None, published=day, text=text, sentences=15),
                summary=Summary(headline=sentences[0][:80], text=sentences[0], key_points=[]),
                events=events,
                stances=[],
                claims=[],
                metadata=FEED_METADATA,
            )
            members.append(made)
            record = {"id": f"a{made}", "line": made + 1, "ok": True}
            yield json.dumps({**record, "analysis": analysis.model_dump(mode="json")})
            made += 1
        stories.append(members)


def bench_storylines(count: int) -> Row:
    from summarizer.coreference import conll_f1

    records, truth = _feed(count)
    with tempfile.TemporaryDirectory() as tmp:
        path, out, peak = Path(tmp) / "records.jsonl", Path(tmp) / "s.json", Path(tmp) / "peak"
        path.write_text("\n".join(records) + "\n", encoding="utf-8")
        size = path.stat().st_size
        command = [
            sys.executable,
            "-c",
            _PEAK,
            str(peak),
            "storylines",
            str(path),
            "-o",
            str(out),
            "-q",
        ]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - started
        assert done.returncode == 0, done.stderr
        peak_mb = int(peak.read_text()) / 1024
        found = json.loads(out.read_text())
    index = {f"a{i}": i for i in range(count)}
    stories = [[index[a] for a in s["articles"]] for s in found["stories"]]
    f1 = conll_f1(truth, stories)
    return Row(
        "h",
        f"storylines of {count:,} analyses",
        f"{wall:.0f} s, {peak_mb:.0f} MB",
        f"{len(truth):,} true stories, {len(stories):,} found (CoNLL F1 {f1:.3f}); "
        f"{size / 1e6:.0f} MB of records; the whole process, interpreter and imports included",
        {"seconds": wall, "peak_mb": peak_mb, "conll_f1": f1, "stories": len(stories)},
    )


def _chunks(folder: Path, count: int, chunk: int, order: str, truth: list[list[int]]) -> list[Path]:
    """The generated feed in files of ``chunk`` records: in order of publication day
    (``order`` "date": a feed, where a story's articles arrive within days), or each
    record in a chunk drawn at random ("random": every story goes on in every chunk)."""
    parts = max(1, math.ceil(count / chunk))
    files = [folder / f"chunk{k:04d}.jsonl" for k in range(parts)]
    if order == "random":
        rng = random.Random(1)
        handles = [f.open("w", encoding="utf-8") for f in files]
        for line in _feed_lines(count, truth):
            handles[rng.randrange(parts)].write(line + "\n")
        for h in handles:
            h.close()
        return files
    days: dict[str, Any] = {}
    for line in _feed_lines(count, truth):
        day = line[line.index('"published": "') :][14:24]
        if day not in days:
            days[day] = (folder / f"day-{day}.jsonl").open("w", encoding="utf-8")
        days[day].write(line + "\n")
    for handle in days.values():
        handle.close()
    written, k = 0, 0
    out = files[0].open("w", encoding="utf-8")
    for day in sorted(days):
        with (folder / f"day-{day}.jsonl").open(encoding="utf-8") as records:
            for line in records:
                if written == chunk:
                    out.close()
                    written, k = 0, k + 1
                    out = files[k].open("w", encoding="utf-8")
                out.write(line)
                written += 1
        (folder / f"day-{day}.jsonl").unlink()
    out.close()
    return files


def _copy_run(storylines: Path, folder: Path) -> None:
    """Copy a storylines file and its state into ``folder``."""
    for kept in (storylines, state_path(storylines)):
        shutil.copy2(kept, folder / kept.name)


def _grouped(storylines: dict[str, Any]) -> Any:
    """A storylines file's stories (ids and articles) and merged ids."""
    return [(s["id"], s["articles"]) for s in storylines["stories"]], storylines["merged"]


def _again(
    before_last: Path, last: Path, out: Path, own: dict[str, Any], peak: Path
) -> dict[str, Any]:
    """The last update of a kept run timed again, on a copy of the state it found
    (``before_last``), by the code as it is now; and whether its stories (ids and
    articles) and merged ids are the run's own (``own``, the run's storylines)."""
    if not before_last.is_dir():
        raise SystemExit(f"{before_last} is missing: the run kept no state before its last update")
    with tempfile.TemporaryDirectory(dir=before_last.parent) as work:
        copy = Path(work) / out.name
        _copy_run(before_last / out.name, Path(work))
        command = [sys.executable, "-c", _PEAK, str(peak), "storylines", "--update", str(copy)]
        started = time.perf_counter()
        done = subprocess.run(
            [*command, str(last), "-o", str(copy), "-q"], cwd=ROOT, capture_output=True, text=True
        )
        seconds = time.perf_counter() - started
        assert done.returncode == 0, done.stderr
        return {
            "again_s": seconds,
            "again_peak_mb": int(peak.read_text()) / 1024,
            "again_same": _grouped(json.loads(copy.read_text())) == _grouped(own),
        }


def bench_storylines_chunked(
    count: int,
    chunk: int,
    full: bool,
    order: str,
    keep: Path | None = None,
    again: bool = False,
) -> Row:
    """Storylines of ``count`` generated analyses that arrive in chunks of ``chunk``
    (:func:`_chunks`): a first run on the first chunk, then one update per chunk, each
    a fresh process. ``full``: also one run over all of them (the chunks in order),
    compared. ``keep``: work in that folder and go on from its last finished chunk (a
    million takes longer than a session); its ``progress.json`` holds each chunk's
    time and memory. ``again``: time the last update again (:func:`_again`)."""
    from summarizer.coreference import conll_f1

    truth: list[list[int]] = []
    with contextlib.ExitStack() as stack:
        folder = keep or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        folder.mkdir(parents=True, exist_ok=True)
        progress_file = folder / "progress.json"
        asked = {"count": count, "chunk": chunk, "order": order}
        progress: dict[str, Any] = {**asked, "seconds": [], "peaks": []}
        if progress_file.is_file():
            progress = json.loads(progress_file.read_text())
            if {k: progress[k] for k in asked} != asked:
                raise SystemExit(f"{folder} holds another run: {progress_file}")
            files = [folder / f"chunk{k:04d}.jsonl" for k in range(progress["files"])]
            truth = json.loads((folder / "truth.json").read_text())
        else:
            files = _chunks(folder, count, chunk, order, truth)
            (folder / "truth.json").write_text(json.dumps(truth))
            progress["files"] = len(files)
            progress_file.write_text(json.dumps(progress))
        parts = len(files)
        size = sum(f.stat().st_size for f in files)
        out, peak = folder / "s.json", folder / "peak"
        seconds: list[float] = progress["seconds"]
        peaks: list[float] = progress["peaks"]
        before_last = folder / "before-last"
        for k, f in enumerate(files):
            if k < len(seconds):
                continue
            if keep and k and k == parts - 1:
                # The state as the last update found it, so that update can be timed
                # again (``again``), on other code, and its stories compared.
                before_last.mkdir(exist_ok=True)
                _copy_run(out, before_last)
            update = ["--update", str(out)] if k else []
            command = [sys.executable, "-c", _PEAK, str(peak), "storylines", *update, str(f)]
            started = time.perf_counter()
            done = subprocess.run(
                [*command, "-o", str(out), "-q"], cwd=ROOT, capture_output=True, text=True
            )
            seconds.append(time.perf_counter() - started)
            assert done.returncode == 0, done.stderr
            peaks.append(int(peak.read_text()) / 1024)
            progress_file.write_text(json.dumps(progress))
            print(f"  chunk {k + 1}/{parts}: {seconds[-1]:.1f} s, {peaks[-1]:.0f} MB", flush=True)
        found = json.loads(out.read_text())
        index = {f"a{i}": i for i in range(count)}
        stories = [[index[a] for a in s["articles"]] for s in found["stories"]]
        detail = {
            "seconds": sum(seconds),
            "first_run_s": seconds[0],
            "update_s": seconds[1:],
            "last_update_s": seconds[-1],
            "peak_mb": max(peaks),
            "conll_f1": conll_f1(truth, stories),
            "stories": len(stories),
            "merged": len(found["merged"]),
            "state_mb": state_path(out).stat().st_size / 1e6,
        }
        if again:
            detail |= _again(before_last, files[-1], out, found, peak)
        if full:
            whole = folder / "all.jsonl"
            with whole.open("w", encoding="utf-8") as w:
                for f in files:
                    w.write(f.read_text(encoding="utf-8"))
            command = [sys.executable, "-c", _PEAK, str(peak), "storylines", str(whole)]
            started = time.perf_counter()
            done = subprocess.run(
                [*command, "-o", str(folder / "full.json"), "-q"],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            assert done.returncode == 0, done.stderr
            once = json.loads((folder / "full.json").read_text())
            grouped = [[index[a] for a in s["articles"]] for s in once["stories"]]
            detail |= {
                "full_s": time.perf_counter() - started,
                "full_peak_mb": int(peak.read_text()) / 1024,
                "full_conll_f1": conll_f1(truth, grouped),
                "chunked_vs_full_conll_f1": conll_f1(grouped, stories),
            }
    figure = (
        f"{detail['seconds']:.0f} s in all, last update {detail['last_update_s']:.0f} s, "
        f"{detail['peak_mb']:.0f} MB"
    )
    text = (
        f"{parts} chunks: first run {detail['first_run_s']:.0f} s, updates "
        f"{min(seconds[1:] or [0]):.0f}-{max(seconds[1:] or [0]):.0f} s; {len(truth):,} true "
        f"stories, {len(stories):,} found (CoNLL F1 {detail['conll_f1']:.3f}); "
        f"{size / 1e6:.0f} MB of records, state {detail['state_mb']:.0f} MB"
    )
    if again:
        text += (
            f"; the last update again {detail['again_s']:.0f} s, "
            f"{detail['again_peak_mb']:.0f} MB, its stories "
            f"{'the same' if detail['again_same'] else 'NOT the same'}"
        )
    if full:
        text += (
            f"; one full run {detail['full_s']:.0f} s, {detail['full_peak_mb']:.0f} MB, CoNLL "
            f"{detail['full_conll_f1']:.3f}, chunks against it "
            f"{detail['chunked_vs_full_conll_f1']:.3f}"
        )
    return Row(
        "k", f"storylines of {count:,} analyses in chunks of {chunk:,}", figure, text, detail
    )


# --- the eval: e -------------------------------------------------------------------


def bench_warm_eval(cache: Path, systems: str) -> Row:
    """Fill the cache with one run (skipped in effect if it is warm already), then time
    a second run of the whole fixture eval as a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        base = [sys.executable, "-m", "summarizer", "eval", str(FIXTURES), "--quiet"]
        base += ["--cache", str(cache), "--systems", systems]
        fill = subprocess.run([*base, "--out", f"{tmp}/fill"], cwd=ROOT, capture_output=True)
        assert fill.returncode == 0, fill.stderr.decode()
        started = time.perf_counter()
        warm = subprocess.run([*base, "--out", f"{tmp}/warm"], cwd=ROOT, capture_output=True)
        wall = time.perf_counter() - started
        assert warm.returncode == 0, warm.stderr.decode()
        summary = json.loads(Path(f"{tmp}/warm/summary.json").read_text())
    calls = summary["model_calls"]
    hits = summary["cache"]["hits"]
    items = summary["items"] * len(systems.split(","))
    return Row(
        "e",
        f"warm-cache re-run of the fixture eval ({systems}: {items} predictions)",
        f"{calls} calls, {summary['seconds']:.2f} s",
        f"{hits} cache hits; the run {summary['seconds']:.2f} s, the whole process "
        f"{wall:.2f} s (interpreter and imports included)",
        {"calls": calls, "wall_s": wall, "hits": hits},
    )


def bench_attributions(data: Path) -> Row:
    """Milliseconds per article of :func:`rule_attributions`, best of three passes."""
    from summarizer.attributions import rule_attributions

    rows = [json.loads(line) for line in (data / "polnear_dev.jsonl").read_text().splitlines()]
    found = 0
    passes = []
    for _ in range(3):
        # Articles read afresh each pass: nothing cached on them from the one before.
        articles = [Article.from_text(r["text"]) for r in rows]
        started = time.perf_counter()
        found = sum(len(rule_attributions(article)) for article in articles)
        passes.append((time.perf_counter() - started) / len(articles) * 1000)
    words = sum(len(a.text.split()) for a in articles) / len(articles)
    return Row(
        "j",
        "the attribution rule's time per article",
        f"{min(passes):.1f} ms per article",
        f"{len(articles)} PolNeAR dev articles of {words:.0f} words on average, "
        f"{found} attributions; best of 3 passes ({', '.join(f'{p:.1f}' for p in passes)} ms)",
        {"ms": passes, "articles": len(articles)},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="a,b,c,d,e,f,g,h", help="comma-separated: a,...,j")
    parser.add_argument("--adapter", default="auto", help="the GGUF LoRA adapter for i")
    parser.add_argument(
        "--data", type=Path, default=ROOT.parent / "shared" / "data", help="the data folder, j"
    )
    parser.add_argument("--articles", type=int, default=5, help="articles for a, b, c, g")
    parser.add_argument("--rounds", type=int, default=2, help="rounds for a")
    parser.add_argument("--batch-size", type=int, default=10_000, help="articles for f, h")
    parser.add_argument("--chunk", type=int, default=10_000, help="articles per update, k")
    parser.add_argument("--full", action="store_true", help="k: also one full run, compared")
    parser.add_argument("--order", choices=("date", "random"), default="date", help="k's feed")
    parser.add_argument(
        "--keep", type=Path, help="k: work in this folder, and go on from its last chunk"
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="k with --keep: time the last update again on the state it found, compared",
    )
    parser.add_argument("--seconds", type=float, default=6.0, help="ideal run time per level, d")
    parser.add_argument(
        "--cache",
        type=Path,
        default=ROOT / "runs" / "bench-cache.sqlite",
        help="response cache for e (the first run fills it)",
    )
    parser.add_argument("--systems", default="pipeline,naive,lead3", help="systems for e")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args()
    wanted = set(options.only.split(","))
    rows: list[Row] = []

    def done(*new: Row) -> None:
        # Shown as each finishes, so a long run tells as it goes.
        for r in new:
            if r.key in wanted:
                rows.append(r)
                print(f"{r.key}: {r.what}: {r.figure} ({r.detail})", flush=True)

    if wanted & {"a", "b", "c"}:
        done(*bench_embedded(options.articles, options.rounds))
    if "d" in wanted:
        done(bench_throughput([1, 4, 16, 64], options.seconds))
    if "e" in wanted:
        done(bench_warm_eval(options.cache, options.systems))
    if "f" in wanted:
        done(bench_memory(options.batch_size))
    if "g" in wanted:
        done(bench_defaults(options.articles))
    if "h" in wanted:
        done(bench_storylines(options.batch_size))
    if "i" in wanted:
        done(bench_adapter(options.articles, options.adapter))
    if "j" in wanted:
        done(bench_attributions(options.data))
    if "k" in wanted:
        done(
            bench_storylines_chunked(
                options.batch_size,
                options.chunk,
                options.full,
                options.order,
                options.keep,
                options.again,
            )
        )
    rows.sort(key=lambda r: r.key)
    print(f"\n{os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}\n")
    print("| | benchmark | measured | target | detail |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r.key} | {r.what} | {r.figure} | {TARGETS[r.key]} | {r.detail} |")
    if options.json:
        options.json.write_text(json.dumps([r.__dict__ for r in rows], indent=2, default=str))


if __name__ == "__main__":
    main()
