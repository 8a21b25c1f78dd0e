"""Does the adapter work where it will be used: in llama-cpp-python, on the Q4_1 base?

    python -m training.check --run OUT [--fixture evals/fixtures/seed-nk-china-fm.json]

Three checks, each a failure with a one-line message (exit 1):

1. The GGUF loads on top of the base (``Llama(lora_path=...)``).
2. It moves the logits: over the answer tokens of the example that the training run
   scored when it exported (``OUT/adapter_check.json``), llama.cpp's log-probabilities
   with the adapter differ from the base's, and, with the adapter amplified, the change
   follows the one PyTorch measured on the same tokens (a wrongly converted adapter,
   such as one whose query and key rows were not permuted as llama.cpp stores them,
   moves them another way). ``logits_all=True``: without it llama.cpp keeps only the
   last position's logits.
3. One grammar-constrained answer: the pipeline's own events request for a fixture
   (its messages and sized response model, :mod:`training.requests`), sent through the
   project's caller (instructor's forced tool call) to the embedded backend running
   with ``adapter=`` this GGUF, parses into that model at the first try.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from training.convert import convert
from training.export import ADAPTER_GGUF, BASE_FOLDER, CHECK_FILE, PEFT_FOLDER
from training.model import TARGET_MODULES

if TYPE_CHECKING:
    from llama_cpp import Llama

DEFAULT_FIXTURE = Path("evals/fixtures/seed-nk-china-fm.json")
# llama.cpp's Q4_1 matmuls and PyTorch's float32 ones differ by far less than a trained
# adapter moves the answer; below this the adapter is taken to do nothing.
MIN_SHIFT = 1e-4
# The correlation of the per-token changes, llama.cpp against PyTorch, over at least
# MIN_TOKENS answer tokens, for each amplified probe (training.reference). Measured here
# on a 2-step adapter: 0.73 unamplified on an example it was not trained on; 0.994 with
# the whole adapter amplified 26 times.
MIN_AGREEMENT = 0.9
MIN_TOKENS = 20


class CheckFailed(Exception):
    pass


def answer_logprobs(llama: Llama, ids: list[int], start: int) -> np.ndarray[Any, Any]:
    """log p(ids[i] | ids[:i]) for i >= start, from one evaluation of ``ids``."""
    llama.reset()  # type: ignore[no-untyped-call]
    llama.eval(ids)
    logits = np.asarray(llama.scores[: len(ids)], dtype=np.float64)
    shifted = logits[start - 1 : len(ids) - 1]
    top = shifted.max(axis=1, keepdims=True)
    norm = top[:, 0] + np.log(np.exp(shifted - top).sum(axis=1))
    picked = shifted[np.arange(len(shifted)), ids[start:]]
    return np.asarray(picked - norm)


def _llama(
    base: Path,
    adapter: Path | None,
    n_ctx: int,
    threads: int,
    all_logits: bool,
    scale: float = 1.0,
) -> Llama:
    from llama_cpp import Llama

    extra: dict[str, Any] = {"lora_path": str(adapter), "lora_scale": scale} if adapter else {}
    return Llama(
        model_path=str(base),
        n_ctx=n_ctx,
        n_threads=threads,
        n_threads_batch=threads,
        logits_all=all_logits,
        seed=0,
        verbose=False,
        **extra,
    )


def check_logits(base: Path, run: Path, reference: dict[str, Any], threads: int) -> str:
    """The adapter moves llama.cpp's logits, and each probe's amplified change follows
    PyTorch's (:mod:`training.reference`); raises CheckFailed otherwise."""
    ids: list[int] = reference["input_ids"]
    start: int = reference["answer_start"]
    adapter = run / ADAPTER_GGUF

    def logprobs(path: Path | None, scale: float = 1.0) -> np.ndarray[Any, Any]:
        llama = _llama(base, path, len(ids) + 8, threads, all_logits=True, scale=scale)
        try:
            return answer_logprobs(llama, ids, start)
        finally:
            llama.close()

    ours_base = logprobs(None)
    ours = logprobs(adapter)
    theirs_base = np.asarray(reference["base"])
    moved = float(np.abs(ours - ours_base).max())
    if moved < MIN_SHIFT:
        torch_moved = float(np.abs(np.asarray(reference["adapter"]) - theirs_base).max())
        raise CheckFailed(
            f"the adapter does not move llama.cpp's logits (largest change {moved:.2e} over "
            f"{len(ours)} answer tokens; torch's: {torch_moved:.2e})"
        )
    line = (
        f"logits moved: answer log-prob {ours_base.sum():.3f} -> {ours.sum():.3f} over "
        f"{len(ours)} tokens (torch: {theirs_base.sum():.3f} -> "
        f"{float(np.sum(reference['adapter'])):.3f})"
    )
    if len(ours) < MIN_TOKENS:
        return line + f"; not compared with torch: under {MIN_TOKENS} answer tokens"
    agreements = []
    for probe in reference["probes"]:
        modules = tuple(probe["modules"])
        with tempfile.TemporaryDirectory(prefix="lora-probe-") as scratch:
            path = adapter if modules == TARGET_MODULES else _subset(run, modules, Path(scratch))
            change = logprobs(path, probe["scale"]) - ours_base
        expected = np.asarray(probe["logprobs"]) - theirs_base
        agreement = float(np.corrcoef(change, expected)[0, 1])
        named = "all" if modules == TARGET_MODULES else "+".join(modules)
        if not agreement >= MIN_AGREEMENT:
            raise CheckFailed(
                f"llama.cpp's change of the answer's log-probabilities does not follow "
                f"torch's (adapter on {named}, x{probe['scale']}: correlation "
                f"{agreement:.3f} < {MIN_AGREEMENT}): the conversion is suspect"
            )
        agreements.append(f"{named} x{probe['scale']} {agreement:.3f}")
    return line + "; change correlates with torch's: " + ", ".join(agreements)


