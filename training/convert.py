"""A PEFT LoRA adapter to GGUF, with llama.cpp's own converter.

``convert_lora_to_gguf.py`` (with its ``conversion/`` package and ``gguf-py/``) is not on
PyPI as a package of its own; it ships in the source distribution of the
llama-cpp-python release the project runs. That sdist is fetched once with pip, checked
against its sha256, and the converter's files are unpacked into a cache folder
(:func:`converter_dir`). The converter then runs as
a script in this interpreter, with its own copy of ``gguf-py`` first on its path, as
llama.cpp runs it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

LLAMA_CPP_PYTHON = "0.3.36"
# sha256 of llama_cpp_python-0.3.36.tar.gz as PyPI serves it (checked 2026-12-06).
SDIST_SHA256 = "832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
_VENDOR = f"llama_cpp_python-{LLAMA_CPP_PYTHON}/vendor/llama.cpp/"
# What the LoRA converter imports: itself, the model definitions, and gguf-py.
_NEEDED = ("convert_lora_to_gguf.py", "convert_hf_to_gguf.py", "conversion/", "gguf-py/")
SCRIPT = "convert_lora_to_gguf.py"
OUTTYPES = ("f32", "f16", "bf16", "q8_0")


class ConversionError(RuntimeError):
    """The converter could not be fetched, or it failed."""


def converter_dir() -> Path:
    """Where the converter lives: $TRAINING_CONVERTER_DIR, else the user's cache folder
    (kept across clones and fresh venvs, so CI fetches the 77 MB sdist once a machine)."""
    if folder := os.environ.get("TRAINING_CONVERTER_DIR"):
        return Path(folder)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "summarizer-training" / f"llama.cpp-convert-{LLAMA_CPP_PYTHON}"


def ensure_converter(folder: Path | None = None) -> Path:
    """The converter's folder, fetched and unpacked first if it is not there yet."""
    folder = folder or converter_dir()
    if (folder / SCRIPT).is_file() and (folder / ".complete").is_file():
        return folder
    with tempfile.TemporaryDirectory(prefix="llama-sdist-") as scratch:
        sdist = _download_sdist(Path(scratch))
        unpacked = Path(scratch) / "unpacked"
        _unpack(sdist, unpacked)
        if folder.exists():
            shutil.rmtree(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(unpacked), str(folder))
    (folder / ".complete").write_text(SDIST_SHA256 + "\n", encoding="utf-8")
    return folder


def _download_sdist(scratch: Path) -> Path:
    command = [
        sys.executable, "-m", "pip", "download", f"llama-cpp-python=={LLAMA_CPP_PYTHON}",
        "--no-binary", ":all:", "--no-deps", "--quiet", "--dest", str(scratch),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = sorted(scratch.glob("llama_cpp_python-*.tar.gz"))
    if done.returncode != 0 or not found:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ConversionError(f"pip could not fetch the llama-cpp-python sdist: {tail}")
    digest = hashlib.sha256(found[0].read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        raise ConversionError(
            f"{found[0].name} has sha256 {digest}, not the expected {SDIST_SHA256}"
        )
    return found[0]


def _unpack(sdist: Path, into: Path) -> None:
    with tarfile.open(sdist, "r:gz") as archive:
        for member in archive.getmembers():
            if not member.name.startswith(_VENDOR):
                continue
            inner = member.name[len(_VENDOR) :]
            if not any(inner == n or (n.endswith("/") and inner.startswith(n)) for n in _NEEDED):
                continue
            member.name = inner
            archive.extract(member, into, filter="data")
    missing = [n for n in _NEEDED if not (into / n).exists()]
    if missing:
        raise ConversionError(f"the sdist lacks {', '.join(missing)} under {_VENDOR}")


def convert(adapter_dir: Path, base_config_dir: Path, out: Path, outtype: str = "f16") -> Path:
    """Write ``out`` (GGUF) from a PEFT adapter folder (adapter_config.json and
    adapter_model.safetensors); ``base_config_dir`` holds the base's config.json."""
    if outtype not in OUTTYPES:
        raise ValueError(f"outtype must be one of {', '.join(OUTTYPES)}, not {outtype!r}")
    folder = ensure_converter()
    command = [
        sys.executable, str(folder / SCRIPT), "--base", str(base_config_dir),
        "--outfile", str(out), "--outtype", outtype, str(adapter_dir),
    ]  # fmt: skip
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    env.pop("NO_LOCAL_GGUF", None)  # the converter must use its own gguf-py, not PyPI's gguf
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0 or not out.is_file():
        lines = (done.stderr or done.stdout).strip().splitlines() or ["no output"]
        raise ConversionError(f"{SCRIPT} failed ({done.returncode}): {lines[-1]}")
    return out
