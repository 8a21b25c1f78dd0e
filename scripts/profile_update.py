"""Where one storylines update's time goes, by step (cProfile, cumulative seconds).

    python scripts/profile_update.py STORYLINES.json NEW_RECORDS.jsonl

The update runs on a copy of STORYLINES.json and its state (in a temporary folder
beside it), so the run is left as it was. Steps overlap where one calls another (the
indented ones are parts of the one above); profiling adds to every figure, so the
shares, not the seconds, are what compare with an unprofiled run.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.storylines.runs import update_storylines  # noqa: E402
from summarizer.storylines.store import state_path  # noqa: E402

# (indent, label, module (its folder and file), function name)
STEPS = [
    (0, "the whole update", "storylines/runs.py", "update_storylines"),
    (1, "reading the new records", "storylines/records.py", "read_records"),
    (1, "adding them to the stories", "storylines/update.py", "add_articles"),
    (2, "finding the regions near them", "storylines/update.py", "_regions"),
    (2, "reading held articles' tokens (both steps)", "storylines/store.py", "tokens"),
    (2, "TF-IDF vectors (both steps)", "storylines/stories.py", "article_vectors"),
    (2, "grouping each region again", "storylines/update.py", "_regroup"),
    (3, "clustering", "storylines/stories.py", "group_stories"),
    (4, "same-story model", "storylines/same_story.py", "pair_probability"),
    (3, "reading the changed stories' digests", "storylines/store.py", "digests"),
    (3, "building the changed stories", "storylines/build.py", "build_story"),
    (4, "their titles", "storylines/build.py", "_title"),
    (5, "splitting an opening into sentences", "summarizer/article.py", "opening_sentences"),
    (4, "their events", "storylines/build.py", "_event"),
    (1, "writing the storylines JSON", "storylines/runs.py", "_export"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("storylines", type=Path)
    parser.add_argument("records", type=Path)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=options.storylines.parent) as work:
        copy = Path(work) / options.storylines.name
        shutil.copy2(options.storylines, copy)
        shutil.copy2(state_path(options.storylines), state_path(copy))
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        change = update_storylines(copy, options.records)
        profile.disable()
        wall = time.perf_counter() - started
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    cumulative: dict[tuple[str, str], float] = {}
    calls: dict[tuple[str, str], int] = {}
    for (path, _, name), (_, ncalls, _, ct, _) in stats.items():
        key = ("/".join(Path(path).parts[-2:]), name)
        cumulative[key] = cumulative.get(key, 0.0) + ct
        calls[key] = calls.get(key, 0) + ncalls
    total = cumulative[("storylines/runs.py", "update_storylines")]
    print(
        f"{change.added:,} new analyses; {change.stories_touched:,} stories new or changed; "
        f"{wall:.1f} s profiled"
    )
    print("| step | calls | seconds | share |")
    print("|---|---:|---:|---:|")
    for indent, label, file, name in STEPS:
        seconds = cumulative.get((file, name), 0.0)
        share = seconds / total
        step = "· " * indent + label
        print(f"| {step} | {calls.get((file, name), 0):,} | {seconds:.1f} | {share:.0%} |")


if __name__ == "__main__":
    main()
