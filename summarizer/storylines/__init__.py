"""Storylines: what many articles report, merged into stories and cross-article events.

- :mod:`.records` reads the records ``summarizer batch`` writes;
- :mod:`.stories` groups articles into stories (TF-IDF of words, names and years);
- :mod:`.events` merges the events of a story's articles (action lemmas);
- :mod:`.build` assembles the result (:mod:`.schema`), with conflicts and stances;
- :mod:`.grouping` is the blocked average-linkage clustering both levels use.
"""

from __future__ import annotations

from pathlib import Path

from summarizer.storylines.build import build_storylines
from summarizer.storylines.records import read_records
from summarizer.storylines.schema import Story, StoryEvent, Storylines
from summarizer.storylines.stories import StorySettings


def storylines_from_file(path: Path | str, settings: StorySettings | None = None) -> Storylines:
    """The storylines of a batch run's records file (failed records skipped and counted)."""
    records = read_records(Path(path))
    return build_storylines(records.analyses, skipped=records.skipped, settings=settings)


__all__ = [
    "Story",
    "StoryEvent",
    "StorySettings",
    "Storylines",
    "build_storylines",
    "storylines_from_file",
]
