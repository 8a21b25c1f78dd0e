"""A small LoRA adapter written straight as GGUF, for tests of the adapter's path that
need no training run: random low-rank updates of every layer's value projection, large
enough to move the embedded model's answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np

EMBEDDING = 576  # SmolLM2-135M's width
KV_WIDTH = 192  # 3 key-value heads of 64
LAYERS = 30
RANK = 4


def write_tiny_adapter(path: Path, seed: int = 0, scale: float = 0.5) -> Path:
    import gguf

    rng = np.random.default_rng(seed)
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(RANK))
    for layer in range(LAYERS):
        # numpy's shape is GGUF's dimensions reversed: lora_a is (rank, in), lora_b (out, rank).
        a = rng.normal(0.0, scale, (RANK, EMBEDDING)).astype(np.float32)
        b = rng.normal(0.0, scale, (KV_WIDTH, RANK)).astype(np.float32)
        writer.add_tensor(f"blk.{layer}.attn_v.weight.lora_a", a)
        writer.add_tensor(f"blk.{layer}.attn_v.weight.lora_b", b)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
