"""Prepare the training data: public annotations as the pipeline's own requests.

    python -m training.prepare --casie DIR --ecbplus DIR --fnc1 DIR --polnear DIR --out DIR
                               [--max-per-task N] [--cap TASK=N ...] [--seed S]
                               [--heldout-share F]
    python -m training.prepare --fixtures evals/fixtures --out DIR    # the CI smoke set

Each DIR is a checkout of a public corpus (Ebiquity/CASIE; cltl/ecbPlus with ECB+.zip
unpacked; FNC-1 train; networkdynamics/PolNeAR). OUT receives ``train.jsonl`` and
``heldout.jsonl`` (whole articles or bodies held back, never one in both; both files in
a seeded shuffled order) and ``data_manifest.json``: the files read with their sha256,
example counts per task and label, what was excluded, skipped or cut and why, token
counts, and every source id used. The data stays out of the repository (``runs/`` or
``/work/corpora/prepared``).

``training_exclusions.json`` (``--exclusions``) is enforced: a forbidden file stops the
run with a one-line error; excluded items are skipped and counted.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from summarizer.backends.embedded import GGUF_NAME
from summarizer.errors import UsageError
from training import sampling
from training.corpus import Corpus
from training.examples import EVENTS, TASKS, Builder, Example
from training.exclusions import Exclusions, add_exclusions_option, load_exclusions
from training.manifest import code
from training.requests import Requests, spread
from training.sources import casie, ecbplus, fixtures, fnc1, polnear

TRAIN, HELDOUT, MANIFEST = "train.jsonl", "heldout.jsonl", "data_manifest.json"
HELDOUT_SHARE = 0.05
Reader = Callable[[Path, Exclusions], Corpus]
CORPORA: dict[str, Reader] = {
    "casie": casie.read,
    "ecbplus": ecbplus.read,
    "fnc1": fnc1.read,
    "polnear": polnear.read,
}


def main(argv: Sequence[str] | None = None) -> int:
    given_args = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(given_args)
    args.cap = dict(args.cap)
    args.command = shlex.join(["python", "-m", "training.prepare", *given_args])
    started = time.perf_counter()
    try:
        given = _sources(args)
        exclusions = load_exclusions(args.exclusions)
        for path, _ in given.values():  # fail before any work on a forbidden input
            exclusions.refuse_path(path)
        corpora = []
        for name, (path, read) in given.items():
            corpus = read(path, exclusions)
            _say(f"{name}: {len(corpus.items)} items from {len(corpus.files)} files")
            corpora.append(corpus)
        builder = Builder(Requests())
        examples = [e for corpus in corpora for e in builder.examples(corpus)]
        if not examples:
            raise UsageError("no usable example in the sources given")
        manifest = prepare(examples, corpora, builder, exclusions, args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    manifest["seconds"] = round(time.perf_counter() - started, 1)
    try:
        (args.out / MANIFEST).write_text(
            json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    except OSError as exc:
        print(f"error: cannot write {args.out / MANIFEST}: {exc.strerror}", file=sys.stderr)
        return 1
    counts = manifest["examples"]
    _say(f"wrote {counts['train']} train and {counts['heldout']} held-back examples to {args.out}")
    return 0


def prepare(
    examples: list[Example],
    corpora: list[Corpus],
    builder: Builder,
    exclusions: Exclusions,
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Cap, split, write the two files; return the manifest."""
    kept: list[Example] = []
    capped: dict[str, dict[str, int]] = {}
    for task in TASKS:
        ones = [e for e in examples if e.task == task]
        cap = args.cap.get(task, args.max_per_task)
        if cap is not None:
            ones, dropped = sampling.capped(ones, cap, args.seed, _stratum)
            capped[task] = dict(sorted(dropped.items()))
        kept += ones
    held = sampling.held_back(
        [(e.source, e.source_id) for e in kept], args.heldout_share, args.seed
    )
    train = [e for e in kept if e.source_id not in held]
    heldout = [e for e in kept if e.source_id in held]
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, part in ((TRAIN, train), (HELDOUT, heldout)):
            lines = (e.line() + "\n" for e in sampling.shuffled(part, args.seed))
            (args.out / name).write_text("".join(lines), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write to {args.out}: {exc.strerror}") from None
    settings = builder.requests.settings
    prompts = builder.requests.pipeline.prompts
    return {
        "command": args.command,
        "code": code(),
        "seed": args.seed,
        "max_per_task": args.max_per_task,
        "caps": dict(sorted(args.cap.items())),
        "heldout_share": args.heldout_share,
        "exclusions": {"path": str(exclusions.path), "sha256": exclusions.sha256},
        "pipeline": {
            "options": settings.pipeline_options(),
            "context_tokens": settings.context_tokens,
            "max_output_tokens": settings.max_output_tokens,
            "prompt_versions": {t: prompts.versions[t] for t in TASKS},
            "tokenizer": GGUF_NAME,
        },
        "sources": {c.name: _source(c) for c in corpora},
        "examples": {
            "train": len(train),
            "heldout": len(heldout),
            "per_task": {"train": _count(train, _task), "heldout": _count(heldout, _task)},
            "per_label": {
                "train": _per_label(train),
                "heldout": _per_label(heldout),
            },
            "event_statuses": {"train": _statuses(train), "heldout": _statuses(heldout)},
        },
        "cut": {task: {k: n for k, n in sorted(c.items()) if n} for task, c in builder.cut.items()},
        "capped": capped,
        "tokens": _tokens(train, heldout),
        "source_ids": sorted({e.source_id for e in kept}),
        "heldout_source_ids": sorted(held),
    }


def _sources(args: argparse.Namespace) -> dict[str, tuple[Path, Reader]]:
    given = {name: (getattr(args, name), read) for name, read in CORPORA.items()}
    chosen = {name: pair for name, pair in given.items() if pair[0] is not None}
    if args.fixtures is not None:
        if chosen:
            # The fixtures are the eval suite's data: never in a run that trains an adapter.
            raise UsageError("--fixtures makes the CI smoke set on its own: give no corpus with it")
        return {"fixtures": (args.fixtures, fixtures.read)}
    if not chosen:
        raise UsageError(
            "give at least one of --casie, --ecbplus, --fnc1, --polnear (or --fixtures)"
        )
    return chosen


def _source(corpus: Corpus) -> dict[str, Any]:
    def listed(found: dict[str, list[str]]) -> dict[str, Any]:
        return {k: {"count": len(v), "ids": sorted(v)} for k, v in sorted(found.items())}

    return {
        "root": str(corpus.root.resolve()),
        "items": len(corpus.items),
        "counts": dict(sorted(corpus.counts.items())),
        "excluded": listed(corpus.excluded),
        "skipped": listed(corpus.skipped),
        "files": dict(sorted(corpus.files.items())),
    }


def _task(example: Example) -> str:
    return example.task


def _stratum(example: Example) -> str:
    return example.stratum


def _count(examples: list[Example], key: Callable[[Example], str]) -> dict[str, int]:
    return dict(sorted(Counter(map(key, examples)).items()))


def _per_label(examples: list[Example]) -> dict[str, dict[str, int]]:
    """Claim labels; for events and headlines, the corpus (what --max-per-task keeps the
    mix of)."""
    return {task: _count([e for e in examples if e.task == task], _stratum) for task in TASKS}


def _statuses(examples: list[Example]) -> dict[str, int]:
    found: Counter[str] = Counter()
    for example in examples:
        if example.task == EVENTS:
            found.update(e["status"] for e in json.loads(example.answer)["events"])
    return dict(sorted(found.items()))


def _tokens(train: list[Example], heldout: list[Example]) -> dict[str, Any]:
    """Per task, prompt and answer tokens (the answer with end-of-turn) as the embedded
    model's chat template and tokenizer count them, over both files."""
    found: dict[str, Any] = {}
    for task in TASKS:
        ones = [e for e in train + heldout if e.task == task]
        if ones:
            found[task] = {
                "prompt": spread([e.prompt_tokens for e in ones]),
                "answer": spread([e.answer_tokens for e in ones]),
                "train_total": sum(
                    e.prompt_tokens + e.answer_tokens for e in train if e.task == task
                ),
            }
    return found


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training.prepare",
        description="Training data for the embedded model: public annotations as the "
        "pipeline's own requests.",
    )
    parser.add_argument("--casie", type=Path, help="a checkout of Ebiquity/CASIE")
    parser.add_argument("--ecbplus", type=Path, help="cltl/ecbPlus with ECB+.zip unpacked")
    parser.add_argument("--fnc1", type=Path, help="the folder of FNC-1's train_*.csv")
    parser.add_argument("--polnear", type=Path, help="a checkout of networkdynamics/PolNeAR")
    parser.add_argument(
        "--fixtures", type=Path, help="evals/fixtures: the CI smoke set, on its own"
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for the three files")
    parser.add_argument(
        "--max-per-task",
        type=_positive,
        help="keep at most N examples of each task, the label mix kept (seeded)",
    )
    parser.add_argument(
        "--cap",
        type=_cap,
        action="append",
        default=[],
        metavar="TASK=N",
        help="keep at most N examples of TASK (over --max-per-task; repeatable)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--heldout-share",
        type=_share,
        default=HELDOUT_SHARE,
        help=f"share of each corpus's articles held back (default {HELDOUT_SHARE})",
    )
    add_exclusions_option(parser)
    return parser


def _cap(text: str) -> tuple[str, int]:
    task, _, count = text.partition("=")
    if task not in TASKS:
        raise argparse.ArgumentTypeError(f"unknown task {task!r}: one of {', '.join(TASKS)}")
    return task, _positive(count)


def _share(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError("must be at least 0 and below 1")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


if __name__ == "__main__":
    sys.exit(main())
