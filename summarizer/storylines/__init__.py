"""Storylines: what many articles report, merged into stories and cross-article events.

- :mod:`.records` reads the records ``summarizer batch`` writes;
- :mod:`.stories` groups articles into stories (TF-IDF of words, names and years);
- :mod:`.events` merges the events of a story's articles (action lemmas);
- :mod:`.build` assembles a story (:mod:`.schema`), with conflicts and stances;
- :mod:`.grouping` is the blocked average-linkage clustering both levels use;
- :mod:`.digest` keeps what a story is rebuilt from, :mod:`.store` the state of a run,
  :mod:`.update` adds articles to it, and :mod:`.runs` runs and updates files.
"""

from __future__ import annotations

from summarizer.storylines.runs import (
    build_storylines,
    read_storylines,
    storylines_from_file,
    update_storylines,
    write_storylines,
)
from summarizer.storylines.schema import MergedStory, Story, StoryEvent, Storylines
from summarizer.storylines.stories import StorySettings
from summarizer.storylines.update import Change

__all__ = [
    "Change",
    "MergedStory",
    "Story",
    "StoryEvent",
    "StorySettings",
    "Storylines",
    "build_storylines",
    "read_storylines",
    "storylines_from_file",
    "update_storylines",
    "write_storylines",
]
