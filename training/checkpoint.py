"""A training run's state on disk, so that a stopped run continues where it stopped.

One file holds everything the next step depends on: the adapter's weights, the
optimiser's moments, the learning-rate schedule, the random number generators (LoRA's
dropout draws from torch's), and how far the run has read its data, which is a position
in a fixed, seeded order. It is written to a temporary name and renamed, so a run killed
while writing leaves the previous checkpoint whole.
"""

from __future__ import annotations

import os
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

CHECKPOINT = "checkpoint.pt"


@dataclass
class Progress:
    """How far a run has come; lands in the manifest as it is."""

    step: int = 0
    tokens: int = 0  # every token of every example trained on, prompt included
    answer_tokens: int = 0  # the tokens the loss covered
    wall_seconds: float = 0.0  # training and held-back evaluation, over every session
    train_loss: list[float] = field(default_factory=list)  # one per step
    # (step, {task: loss, ..., "all": loss}): mean loss per answer token
    heldout_loss: list[tuple[int, dict[str, float]]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)


def rng_states() -> dict[str, Any]:
    return {
        "torch": torch.get_rng_state(),
        "python": random.getstate(),
        "numpy": np.random.get_state(),
    }


def restore_rng(states: dict[str, Any]) -> None:
    torch.set_rng_state(states["torch"])
    random.setstate(states["python"])
    np.random.set_state(states["numpy"])


def save(
    folder: Path,
    *,
    identity: dict[str, Any],
    progress: Progress,
    adapter: dict[str, torch.Tensor],
    optimizer: dict[str, Any],
    scheduler: dict[str, Any],
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CHECKPOINT
    partial = path.with_name(path.name + ".partial")
    state = {
        "identity": identity,
        "progress": asdict(progress),
        "adapter": {name: tensor.detach().clone() for name, tensor in adapter.items()},
        "optimizer": optimizer,
        "scheduler": scheduler,
        "rng": rng_states(),
    }
    torch.save(state, partial)
    with partial.open("rb") as written:
        os.fsync(written.fileno())
    os.replace(partial, path)
    return path


def load(folder: Path) -> dict[str, Any] | None:
    """The saved state, or None when the folder holds no checkpoint yet."""
    path = folder / CHECKPOINT
    if not path.is_file():
        return None
    # Not weights_only: the state holds Python's and numpy's generator states.
    state: dict[str, Any] = torch.load(path, map_location="cpu", weights_only=False)
    progress = state["progress"]
    progress["heldout_loss"] = [tuple(pair) for pair in progress["heldout_loss"]]
    state["progress"] = Progress(**progress)
    return state
