"""What the language analysers add to an installation, each group installed alone into
an empty folder (``pip install --target``) with what it needs besides numpy, which the
core install already has.

    python scripts/install_sizes.py

The output is committed as ``evals/reference/install-sizes.txt``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

# The group, and the packages pyproject.toml names for it.
GROUPS = {
    "core: Chinese (jieba)": ["jieba>=0.42"],
    "core: Russian (pymorphy3 and its dictionaries)": ["pymorphy3>=2.0"],
    "core: Chinese numerals (cn2an)": ["cn2an>=0.5.22"],
    "extra `korean` (kiwipiepy and its model)": ["kiwipiepy>=0.20"],
    "extra `japanese` (fugashi and unidic-lite)": ["fugashi>=1.3", "unidic-lite>=1.0.8"],
}
ALREADY = ("numpy", "tqdm")  # in every install of summarizer


def size_mb(folder: Path) -> float:
    total = sum(
        p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and not p.relative_to(folder).parts[0].startswith(ALREADY)
    )
    return total / 1e6


def main() -> None:
    print("| group | adds (MB) |")
    print("|---|---|")
    totals = {"core": 0.0, "extra": 0.0}
    for group, packages in GROUPS.items():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "--quiet", "--target", tmp, *packages],
                check=True,
                capture_output=True,
            )
            mb = size_mb(Path(tmp))
        totals[group.split(":")[0] if group.startswith("core") else "extra"] += mb
        print(f"| {group} | {mb:.0f} |")
    print(f"| **core, in all** | **{totals['core']:.0f}** |")
    print(f"| **both extras (`world`)** | **{totals['extra']:.0f}** |")


if __name__ == "__main__":
    main()
