"""What the adapter does in PyTorch, for :mod:`training.check` to compare with llama.cpp.

For one example, the log-probability of each answer token (and end-of-turn) under the
base, under base + adapter, and under two amplified probes: the whole adapter, and its
query and key matrices alone. The amplification is needed because llama.cpp rounds
activations to 8 bits before each Q4_1 matmul, which blurs each log-probability by a
few hundredths of a nat, as much as a barely trained adapter moves it. The query/key
probe is there because those are the only matrices the converter rearranges (llama.cpp
stores their rows permuted for its rotary embedding); every other matrix is copied, so
an error there would hide among the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch

from training.model import TARGET_MODULES
from training.tokens import IGNORED, Encoded

if TYPE_CHECKING:
    from peft import PeftModel

QUERY_KEY = ("q_proj", "k_proj")
# How far a probe should move each answer token (mean nats), and the largest
# amplification used to get there.
TARGET_SHIFT = 0.5
MAX_SCALE = 50.0


def answer_logprobs(model: PeftModel, example: Encoded) -> dict[str, Any]:
    from peft.tuners.lora import LoraLayer

    start = next(i for i, label in enumerate(example.labels) if label != IGNORED)
    ids = torch.tensor([example.input_ids])
    targets = torch.tensor(example.input_ids[start:])
    layers = {name: m for name, m in model.named_modules() if isinstance(m, LoraLayer)}

    def logprobs(modules: tuple[str, ...] | None, scale: float = 1.0) -> list[float]:
        """With the adapter on ``modules`` only, times ``scale``; None: no adapter."""
        with torch.no_grad():
            if modules is None:
                with model.disable_adapter():
                    logits = model(input_ids=ids, use_cache=False).logits[0]
            else:
                for name, layer in layers.items():
                    layer.set_scale("default", scale if name.endswith(modules) else 0.0)
                try:
                    logits = model(input_ids=ids, use_cache=False).logits[0]
                finally:
                    for layer in layers.values():
                        layer.set_scale("default", 1.0)
        chosen = torch.log_softmax(logits[start - 1 : -1].double(), dim=-1)
        return [float(x) for x in chosen[torch.arange(len(targets)), targets]]

    def probe(modules: tuple[str, ...]) -> dict[str, Any]:
        once = logprobs(modules)
        moved = sum(abs(a - b) for a, b in zip(once, base, strict=True)) / len(base)
        scale = round(min(MAX_SCALE, max(1.0, TARGET_SHIFT / moved)) if moved else MAX_SCALE, 1)
        return {"modules": list(modules), "scale": scale, "logprobs": logprobs(modules, scale)}

    model.eval()
    try:
        base = logprobs(None)
        found = {
            "source_id": example.source_id,
            "input_ids": example.input_ids,
            "answer_start": start,
            "base": base,
            "adapter": logprobs(TARGET_MODULES),
            "probes": [probe(TARGET_MODULES), probe(QUERY_KEY)],
        }
    finally:
        model.train()
    return found
