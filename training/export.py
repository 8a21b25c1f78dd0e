"""The trained adapter as files: PEFT's folder, then one GGUF for llama.cpp.

With them go the base's config as the converter read it (``base/config.json``) and
``adapter_check.json`` (:mod:`training.reference`), so that :mod:`training.check` can tell
whether llama.cpp applies the converted adapter as PyTorch did.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, cast

from training.convert import convert
from training.model import BASE_MODEL_ID, write_base_config
from training.reference import answer_logprobs
from training.tokens import Encoded

if TYPE_CHECKING:
    from peft import PeftModel
    from transformers import PreTrainedModel

ADAPTER_GGUF = "adapter.gguf"
PEFT_FOLDER = "adapter"
BASE_FOLDER = "base"
CHECK_FILE = "adapter_check.json"
# The bound for an adapter shipped inside the package.
MAX_BYTES = 20_000_000


def export(model: PeftModel, out: Path, outtype: str, example: Encoded) -> Path:
    """Write ``out/adapter/`` (PEFT), ``out/base/``, ``out/adapter.gguf`` and
    ``out/adapter_check.json``."""
    peft_dir = out / PEFT_FOLDER
    # Named in the adapter's metadata (the converter reads peft's model card, which
    # takes the base's name from its config); the default would be this machine's path
    # to the GGUF.
    model.peft_config["default"].base_model_name_or_path = BASE_MODEL_ID
    base = cast("PreTrainedModel", model.get_base_model())
    base.config.name_or_path = BASE_MODEL_ID  # the card's base_model
    base.name_or_path = BASE_MODEL_ID  # the card's base_model:adapter tag
    # The embeddings are not trained; peft would look for a hub config to be sure.
    model.save_pretrained(str(peft_dir), save_embedding_layers=False)
    write_base_config(base, out / BASE_FOLDER)
    target = out / ADAPTER_GGUF
    partial = target.with_name(target.name + ".partial")
    convert(peft_dir, out / BASE_FOLDER, partial, outtype)
    os.replace(partial, target)
    size = target.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(
            f"{target} is {size:,} bytes, over the {MAX_BYTES:,} an adapter may ship with: "
            "lower --rank or use --outtype f16"
        )
    reference = answer_logprobs(model, example)
    (out / CHECK_FILE).write_text(json.dumps(reference) + "\n", encoding="utf-8")
    return target