def _subset(run: Path, modules: tuple[str, ...], scratch: Path) -> Path:
    """The run's adapter with only ``modules`` kept (the others' B set to zero), as GGUF."""
    import torch
    from safetensors.torch import load_file, save_file

    peft_dir = run / PEFT_FOLDER
    weights = load_file(str(peft_dir / "adapter_model.safetensors"))
    for name, tensor in weights.items():
        if "lora_B" in name and _module(name) not in modules:
            weights[name] = torch.zeros_like(tensor)
    folder = scratch / "peft"
    folder.mkdir()
    save_file(weights, str(folder / "adapter_model.safetensors"))
    shutil.copy(peft_dir / "adapter_config.json", folder / "adapter_config.json")
    return convert(folder, run / BASE_FOLDER, scratch / "subset.gguf", "f32")


def _module(name: str) -> str:
    """``...layers.3.self_attn.q_proj.lora_B.weight`` -> ``q_proj``."""
    return name.split(".lora_")[0].rsplit(".", 1)[-1]


def check_answer(adapter: Path, fixture: Path, threads: int) -> str:
    """One events call as the pipeline makes it (its request, instructor's forced tool
    call, the grammar, validation), on the embedded backend with ``adapter=`` the GGUF,
    and no re-ask: the first answer must parse."""
    from summarizer.backends.embedded import EmbeddedBackend
    from summarizer.calls import CallLog, StructuredCaller
    from summarizer.errors import SummarizerError
    from summarizer.evaluation.fixtures import load_fixture
    from summarizer.evaluation.systems import article_of
    from training.requests import Requests, pipeline_settings

    update = {"adapter": str(adapter), "threads": threads, "reasks": 0}
    settings = pipeline_settings().model_copy(update=update)
    asked = Requests(settings).events(article_of(load_fixture(fixture)))
    if not asked:
        raise CheckFailed(f"the pipeline asks no events of {fixture}: choose another fixture")
    backend = EmbeddedBackend(settings)
    if backend.adapter != str(adapter):
        raise CheckFailed(f"the embedded backend did not load {adapter} (it has {backend.adapter})")
    log = CallLog()
    try:
        # Asked as a tuned source asks it: through the adapter.
        request = dataclasses.replace(asked[0].request, tuned=True)
        answer = StructuredCaller(backend, settings).call(request, log)
    except SummarizerError as exc:
        raise CheckFailed(f"the events answer with the adapter failed: {exc}") from None
    events = getattr(answer, "events", [])
    return (
        f"events answer parsed: {len(events)} event(s) in {log.usage.completion_tokens} "
        f"tokens, first try, embedded backend with the adapter ({fixture.name})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.check", description=__doc__)
    parser.add_argument("--run", type=Path, required=True, help="the training run's --out")
    parser.add_argument("--fixture", type=Path, default=DEFAULT_FIXTURE)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    from summarizer.backends.embedded import embedded_model_path

    adapter = args.run / ADAPTER_GGUF
    try:
        if not adapter.is_file():
            raise CheckFailed(f"no adapter at {adapter}: train first")
        reference = json.loads((args.run / CHECK_FILE).read_text(encoding="utf-8"))
        base = embedded_model_path()
        print(check_logits(base, args.run, reference, args.threads), flush=True)
        print(check_answer(adapter, args.fixture, args.threads), flush=True)
    except (CheckFailed, OSError, ValueError) as exc:
        print(f"train-check failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
