"""The training loop: LoRA on the answer tokens, resumable at any step boundary.

A step takes the next ``batch`` examples of a seeded order (a fresh permutation each
epoch) and runs them one at a time, accumulating gradients: no padding, and the step's
loss is exactly the mean its weighting asks for (:class:`Schedule`). The order is a
function of the seed and the position alone, so a resumed run reads what an
uninterrupted one would.
"""

from __future__ import annotations

import math
import signal
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch.nn import functional

from training.tokens import IGNORED, Encoded

if TYPE_CHECKING:
    from peft import PeftModel


@dataclass(frozen=True)
class Schedule:
    steps: int
    batch: int
    lr: float
    warmup: int  # steps of linear warm-up, then linear decay to 0 at ``steps``
    seed: int
    precision: str  # "fp32" or "bf16" (autocast; the adapter's weights stay float32)
    # "example": each example's loss is the mean over its answer tokens, and a step's the
    # mean over its examples, so a one-word claim label weighs as much as a list of six
    # events; "token": the mean over all the step's answer tokens (long answers dominate).
    weighting: str = "example"

    def factor(self, step: int) -> float:
        """The learning rate's multiplier at ``step`` (0-based)."""
        if step < self.warmup:
            return (step + 1) / self.warmup
        left = self.steps - self.warmup
        return max(0.0, (self.steps - step) / left) if left > 0 else 1.0


def steps_for(epochs: float, examples: int, batch: int) -> int:
    return max(1, math.ceil(epochs * examples / batch))


def batch_at(step: int, batch: int, count: int, seed: int) -> list[int]:
    """The example indices of ``step``: positions step*batch... of the seeded order."""
    indices = []
    for position in range(step * batch, (step + 1) * batch):
        epoch, offset = divmod(position, count)
        indices.append(int(_order(epoch, count, seed)[offset]))
    return indices


_ORDERS: dict[tuple[int, int, int], np.ndarray[Any, np.dtype[np.int64]]] = {}


def _order(epoch: int, count: int, seed: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    key = (epoch, count, seed)
    if key not in _ORDERS:
        _ORDERS.clear()  # one epoch's order at a time is all a run needs
        _ORDERS[key] = np.random.default_rng([seed, epoch]).permutation(count)
    return _ORDERS[key]


def optimiser(model: PeftModel, schedule: Schedule) -> tuple[Any, Any]:
    trainable = [p for p in model.parameters() if p.requires_grad]
    adam = torch.optim.AdamW(trainable, lr=schedule.lr, weight_decay=0.0)
    lr = torch.optim.lr_scheduler.LambdaLR(adam, schedule.factor)
    return adam, lr


def _autocast(precision: str) -> AbstractContextManager[Any]:
    if precision == "bf16":
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return nullcontext()


def token_loss(model: PeftModel, example: Encoded, precision: str) -> torch.Tensor:
    """The summed cross-entropy of the labelled tokens (answer and end-of-turn)."""
    ids = torch.tensor([example.input_ids])
    labels = torch.tensor(example.labels[1:])
    with _autocast(precision):
        logits = model(input_ids=ids, use_cache=False).logits[0, :-1]
    return functional.cross_entropy(logits.float(), labels, ignore_index=IGNORED, reduction="sum")


@dataclass
class StepResult:
    loss: float  # as the schedule's weighting averages it
    tokens: int
    answer_tokens: int


def train_step(
    model: PeftModel, adam: Any, lr: Any, batch: Sequence[Encoded], schedule: Schedule
) -> StepResult:
    model.train()
    adam.zero_grad(set_to_none=True)
    answer = sum(e.answer_tokens for e in batch)
    total = 0.0
    for example in batch:
        loss = token_loss(model, example, schedule.precision)
        if schedule.weighting == "token":
            share = loss / answer
        else:
            share = loss / (example.answer_tokens * len(batch))
        share.backward()  # type: ignore[no-untyped-call]
        total += float(share.detach())
    torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
    adam.step()
    lr.step()
    return StepResult(total, sum(len(e.input_ids) for e in batch), answer)


ALL = "all"


def heldout_loss(model: PeftModel, examples: Sequence[Encoded], precision: str) -> dict[str, float]:
    """The mean loss per answer token over ``examples``, per task and over all
    (``ALL``); dropout off, no gradients."""
    model.eval()
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    with torch.no_grad():
        for example in examples:
            loss = float(token_loss(model, example, precision))
            for key in (example.task, ALL):
                totals[key] += loss
                counts[key] += example.answer_tokens
    model.train()
    return {key: totals[key] / counts[key] for key in sorted(totals)}


class StopRequest:
    """SIGTERM or SIGINT asks the run to stop after the current step (and checkpoint);
    a second SIGINT stops it at once."""

    def __init__(self) -> None:
        self.signal: int | None = None

    def __bool__(self) -> bool:
        return self.signal is not None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.signal == signal.SIGINT and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.signal = signum
        print(f"stopping after this step ({signal.Signals(signum).name})", flush=True)

    @contextmanager
    def installed(self) -> Iterator[StopRequest]:
        previous = {s: signal.signal(s, self._handle) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield self
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)


class Clock:
    """Wall time of this session, for the run's total and a time limit."""

    def __init__(self, limit_seconds: float | None) -> None:
        self.start = time.monotonic()
        self.limit = limit_seconds

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def out_of_time(self, per_step: float) -> bool:
        """Whether another step (of about ``per_step`` seconds) would pass the limit."""
        return self.limit is not None and self.elapsed() + per_step > self.limit
