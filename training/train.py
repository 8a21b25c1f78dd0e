"""Train one multi-task LoRA adapter for the embedded model, and write it as GGUF.

    python -m training.train --data DIR --out DIR [--steps N | --epochs E] [--max-tokens T]
        [--batch B] [--lr LR] [--rank R] [--seed S] [--threads N] [--time-limit MINUTES]
        [--init-from ADAPTER_DIR]

DIR is a folder written by ``python -m training.prepare`` (train.jsonl, heldout.jsonl,
data_manifest.json). The run checkpoints into ``OUT/checkpoint/`` every
``--checkpoint-every`` steps, when stopped by SIGTERM or SIGINT (after the step under
way), and at ``--stop-after``/``--time-limit``. Running the same command again continues
from the checkpoint and ends where an uninterrupted run would; a command whose settings
or data differ from the checkpoint's is refused. When the last step is done (or with
``--export-only``) it writes ``OUT/adapter.gguf``, ``OUT/adapter/`` (PEFT) and
``OUT/manifest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.errors import SummarizerError
from training.data import Data, load_data, sha256_of
from training.manifest import MANIFEST, build, write
from training.model import TARGET_MODULES, LoraShape, load_base, with_lora
from training.tokens import Encoded, Tokenizer

if TYPE_CHECKING:
    from collections.abc import Callable

    from peft import PeftModel

    from training.checkpoint import Progress
    from training.loop import Schedule

DEFAULT_MAX_TOKENS = 2048


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m training.train", description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="the prepared data folder")
    parser.add_argument("--out", type=Path, required=True, help="checkpoint and adapter folder")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, help="optimiser steps in all (default: --epochs)")
    length.add_argument("--epochs", type=float, default=1.0, help="passes over train.jsonl")
    parser.add_argument("--batch", type=int, default=4, help="examples per step")
    parser.add_argument(
        "--max-tokens",
        type=int,
        default=DEFAULT_MAX_TOKENS,
        help="longer examples (prompt, answer and end-of-turn) are skipped and counted",
    )
    parser.add_argument("--lr", type=float, default=2e-4, help="peak learning rate")
    parser.add_argument("--warmup", type=int, help="warm-up steps (default: 3%% of the steps)")
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument(
        "--init-from",
        type=Path,
        help="start from this LoRA adapter (a PEFT folder: an earlier run's OUT/adapter) "
        "instead of a fresh one: training continued on new data",
    )
    parser.add_argument("--alpha", type=int, help="LoRA alpha (default: twice the rank)")
    parser.add_argument("--dropout", type=float, default=0.05, help="LoRA dropout")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--precision", choices=("fp32", "bf16"), default="fp32")
    parser.add_argument(
        "--weighting",
        choices=("example", "token"),
        default="example",
        help="example: every example weighs the same, whatever its answer's length; "
        "token: every answer token does",
    )
    parser.add_argument("--eval-every", type=int, default=50, help="held-back loss every K steps")
    parser.add_argument(
        "--heldout-examples", type=int, default=100, help="held-back examples scored (the first)"
    )
    parser.add_argument("--checkpoint-every", type=int, default=50)
    parser.add_argument("--log-every", type=int, default=10)
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--stop-after", type=int, help="stop (and checkpoint) after N steps now")
    parser.add_argument("--time-limit", type=float, help="stop (and checkpoint) after M minutes")
    parser.add_argument("--outtype", choices=("f32", "f16", "bf16"), default="f16")
    export = parser.add_mutually_exclusive_group()
    export.add_argument(
        "--export-only", action="store_true", help="write the adapter from the checkpoint as it is"
    )
    export.add_argument(
        "--no-export", action="store_true", help="train only; export later with --export-only"
    )
    args = parser.parse_args(argv)
    for name in ("batch", "max_tokens", "rank", "eval_every", "checkpoint_every", "threads"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.steps is not None and args.steps < 1:
        parser.error("--steps must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    import torch

    torch.set_num_threads(args.threads)
    try:
        return run(args, "python -m training.train " + shlex.join(argv))
    except (SummarizerError, ValueError, RuntimeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace, command: str) -> int:
    import torch
    from peft import get_peft_model_state_dict, set_peft_model_state_dict

    from summarizer.backends.embedded import embedded_model_path
    from training import checkpoint, loop
    from training.export import export

    model_path = embedded_model_path()
    tokenizer = Tokenizer(model_path)
    try:
        data = load_data(args.data, tokenizer, args.max_tokens)
    finally:
        tokenizer.close()
    print(_data_line(data), flush=True)
    count = len(data.train.examples)
    planned = args.steps or loop.steps_for(args.epochs, count, args.batch)
    shape = LoraShape(args.rank, args.alpha or 2 * args.rank, args.dropout)
    schedule = loop.Schedule(
        steps=planned,
        batch=args.batch,
        lr=args.lr,
        warmup=args.warmup if args.warmup is not None else max(1, round(0.03 * planned)),
        seed=args.seed,
        precision=args.precision,
        weighting=args.weighting,
    )
    base_sha256 = sha256_of(model_path)
    heldout = data.heldout.examples[: args.heldout_examples]
    identity: dict[str, Any] = {
        **vars(schedule),
        "rank": shape.rank,
        "alpha": shape.alpha,
        "dropout": shape.dropout,
        "target_modules": list(TARGET_MODULES),
        "max_tokens": args.max_tokens,
        "heldout_examples": len(heldout),
        "data": data.fingerprint(),
        "base_sha256": base_sha256,
    }
    initial = _initial_adapter(args.init_from, shape) if args.init_from else None
    if initial is not None:
        identity["init_from"] = initial[0]
    folder = args.out / "checkpoint"
    saved = checkpoint.load(folder)
    if saved is not None and saved["identity"] != identity:
        keys = identity.keys() | saved["identity"].keys()
        differ = sorted(k for k in keys if saved["identity"].get(k) != identity.get(k))
        raise ValueError(
            f"{folder} holds a run with other settings or data ({', '.join(differ)}): "
            "give a new --out, or the same settings to continue it"
        )
    if saved is None and args.export_only:
        raise ValueError(f"nothing to export: {folder} holds no checkpoint")

    torch.manual_seed(args.seed)
    model = with_lora(load_base(model_path), shape)
    adam, lr = loop.optimiser(model, schedule)
    progress = checkpoint.Progress()
    if saved is None and initial is not None:
        set_peft_model_state_dict(model, initial[1])
        print(f"started from the adapter in {args.init_from}", flush=True)
    if saved is not None:
        set_peft_model_state_dict(model, saved["adapter"])
        adam.load_state_dict(saved["optimizer"])
        lr.load_state_dict(saved["scheduler"])
        checkpoint.restore_rng(saved["rng"])
        progress = saved["progress"]
        print(f"checkpoint at step {progress.step} of {planned} ({folder})", flush=True)

    def save() -> None:
        checkpoint.save(
            folder,
            identity=identity,
            progress=progress,
            adapter=get_peft_model_state_dict(model, save_embedding_layers=False),
            optimizer=adam.state_dict(),
            scheduler=lr.state_dict(),
        )

    session: dict[str, Any] = {
        "command": command,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "from_step": progress.step,
        "threads": torch.get_num_threads(),
    }
    stopped: int | None = None
    trained = not args.export_only and progress.step < planned
    if trained:
        progress.sessions.append(session)
        started = time.monotonic()
        stopped = _train(args, model, adam, lr, data, heldout, schedule, progress, save)
        session["to_step"] = progress.step
        session["seconds"] = round(time.monotonic() - started, 1)
        save()
    if stopped is not None or (progress.step < planned and not args.export_only):
        left = planned - progress.step
        print(
            f"stopped at step {progress.step} of {planned} ({left} left); the checkpoint is "
            f"in {folder}: run the same command to continue",
            flush=True,
        )
        return 128 + stopped if stopped else 0
    if args.no_export:
        print(f"complete: {progress.step} steps; the checkpoint is in {folder}", flush=True)
        return 0
    if not trained and not args.export_only and _exported_complete(args.out):
        print(f"already complete: {progress.step} steps; {args.out / MANIFEST}", flush=True)
        return 0
    # The adapter check compares many answer tokens: a one-word answer says little.
    probe = max([*data.heldout.examples, *data.train.examples], key=lambda e: e.answer_tokens)
    adapter = export(model, args.out, args.outtype, probe)
    manifest = build(
        data=data,
        identity=identity,
        progress=progress,
        planned_steps=planned,
        eval_every=args.eval_every,
        base_model=model_path,
        base_sha256=base_sha256,
        adapter=adapter,
        adapter_sha256=sha256_of(adapter),
        outtype=args.outtype,
    )
    path = write(args.out, manifest)
    print(f"wrote {adapter} ({adapter.stat().st_size:,} bytes) and {path}", flush=True)
    return 0


def _initial_adapter(folder: Path, shape: LoraShape) -> tuple[dict[str, str], dict[str, Any]]:
    """The PEFT adapter in ``folder`` (its identity: path and weights' sha256; and its
    weights), refused unless its shape is the run's: a rank or target modules of its
    own would not load into this run's LoRA."""
    from safetensors.torch import load_file

    weights = folder / "adapter_model.safetensors"
    try:
        config = json.loads((folder / "adapter_config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"--init-from {folder}: not a PEFT adapter folder ({exc})") from None
    if not weights.is_file():
        raise ValueError(f"--init-from {folder}: no adapter_model.safetensors in it")
    found = (config.get("r"), config.get("lora_alpha"), sorted(config.get("target_modules") or []))
    wanted = (shape.rank, shape.alpha, sorted(TARGET_MODULES))
    if found != wanted:
        raise ValueError(
            f"--init-from {folder}: rank, alpha and modules {found} are not this run's "
            f"{wanted}; give the same --rank and --alpha"
        )
    identity = {"path": str(folder.resolve()), "sha256": sha256_of(weights)}
    return identity, load_file(str(weights))


def _exported_complete(out: Path) -> bool:
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    return bool(manifest.get("training", {}).get("complete"))


def _train(
    args: argparse.Namespace,
    model: PeftModel,
    adam: Any,
    lr: Any,
    data: Data,
    heldout: list[Encoded],
    schedule: Schedule,
    progress: Progress,
    save: Callable[[], None],
) -> int | None:
    """Steps until the plan is done or a stop is asked; the signal number if one was."""
    from training import loop

    count = len(data.train.examples)
    clock = loop.Clock(args.time_limit * 60 if args.time_limit else None)
    done_now = 0
    if progress.step == 0 and not progress.heldout_loss and heldout:
        before = loop.heldout_loss(model, heldout, schedule.precision)
        progress.heldout_loss.append((0, before))
        progress.wall_seconds += clock.elapsed()
        print(f"step 0 held-back loss {_losses(before)} ({len(heldout)} examples)", flush=True)
    with loop.StopRequest().installed() as stop:
        while progress.step < schedule.steps:
            started = time.monotonic()
            indices = loop.batch_at(progress.step, schedule.batch, count, schedule.seed)
            batch = [data.train.examples[i] for i in indices]
            result = loop.train_step(model, adam, lr, batch, schedule)
            speed = result.tokens / (time.monotonic() - started)
            progress.step += 1
            progress.tokens += result.tokens
            progress.answer_tokens += result.answer_tokens
            progress.train_loss.append(result.loss)
            step = progress.step
            if heldout and (step % args.eval_every == 0 or step == schedule.steps):
                progress.heldout_loss.append(
                    (step, loop.heldout_loss(model, heldout, schedule.precision))
                )
            progress.wall_seconds += time.monotonic() - started
            done_now += 1
            if step % args.log_every == 0 or step == schedule.steps or step == 1:
                print(_step_line(progress, schedule, lr, speed), flush=True)
            if stop:
                return stop.signal
            if args.stop_after is not None and done_now >= args.stop_after:
                return None
            if clock.out_of_time(clock.elapsed() / done_now):
                print(f"time limit of {args.time_limit} minutes reached", flush=True)
                return None
            if step % args.checkpoint_every == 0:
                save()
    return None


def _data_line(data: Data) -> str:
    train, held = data.train.summary(), data.heldout.summary()
    skipped = sum(data.train.skipped.values()) + sum(data.heldout.skipped.values())
    tasks = ", ".join(f"{t} {v['kept']}" for t, v in train["per_task"].items())
    return (
        f"train: {train['examples']} examples ({tasks}), {train['tokens']:,} tokens; "
        f"held back: {held['examples']}; skipped as too long: {skipped}"
    )


def _step_line(progress: Progress, schedule: Schedule, lr: Any, speed: float) -> str:
    line = (
        f"step {progress.step}/{schedule.steps} loss {progress.train_loss[-1]:.4f} "
        f"lr {lr.get_last_lr()[0]:.2e} {speed:.0f} tokens/s"
    )
    if progress.heldout_loss and progress.heldout_loss[-1][0] == progress.step:
        line += f" held-back loss {_losses(progress.heldout_loss[-1][1])}"
    return line


def _losses(by_task: dict[str, float]) -> str:
    from training.loop import ALL

    tasks = ", ".join(f"{t} {v:.4f}" for t, v in by_task.items() if t != ALL)
    return f"{by_task[ALL]:.4f} ({tasks})"


if __name__ == "__main__":
    raise SystemExit(main())
